/**
 * The pipeline kinds `signet run` knows; traces joins this list when it
 * lands. The agent itself never names a kind.
 */
import { logsKind } from './logs/kind.js';
import { metricsKind } from './metrics/kind.js';
import type { PipelineKind } from './pipeline.js';

export const BUILTIN_PIPELINE_KINDS: readonly PipelineKind[] = [metricsKind, logsKind];
