/** Stages that set labels and metadata, filter and count: labels, labeldrop, labelallow, static_labels, structured_metadata, tenant, limit, sampling, drop, match, pack, decolorize, metrics. */
import type { StageFactory } from '../types.js';

export const FILTERING_STAGES: Readonly<Record<string, StageFactory>> = {};
