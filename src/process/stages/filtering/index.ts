/** Stages that set labels and metadata, filter and count: labels, labeldrop, labelallow, static_labels, structured_metadata, tenant, limit, sampling, drop, match, pack, decolorize, metrics. */
import type { StageFactory } from '../types.js';
import { decolorizeStage } from './decolorize.js';
import { dropStage } from './drop.js';
import { labelAllowStage, labelDropStage } from './labeldrop.js';
import { labelsStage } from './labels.js';
import { limitStage } from './limit.js';
import { matchStage } from './match.js';
import { metricsStage } from './metrics.js';
import { packStage } from './pack.js';
import { samplingStage } from './sampling.js';
import { staticLabelsStage } from './static-labels.js';
import { structuredMetadataStage } from './structured-metadata.js';
import { tenantStage } from './tenant.js';

export const FILTERING_STAGES: Readonly<Record<string, StageFactory>> = {
  labels: labelsStage,
  labeldrop: labelDropStage,
  labelallow: labelAllowStage,
  static_labels: staticLabelsStage,
  structured_metadata: structuredMetadataStage,
  tenant: tenantStage,
  limit: limitStage,
  sampling: samplingStage,
  drop: dropStage,
  match: matchStage,
  pack: packStage,
  decolorize: decolorizeStage,
  metrics: metricsStage,
};
