/**
 * Reading a parsing stage's block as Promtail decodes it (mapstructure):
 * known keys only — a key Promtail would ignore silently is refused here, so
 * a typo never looks like a working setting — each with its type checked and
 * errors naming the key path.
 */
import { Re2Regex, isRe2Error } from '../../relabel/re2/index.js';
import { StageConfigError } from '../types.js';

export type StageConfig = Record<string, unknown>;

/** The stage's block as a mapping whose keys are all among `known`. */
export function readBlock(config: unknown, path: string, known: readonly string[]): StageConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new StageConfigError(
      path,
      'is not a mapping',
      `write the stage's settings as keys under it (${known.join(', ')})`,
    );
  const block = config as StageConfig;
  for (const key of Object.keys(block)) {
    if (!known.includes(key))
      throw new StageConfigError(
        `${path}.${key}`,
        `is not a setting of the ${stageName(path)} stage`,
        `use one of: ${known.join(', ')}`,
      );
  }
  return block;
}

/** The stage name at the end of a stage's key path (`…pipeline_stages[2].regex` → regex). */
export function stageName(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? path : path.slice(dot + 1);
}

/** A string setting, undefined when absent (or YAML null). */
export function optionalString(block: StageConfig, key: string, path: string): string | undefined {
  const value = block[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new StageConfigError(
      `${path}.${key}`,
      `must be a string, not ${describe(value)}`,
      quoteHint(key),
    );
  return value;
}

/** A string setting that must be present and not empty. */
export function requiredString(
  block: StageConfig,
  key: string,
  path: string,
  what: string,
): string {
  const value = optionalString(block, key, path);
  if (value === undefined || value === '')
    throw new StageConfigError(
      `${path}.${key}`,
      `is required (${what})`,
      `set ${key} in the ${stageName(path)} stage`,
    );
  return value;
}

/**
 * `source`: the extracted value to read instead of the line. Promtail
 * refuses an empty one ("empty source").
 */
export function optionalSource(block: StageConfig, path: string): string | undefined {
  const source = optionalString(block, 'source', path);
  if (source === '')
    throw new StageConfigError(
      `${path}.source`,
      'is empty',
      'name an extracted value, or leave source out to use the log line',
    );
  return source;
}

export function optionalBoolean(
  block: StageConfig,
  key: string,
  path: string,
): boolean | undefined {
  const value = block[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw new StageConfigError(
      `${path}.${key}`,
      `must be true or false, not ${describe(value)}`,
      `write ${key}: true or ${key}: false`,
    );
  return value;
}

/** A whole number ≥ `min`; Promtail's weak decoding also takes one written as a string. */
export function optionalInteger(
  block: StageConfig,
  key: string,
  path: string,
  min: number,
): number | undefined {
  let value = block[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && /^\d+$/.test(value)) value = Number(value);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    throw new StageConfigError(
      `${path}.${key}`,
      `must be a whole number of at least ${min}, not ${describe(value)}`,
      `write ${key}: ${Math.max(min, 1)} or more`,
    );
  return value;
}

/** A mapping of strings to strings (json's expressions, logfmt's mapping); YAML null values are ''. */
export function stringMap(
  block: StageConfig,
  key: string,
  path: string,
): Map<string, string> | undefined {
  const value = block[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new StageConfigError(
      `${path}.${key}`,
      `must be a mapping of names, not ${describe(value)}`,
      `write ${key}: {name: expression}`,
    );
  const out = new Map<string, string>();
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== null && typeof v !== 'string')
      throw new StageConfigError(
        `${path}.${key}.${name}`,
        `must be a string, not ${describe(v)}`,
        quoteHint(name),
      );
    out.set(name, v ?? '');
  }
  return out;
}

/** Compiles an RE2 pattern as Go's regexp.Compile would, refusing what Go refuses. */
export function compileRe2(pattern: string, at: string): Re2Regex {
  try {
    return new Re2Regex(pattern);
  } catch (err) {
    if (isRe2Error(err))
      throw new StageConfigError(
        at,
        `could not compile regular expression: ${err.message}`,
        'write the pattern in RE2 syntax, as Promtail (Go) takes it',
        err,
      );
    throw err;
  }
}

const GO_DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const GO_DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Go's time.ParseDuration (`3s`, `1.5s`, `1m30s`, `500ms`), in milliseconds; undefined if it is not one. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  GO_DURATION_PART.lastIndex = 0;
  while (GO_DURATION_PART.lastIndex < rest.length) {
    const start = GO_DURATION_PART.lastIndex;
    const m = GO_DURATION_PART.exec(rest);
    if (!m || m.index !== start) return undefined;
    total += Number(m[1]) * GO_DURATION_UNITS[m[2]!]!;
  }
  return sign * total;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `${typeof value} ${String(value)}`;
  return typeof value;
}

function quoteHint(key: string): string {
  return `quote the value of ${key} if YAML reads it as another type`;
}
