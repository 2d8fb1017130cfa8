/**
 * FilterLogEvents: events of a group's streams, interleaved in time order
 * (the `interleaved` flag is ignored, as AWS has ignored it since 2019),
 * filtered by stream, time range and filter pattern. The nextToken carries the
 * direction and the last event returned; it is absent when nothing is left.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ServiceError } from '../../service.js';
import { findGroup, type Context } from './context.js';
import { LOG_STREAM_NAME, NEXT_TOKEN, optBool, optString, optStringList } from './input.js';
import { MAX_FILTER_PATTERN_LENGTH, MAX_FILTER_STREAM_NAMES } from './limits.js';
import { compileFilterPattern } from './filter-pattern.js';
import { decodeToken, encodeToken } from './paging.js';
import { fillPage, readOptions } from './read-page.js';
import { requestedGroup } from './scope.js';
import type { LogStream, StoredEvent } from './state.js';

/**
 * The reference: events are "sorted by event timestamp, the timestamp when the
 * event was ingested … and the ID of the PutLogEvents request"; the stream name
 * and event id here make the order total.
 */
const cursorSchema = z.object({
  forward: z.boolean(),
  ts: z.number(),
  ingested: z.number(),
  stream: z.string(),
  id: z.number(),
});
type Cursor = z.infer<typeof cursorSchema>;

interface Found extends StoredEvent {
  readonly stream: string;
}

type SortKey = Omit<Cursor, 'forward'>;

function keyOf(e: Found): SortKey {
  return { ts: e.timestamp, ingested: e.ingestionTime, stream: e.stream, id: e.id };
}

function compare(a: SortKey, b: SortKey): number {
  const byStream = a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0;
  return a.ts - b.ts || a.ingested - b.ingested || byStream || a.id - b.id;
}

/** startFromHead=false "is supported only when startTime is on or after Jan 1, 2024". */
const DESCENDING_SINCE = Date.UTC(2024, 0, 1);

/** A numeric id unique within the group, like AWS's 56-digit event ids. */
function eventId(stream: string, e: StoredEvent): string {
  const streamHash = createHash('sha256').update(stream).digest().readBigUInt64BE(0) % 10n ** 16n;
  return `${String(e.timestamp).padStart(20, '0')}${String(e.id).padStart(20, '0')}${String(streamHash).padStart(16, '0')}`;
}

function selectStreams(ctx: Context, streams: Map<string, LogStream>): LogStream[] {
  const names = optStringList(ctx.body, 'logStreamNames', LOG_STREAM_NAME, {
    min: 1,
    max: MAX_FILTER_STREAM_NAMES,
  });
  const prefix = optString(ctx.body, 'logStreamNamePrefix', LOG_STREAM_NAME);
  if (names !== undefined && prefix !== undefined) {
    throw new ServiceError(
      'InvalidParameterException',
      'You cannot specify both logStreamNames and logStreamNamePrefix.',
    );
  }
  const all = [...streams.values()];
  if (names !== undefined) return all.filter((s) => names.includes(s.name));
  if (prefix !== undefined) return all.filter((s) => s.name.startsWith(prefix));
  return all;
}

export function filterLogEvents(ctx: Context): Record<string, unknown> {
  const groupName = requestedGroup(ctx.body, ctx.scope);
  const { startTime, endTime, limit } = readOptions(ctx.body);
  const pattern = optString(ctx.body, 'filterPattern', { max: MAX_FILTER_PATTERN_LENGTH });
  const matches = compileFilterPattern(pattern);
  const token = optString(ctx.body, 'nextToken', NEXT_TOKEN);
  const startFromHead = optBool(ctx.body, 'startFromHead');
  optBool(ctx.body, 'interleaved');
  optBool(ctx.body, 'unmask');
  if (startFromHead === false && startTime !== undefined && startTime < DESCENDING_SINCE) {
    throw new ServiceError(
      'InvalidParameterException',
      'startFromHead=false requires a startTime on or after Jan 1, 2024 00:00:00 UTC.',
    );
  }
  const cursor = token === undefined ? undefined : decodeToken(token, cursorSchema);
  const group = findGroup(ctx, groupName);
  const streams = selectStreams(ctx, group.streams);

  // Both ends are inclusive here: "Events with a timestamp before [startTime] / later
  // than [endTime] are not returned."
  const found: Found[] = [];
  for (const stream of streams) {
    for (const e of stream.events) {
      if (startTime !== undefined && e.timestamp < startTime) continue;
      if (endTime !== undefined && e.timestamp > endTime) continue;
      if (matches(e.message)) found.push({ ...e, stream: stream.name });
    }
  }
  // "If you provide both nextToken and startFromHead, the direction of the nextToken is used."
  const forward = cursor?.forward ?? startFromHead ?? true;
  const direction = forward ? 1 : -1;
  found.sort((a, b) => direction * compare(keyOf(a), keyOf(b)));
  const remaining = cursor ? found.filter((e) => direction * compare(keyOf(e), cursor) > 0) : found;
  const page = fillPage(remaining, limit);
  const last = page.at(-1);
  const next: Cursor | undefined =
    last && page.length < remaining.length ? { forward, ...keyOf(last) } : undefined;
  return {
    events: page.map((e) => ({
      logStreamName: e.stream,
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.ingestionTime,
      eventId: eventId(e.stream, e),
    })),
    searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
    ...(next ? { nextToken: encodeToken(next) } : {}),
  };
}
