/**
 * Reading Promtail's `extracted` map: values are strings, numbers, booleans
 * or null (what the json stage finds), and a stage that wants text converts
 * them as Promtail's getString does — numbers in plain decimal, never with an
 * exponent — and skips anything else.
 */
import type { StageEntry } from '../types.js';

/** Promtail's getString: the value as text, or undefined where Promtail gives up ("can't convert"). */
export function extractedString(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return formatFloat(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return undefined;
  }
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64): shortest digits, no exponent. */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  const text = String(value);
  const e = text.indexOf('e');
  if (e < 0) return text;
  // Shift the shortest digits' decimal point by the exponent.
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

/**
 * The text a parsing stage works on: the line, or the extracted value named
 * by `source`. Undefined when the source is missing or not convertible,
 * where Promtail's stage does nothing.
 */
export function inputOf(entry: StageEntry, source: string | undefined): string | undefined {
  if (source === undefined) return entry.line;
  if (!Object.hasOwn(entry.extracted, source)) return undefined;
  return extractedString(entry.extracted[source]);
}

/** A stable key for a label set (Promtail keys per-stream state by the labels' fingerprint). */
export function labelsKey(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels);
  if (names.length > 1) names.sort();
  let key = '';
  for (const name of names) key += `${name}\u0000${labels[name]}\u0001`;
  return key;
}
