/**
 * `GET /loki/api/v1/query_range` (and `/query`) for a LogQL stream selector,
 * `{app="x", env=~"prod|dev"}`, answered as Loki answers a log query:
 * `{"status":"success","data":{"resultType":"streams","result":[{"stream":
 * {…},"values":[["<ns>","line"]]}]}}`. Entries in [start, end), at most
 * `limit` of them (100), the newest first unless `direction=forward`.
 * Structured metadata joins the stream's labels in the answer, as Loki 3
 * answers, or comes third in each value with the `categorize-labels` flag.
 * Line filters, parsers and metric queries are refused by name.
 */
import type { LocalRequest, LocalResponse } from '../../service.js';
import type { Matcher } from '../aps/matcher.js';
import { SelectorError, parseSelector } from '../aps/selector.js';
import type { LokiLogStore, StoredStream } from './log-store.js';
import type { PushedEntry } from './push.js';
import { headerOf } from './push.js';

/** A query Loki answers 400 with this plain-text line. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
}

const DEFAULT_LIMIT = 100;
const HOUR_NS = 3_600_000_000_000n;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+\.\d*$/;

export function queryLogs(
  request: LocalRequest,
  tenant: string,
  store: LokiLogStore,
  instant: boolean,
): LocalResponse {
  const params = formParams(request);
  const query = params.get('query') ?? '';
  const matchers = parseStreamSelector(query);
  const now = BigInt(request.now) * 1_000_000n;
  const end = instant ? timeParam(params, 'time', now) : timeParam(params, 'end', now);
  const start = timeParam(params, 'start', end - HOUR_NS);
  const limit = limitParam(params);
  const direction = (params.get('direction') ?? 'backward').toLowerCase();
  if (direction !== 'backward' && direction !== 'forward') {
    throw new QueryError(
      `invalid direction ${JSON.stringify(direction)}: give forward or backward`,
    );
  }
  const categorize = (headerOf(request, 'x-loki-response-encoding-flags') ?? '')
    .split(',')
    .some((flag) => flag.trim() === 'categorize-labels');

  const found: { stream: StoredStream; entry: PushedEntry }[] = [];
  for (const stream of store.streams(tenant)) {
    if (!matchers.every((m) => m.matches(stream.labels[m.name] ?? ''))) continue;
    for (let i = stream.head; i < stream.entries.length; i++) {
      const entry = stream.entries[i]!;
      if (entry.ts >= start && entry.ts < end) found.push({ stream, entry });
    }
  }
  // Stable: entries of one timestamp keep the order they arrived in.
  const forward = direction === 'forward';
  found.sort((a, b) =>
    a.entry.ts === b.entry.ts ? 0 : a.entry.ts < b.entry.ts === forward ? -1 : 1,
  );
  const result = new Map<string, { stream: Record<string, string>; values: unknown[] }>();
  for (const { stream, entry } of found.slice(0, limit)) {
    const labels =
      categorize || !entry.metadata ? stream.labels : { ...entry.metadata, ...stream.labels };
    const key = JSON.stringify(Object.entries(labels).sort());
    let group = result.get(key);
    if (!group) {
      group = { stream: { ...labels }, values: [] };
      result.set(key, group);
    }
    group.values.push(
      categorize && entry.metadata
        ? [entry.ts.toString(), entry.line, { structuredMetadata: entry.metadata }]
        : [entry.ts.toString(), entry.line],
    );
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      status: 'success',
      data: { resultType: 'streams', result: [...result.values()] },
    }),
  };
}

/** A LogQL stream selector; anything more is refused by name. */
function parseStreamSelector(query: string): Matcher[] {
  const text = query.trim();
  if (!text.startsWith('{')) {
    throw new QueryError(
      `parse error: ${JSON.stringify(query)} is not a stream selector; signet local evaluates only {label="value", …}`,
    );
  }
  try {
    return parseSelector(text);
  } catch (error) {
    if (!(error instanceof SelectorError)) throw error;
    if (/\}\s*\S/.test(text) && /after the vector selector|not supported/.test(error.message)) {
      throw new QueryError(
        'signet local evaluates only a stream selector such as {app="x"}: line filters (|=, |~), parsers and metric queries are not supported',
      );
    }
    if (/non-empty matcher/.test(error.message)) {
      throw new QueryError(
        'parse error: queries require at least one regexp or equality matcher that does not have an empty-compatible value',
      );
    }
    throw new QueryError(`parse error at line 1, col ${error.position}: ${error.message}`);
  }
}

/** Loki's time parameters: Unix seconds (up to 10 digits), else nanoseconds; float seconds; RFC3339. */
function timeParam(params: URLSearchParams, name: string, fallback: bigint): bigint {
  const text = params.get(name)?.trim() ?? '';
  if (text === '') return fallback;
  if (INTEGER.test(text)) {
    const value = BigInt(text);
    return text.replace('-', '').length <= 10 ? value * 1_000_000_000n : value;
  }
  if (DECIMAL.test(text)) {
    const [whole = '0', fraction = ''] = text.split('.');
    const nanos = BigInt(fraction.padEnd(9, '0').slice(0, 9) || '0');
    const seconds = BigInt(whole) * 1_000_000_000n;
    return whole.startsWith('-') ? seconds - nanos : seconds + nanos;
  }
  const parsed = /^(.*?)(\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(text);
  const ms = parsed ? Date.parse(`${parsed[1]}${parsed[4]!.toUpperCase()}`) : NaN;
  if (!parsed || Number.isNaN(ms)) {
    throw new QueryError(
      `invalid parameter ${name}: cannot parse ${JSON.stringify(text)} as a time`,
    );
  }
  return BigInt(ms) * 1_000_000n + BigInt((parsed[3] ?? '').padEnd(9, '0') || '0');
}

function limitParam(params: URLSearchParams): number {
  const text = params.get('limit') ?? '';
  if (text === '') return DEFAULT_LIMIT;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit <= 0) {
    throw new QueryError(`invalid limit ${JSON.stringify(text)}: give a whole number above 0`);
  }
  return limit;
}

/**
 * The parameters as Loki (Go's ParseForm) reads them: the query string as a
 * form (`+` is a space, as Go clients encode it), then a form-encoded POST body.
 */
function formParams(request: LocalRequest): URLSearchParams {
  const params = new URLSearchParams(request.rawQuery ?? request.query.toString());
  const mediaType = (headerOf(request, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (
    request.method.toUpperCase() === 'POST' &&
    mediaType === 'application/x-www-form-urlencoded'
  ) {
    for (const [name, value] of new URLSearchParams(request.body.toString('utf8'))) {
      params.append(name, value);
    }
  }
  return params;
}
