/**
 * Sample values and timestamps. Prometheus reads them with Go's
 * strconv.ParseFloat minus hex floats and digit separators; the same syntax is
 * accepted here, with a fast path for the plain decimals exporters write.
 */
import { errorAt } from './error.js';

/** Where the last fast scan left its value; one reused object, so scans allocate nothing. */
export interface ScanResult {
  value: number;
}

/** 10^0 .. 10^22: every one is exact as a double. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const EXACT_INT = 2 ** 53;

/**
 * Scans `[+-]digits[.digits][(e|E)[+-]digits]` at `i` and returns the index
 * after it, or -1 when the token is anything else or its value could be off by
 * one rounding: then the caller takes the slow path. A mantissa below 2^53
 * scaled by one exact power of ten is a single IEEE operation, so it rounds
 * exactly as Go's parser does (Clinger's fast path).
 */
export function scanDecimal(s: string, i: number, out: ScanResult): number {
  let c = s.charCodeAt(i);
  let negative = false;
  if (c === 0x2d) {
    negative = true;
    c = s.charCodeAt(++i);
  } else if (c === 0x2b) {
    c = s.charCodeAt(++i);
  }
  let mantissa = 0;
  let digits = 0;
  let exp = 0;
  while (c >= 0x30 && c <= 0x39) {
    mantissa = mantissa * 10 + (c - 0x30);
    digits++;
    c = s.charCodeAt(++i);
  }
  if (c === 0x2e) {
    c = s.charCodeAt(++i);
    while (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      exp--;
      c = s.charCodeAt(++i);
    }
  }
  if (digits === 0) return -1;
  if (c === 0x65 || c === 0x45) {
    c = s.charCodeAt(++i);
    let expNegative = false;
    if (c === 0x2d) {
      expNegative = true;
      c = s.charCodeAt(++i);
    } else if (c === 0x2b) {
      c = s.charCodeAt(++i);
    }
    if (!(c >= 0x30 && c <= 0x39)) return -1;
    let e = 0;
    while (c >= 0x30 && c <= 0x39) {
      if (e < 10000) e = e * 10 + (c - 0x30);
      c = s.charCodeAt(++i);
    }
    exp += expNegative ? -e : e;
  }
  if (mantissa >= EXACT_INT) return -1;
  let value: number;
  if (exp === 0 || mantissa === 0) value = mantissa;
  else if (exp > 0 && exp <= 22) value = mantissa * (POW10[exp] ?? 0);
  else if (exp < 0 && exp >= -22) value = mantissa / (POW10[-exp] ?? 1);
  else return -1;
  out.value = negative ? -value : value;
  return i;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^[+-]?(?:inf|infinity)$/i;
const NAN = /^nan$/i;
const UNSUPPORTED = /[pP_]/;

/**
 * The whole float grammar, for the tokens the fast path leaves: special
 * values (inf, infinity, nan in any case; a sign only before inf), long
 * mantissas, large exponents. Throws at `start` with Prometheus's wording.
 */
export function parseFloatToken(s: string, start: number, end: number): number {
  const token = s.slice(start, end);
  if (UNSUPPORTED.test(token)) throw errorAt(s, start, 'unsupported character in float');
  if (DECIMAL.test(token)) {
    const value = Number(token);
    if (Number.isFinite(value)) return value;
    throw errorAt(
      s,
      start,
      `strconv.ParseFloat: parsing ${JSON.stringify(token)}: value out of range`,
    );
  }
  if (INFINITY.test(token)) return token.charCodeAt(0) === 0x2d ? -Infinity : Infinity;
  if (NAN.test(token)) return NaN;
  throw errorAt(s, start, `strconv.ParseFloat: parsing ${JSON.stringify(token)}: invalid syntax`);
}

/** Go's `%f` for the values that make a timestamp invalid. */
export function formatSpecial(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}
