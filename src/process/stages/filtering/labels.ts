/**
 * `labels`: sets stream labels from the extracted map — `name: source`, the
 * source defaulting to the name. Names must be legacy Prometheus label names
 * (refused at load, as Promtail does); a value that is not text (a map, a
 * list) or not valid UTF-8 is skipped for that entry, as Promtail does.
 */
import { StageConfigError, type CompiledStage, type StageFactory } from '../types.js';
import { LEGACY_LABEL_NAME, isRecord, isValidUtf8, promtailString } from './values.js';

/** One configured label: where its value comes from. */
export interface LabelSource {
  readonly name: string;
  readonly source: string;
}

/** Reads Promtail's LabelsConfig (`name: source-or-empty`), shared with structured_metadata. */
export function readLabelSources(config: unknown, path: string, stage: string): LabelSource[] {
  if (!isRecord(config) || Object.keys(config).length === 0)
    throw new StageConfigError(
      path,
      `${stage} stage config cannot be empty`,
      `map each label name to the extracted value it takes, e.g. "${stage}: {level: '', app: service}"`,
    );
  return Object.entries(config).map(([name, source]) => {
    const at = `${path}.${name}`;
    if (!LEGACY_LABEL_NAME.test(name))
      throw new StageConfigError(
        at,
        `invalid label name: ${name}`,
        'a label name is letters, digits and underscores, not starting with a digit',
      );
    if (source !== null && source !== undefined && typeof source !== 'string')
      throw new StageConfigError(
        at,
        'must name an extracted value (a string) or be empty',
        `write "${name}: ''" to take the value extracted as ${name}`,
      );
    return { name, source: typeof source === 'string' && source !== '' ? source : name };
  });
}

/**
 * The value a label takes from `extracted`, or undefined where Promtail skips
 * it (missing, not convertible to text, invalid UTF-8).
 */
export function labelValueFrom(
  extracted: Record<string, unknown>,
  source: string,
): string | undefined {
  if (!Object.hasOwn(extracted, source)) return undefined;
  const value = promtailString(extracted[source]);
  if (value === undefined || !isValidUtf8(value)) return undefined;
  return value;
}

export const labelsStage: StageFactory = (config, context): CompiledStage => {
  const sources = readLabelSources(config, context.path, 'labels');
  return {
    name: 'labels',
    create: () => ({
      process(entry, out) {
        for (const { name, source } of sources) {
          const value = labelValueFrom(entry.extracted, source);
          if (value !== undefined) entry.labels[name] = value;
        }
        out.output(entry);
      },
    }),
  };
};
