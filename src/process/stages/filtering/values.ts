/**
 * What the filtering stages share: Promtail's conversions of extracted values
 * (getString, getFloat), Go's duration and Loki's byte-size syntax, RE2
 * compiling, and readers for stage configuration that refuse what Promtail
 * would not decode, naming the key path.
 */
import { Re2Regex, isRe2Error } from '../../relabel/re2/index.js';
import { StageConfigError } from '../types.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Promtail's getString: strings, numbers and booleans; anything else is not a string. */
export function promtailString(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      // Go's FormatFloat(f, 'f', -1, 64): no exponent, shortest digits.
      return Number.isInteger(value) && Math.abs(value) < 1e21
        ? value.toFixed(0)
        : formatFloatPlain(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return undefined;
  }
}

function formatFloatPlain(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // Spell out the exponent the way Go's 'f' format does.
  const [mantissa, exp] = text.split(/e/i) as [string, string];
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  const pointAt = (mantissa.replace(/^-/, '').indexOf('.') + 1 || digits.length + 1) - 1;
  const shift = pointAt + Number(exp);
  let out: string;
  if (shift <= 0) out = `0.${'0'.repeat(-shift)}${digits}`;
  else if (shift >= digits.length) out = digits + '0'.repeat(shift - digits.length);
  else out = `${digits.slice(0, shift)}.${digits.slice(shift)}`;
  return negative ? `-${out}` : out;
}

/**
 * Promtail's getFloat: numbers, booleans (1/0), and strings that are a float
 * or a Go duration (`0.5ms` → 0.0005 seconds).
 */
export function promtailFloat(value: unknown): number | undefined {
  switch (typeof value) {
    case 'number':
      return value;
    case 'bigint':
      return Number(value);
    case 'boolean':
      return value ? 1 : 0;
    case 'string': {
      const f = parseGoFloat(value);
      if (f !== undefined) return f;
      const ns = parseGoDuration(value);
      return ns === undefined ? undefined : ns / 1e9;
    }
    default:
      return undefined;
  }
}

const GO_FLOAT = /^[+-]?(?:(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?|\d[\d_]*\.(?:[eE][+-]?\d+)?)$/;

/** Go's strconv.ParseFloat for the forms logs hold (decimal, exponent, Inf, NaN). */
function parseGoFloat(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (/^[+-]?(?:inf|infinity)$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
  if (lower === 'nan') return NaN;
  if (!GO_FLOAT.test(text) || text.includes('_')) return undefined;
  return Number(text);
}

const GO_UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5
  μs: 1e3, // U+03BC
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const GO_PART = /(\d*)(?:\.(\d*))?([a-zµμ]+)/y;

/** Go's time.ParseDuration, in nanoseconds (a float; sub-nanosecond parts are dropped as Go does). */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  GO_PART.lastIndex = 0;
  while (GO_PART.lastIndex < s.length) {
    const start = GO_PART.lastIndex;
    const m = GO_PART.exec(s);
    if (!m || m.index !== start) return undefined;
    const [, whole = '', frac = '', unit = ''] = m;
    if (whole === '' && frac === '') return undefined;
    const scale = GO_UNITS[unit];
    if (scale === undefined) return undefined;
    total += Math.trunc(Number(`${whole || '0'}.${frac || '0'}`) * scale);
  }
  return sign * total;
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  byte: 1,
  k: 1024,
  kb: 1024,
  kilo: 1024,
  kilobyte: 1024,
  kilobytes: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mega: 1024 ** 2,
  megabyte: 1024 ** 2,
  megabytes: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  giga: 1024 ** 3,
  gigabyte: 1024 ** 3,
  gigabytes: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tera: 1024 ** 4,
  terabyte: 1024 ** 4,
  terabytes: 1024 ** 4,
  p: 1024 ** 5,
  pb: 1024 ** 5,
  peta: 1024 ** 5,
  petabyte: 1024 ** 5,
  petabytes: 1024 ** 5,
  e: 1024 ** 6,
  eb: 1024 ** 6,
  exa: 1024 ** 6,
  exabyte: 1024 ** 6,
  exabytes: 1024 ** 6,
};

/**
 * Loki's flagext.ByteSize: digits, then a unit in any case (`8kb`, `8KB`,
 * `1 MB`), powers of 1024 as c2h5oh/datasize counts them.
 */
export function parseByteSize(text: string): number | undefined {
  const m = /^(\d+)(.*)$/s.exec(text);
  if (!m) return undefined;
  const scale = BYTE_UNITS[m[2]!.trim().toLowerCase()];
  if (scale === undefined) return undefined;
  const value = Number(m[1]) * scale;
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Label names as Prometheus's legacy scheme allows them. */
export const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/** Go's utf8.ValidString, for a JavaScript string: no lone surrogates. */
export function isValidUtf8(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** Compiles an RE2 pattern as Go would, or refuses it at `path`. */
export function compileRe2(pattern: string, path: string): Re2Regex {
  try {
    return new Re2Regex(pattern);
  } catch (err) {
    if (!isRe2Error(err)) throw err;
    throw new StageConfigError(
      path,
      `is not a valid regular expression: ${err.message}`,
      'Promtail compiles regexes with Go (RE2 syntax: https://github.com/google/re2/wiki/Syntax)',
      err,
    );
  }
}

/** Reads one stage's mapping, refusing keys Promtail has no field for. */
export class ConfigReader {
  constructor(
    readonly path: string,
    private readonly config: Record<string, unknown>,
  ) {}

  static of(config: unknown, path: string, stage: string, keys: readonly string[]): ConfigReader {
    if (!isRecord(config))
      throw new StageConfigError(
        path,
        `is not a mapping`,
        `write the ${stage} stage's options as a mapping of ${keys.join(', ')}`,
      );
    for (const key of Object.keys(config)) {
      if (!keys.includes(key))
        throw new StageConfigError(
          `${path}.${key}`,
          `is not an option of the ${stage} stage`,
          `use one of: ${keys.join(', ')}`,
        );
    }
    return new ConfigReader(path, config);
  }

  at(key: string): string {
    return `${this.path}.${key}`;
  }

  has(key: string): boolean {
    return this.config[key] !== undefined && this.config[key] !== null;
  }

  raw(key: string): unknown {
    return this.config[key];
  }

  string(key: string): string | undefined {
    const value = this.config[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string')
      throw new StageConfigError(this.at(key), `must be a string`, `quote the value`);
    return value;
  }

  /** A string where Promtail decodes weakly: numbers and booleans are taken as their text. */
  weakString(key: string): string | undefined {
    const value = this.config[key];
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return this.string(key);
  }

  boolean(key: string): boolean | undefined {
    const value = this.config[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean')
      throw new StageConfigError(this.at(key), `must be true or false`, `write true or false`);
    return value;
  }

  number(key: string): number | undefined {
    const value = this.config[key];
    if (value === undefined || value === null) return undefined;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n))
      throw new StageConfigError(this.at(key), `must be a number`, `write a number, e.g. 10`);
    return n;
  }

  integer(key: string): number | undefined {
    const n = this.number(key);
    if (n !== undefined && !Number.isInteger(n))
      throw new StageConfigError(this.at(key), `must be a whole number`, `write e.g. 10`);
    return n;
  }

  stringList(key: string): string[] | undefined {
    const value = this.config[key];
    if (value === undefined || value === null) return undefined;
    return stringList(value, this.at(key));
  }
}

/** A YAML list of strings, each checked. */
export function stringList(value: unknown, path: string): string[] {
  if (!Array.isArray(value))
    throw new StageConfigError(path, `must be a list of strings`, `write e.g. [a, b]`);
  return value.map((item, i) => {
    if (typeof item !== 'string')
      throw new StageConfigError(`${path}[${i}]`, `must be a string`, `quote the value`);
    return item;
  });
}
