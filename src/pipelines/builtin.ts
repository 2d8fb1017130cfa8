/**
 * The pipeline kinds `signet run` knows. Logs and traces join this list when
 * they land; the agent itself never names a kind.
 */
import { metricsKind } from './metrics/kind.js';
import type { PipelineKind } from './pipeline.js';

export const BUILTIN_PIPELINE_KINDS: readonly PipelineKind[] = [metricsKind];
