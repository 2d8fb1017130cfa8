/**
 * The Prometheus HTTP API's JSON: the success and error envelopes, sample
 * values as Go's `strconv.FormatFloat(v, 'f', -1, 64)` writes them, and
 * timestamps as float seconds.
 */
import type { LocalResponse } from '../../service.js';
import type { Labels } from './series-store.js';

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

export function success(data: unknown): LocalResponse {
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ status: 'success', data }) };
}

export function badData(message: string): LocalResponse {
  return {
    status: 400,
    headers: JSON_HEADERS,
    body: JSON.stringify({ status: 'error', errorType: 'bad_data', error: message }),
  };
}

/** Milliseconds as the float seconds Prometheus writes, e.g. 1700000000.5. */
export function formatTimestamp(ms: number): number {
  return ms / 1000;
}

/** A sample value as Prometheus writes it: shortest decimal, never an exponent. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Object.is(value, -0)) return '-0';
  const text = String(value);
  const exponentAt = text.indexOf('e');
  if (exponentAt < 0) return text;
  return expandExponent(text.slice(0, exponentAt), Number(text.slice(exponentAt + 1)));
}

/** `1.5`, `-7` → `0.00000015`: JS's shortest digits, positioned without an exponent. */
function expandExponent(mantissa: string, exponent: number): string {
  const negative = mantissa.startsWith('-');
  const unsigned = negative ? mantissa.slice(1) : mantissa;
  const [whole = '', fraction = ''] = unsigned.split('.');
  const digits = whole + fraction;
  // Where the decimal point falls, counted in digits from the left.
  const point = whole.length + exponent;
  let result: string;
  if (point <= 0) result = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) result = digits + '0'.repeat(point - digits.length);
  else result = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${result}` : result;
}

/** A label set as the JSON object Prometheus writes for a series. */
export function labelsObject(labels: Labels): Record<string, string> {
  // Object.fromEntries defines own properties, so even a `__proto__` label stays data.
  return Object.fromEntries(labels);
}
