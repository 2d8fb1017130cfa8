/**
 * Compiles `pipeline_stages` as Promtail writes them: a list of one-key
 * mappings, the key naming the stage (`- regex: {expression: …}`,
 * `- cri: {}`), each checked by its stage's factory.
 */
import { FILTERING_STAGES } from './filtering/index.js';
import { PARSING_STAGES } from './parsing/index.js';
import { StageConfigError, type CompiledStages, type StageFactory } from './types.js';

const FACTORIES: Readonly<Record<string, StageFactory>> = {
  ...PARSING_STAGES,
  ...FILTERING_STAGES,
};

/** Every stage name Signet runs. */
export function stageNames(): string[] {
  return Object.keys(FACTORIES).sort();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Compiles a list of stages; `path` is its key path (`…scrape_configs[0].pipeline_stages`). */
export function compileStages(configs: readonly unknown[], path: string): CompiledStages {
  const stages = configs.map((item, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(item))
      throw new StageConfigError(
        at,
        'is not a stage',
        'write each stage as a mapping with one key naming it, e.g. "- cri: {}"',
      );
    const keys = Object.keys(item);
    if (keys.length !== 1)
      throw new StageConfigError(
        at,
        keys.length === 0 ? 'names no stage' : `names ${keys.length} stages (${keys.join(', ')})`,
        'write each stage as its own list item with one key, as Promtail does',
      );
    const name = keys[0]!;
    const factory = FACTORIES[name];
    if (factory === undefined)
      throw new StageConfigError(
        `${at}.${name}`,
        `is not a pipeline stage Signet knows`,
        `use one of: ${stageNames().join(', ')}`,
      );
    // `- cri:` with nothing after it is YAML null: the stage with its defaults.
    const config = item[name] ?? {};
    return factory(config, {
      path: `${at}.${name}`,
      compileNested: (nested, nestedPath) => compileStages(nested, nestedPath),
    });
  });
  return { stages };
}
