/**
 * Reading Prometheus HTTP API parameters: from the query string and, for a
 * POST, a form-encoded body; timestamps and durations in the spellings the
 * Prometheus API accepts.
 */
import type { LocalRequest } from '../../service.js';

/** A request the Prometheus API answers with `errorType: bad_data` and 400. */
export class BadData extends Error {
  override readonly name = 'BadData';
}

/**
 * The request's parameters. As Go's ParseForm, body values come before the
 * query string's, so the body wins for single-valued parameters.
 */
export function requestParams(request: LocalRequest): URLSearchParams {
  const params = new URLSearchParams();
  if (request.method.toUpperCase() === 'POST' && request.body.length > 0) {
    const header = request.headers['content-type'] ?? '';
    const mediaType = header.split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'application/x-www-form-urlencoded') {
      throw new BadData(
        `a POST body must be application/x-www-form-urlencoded, got ${JSON.stringify(header)}`,
      );
    }
    for (const [name, value] of new URLSearchParams(request.body.toString('utf8'))) {
      params.append(name, value);
    }
  }
  for (const [name, value] of request.query) params.append(name, value);
  return params;
}

// Prometheus's own bounds for an omitted start/end: the years -292273086 and
// 292277025 are beyond a JS Date, so the widest safe millisecond values stand in.
export const MIN_TIME = Number.MIN_SAFE_INTEGER;
export const MAX_TIME = Number.MAX_SAFE_INTEGER;

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A timestamp parameter in milliseconds; `fallback` when the parameter is absent. */
export function timeParam(params: URLSearchParams, name: string, fallback?: number): number {
  const text = params.get(name) ?? '';
  // As Prometheus: an optional time left empty takes its default; a required one is an error.
  if (text === '' && fallback !== undefined) return fallback;
  const parsed = parseTime(text);
  if (parsed === undefined) {
    throw new BadData(
      `invalid parameter ${JSON.stringify(name)}: cannot parse ${JSON.stringify(text)} to a valid timestamp`,
    );
  }
  return parsed;
}

function parseTime(text: string): number | undefined {
  if (DECIMAL.test(text)) {
    const seconds = Number(text);
    if (!Number.isFinite(seconds)) return undefined;
    // As Prometheus: whole seconds, plus the fraction rounded to milliseconds.
    const whole = Math.trunc(seconds);
    const ms = whole * 1000 + Math.round((seconds - whole) * 1000);
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  if (RFC3339.test(text)) {
    const ms = Date.parse(text.toUpperCase());
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** A duration parameter (float seconds or `1h30m`) in milliseconds. */
export function durationParam(params: URLSearchParams, name: string): number {
  const text = params.get(name) ?? '';
  const parsed = parseDuration(text);
  if (parsed === undefined) {
    throw new BadData(
      `invalid parameter ${JSON.stringify(name)}: cannot parse ${JSON.stringify(text)} to a valid duration`,
    );
  }
  return parsed;
}

function parseDuration(text: string): number | undefined {
  if (DECIMAL.test(text)) {
    const ms = Math.round(Number(text) * 1000);
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  const match = text === '' ? null : DURATION.exec(text);
  if (!match) return undefined;
  let ms = 0;
  UNIT_MS.forEach((unit, i) => {
    ms += Number(match[i + 1] ?? 0) * unit;
  });
  return Number.isSafeInteger(ms) ? ms : undefined;
}
