/** Stages that parse a line and extract values: cri, docker, regex, json, logfmt, replace, multiline, template, timestamp, output. */
import type { StageFactory } from '../types.js';

export const PARSING_STAGES: Readonly<Record<string, StageFactory>> = {};
