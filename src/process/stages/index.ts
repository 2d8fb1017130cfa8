/**
 * Promtail's pipeline stages, compiled once from `pipeline_stages` and run per
 * target. See types.ts for the contract every stage keeps.
 */
export { compileStages, stageNames } from './compile.js';
export { StageRunner, stageEntry } from './runner.js';
export {
  StageConfigError,
  type CompiledStage,
  type CompiledStages,
  type DiscardReason,
  type Stage,
  type StageCompileContext,
  type StageEntry,
  type StageFactory,
  type StageOutput,
  type StageRunContext,
} from './types.js';
