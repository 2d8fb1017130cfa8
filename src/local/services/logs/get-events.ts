/**
 * GetLogEvents. A token is a direction and a boundary between two events:
 * `f/…` reads the events after it, oldest first; `b/…` the events before it,
 * newest first (returned in time order). At the end of the data the token
 * passed in comes back unchanged, which is how AWS tells clients to stop.
 */
import { ServiceError } from '../../service.js';
import { findGroup, findStream, type Context } from './context.js';
import { LOG_STREAM_NAME, NEXT_TOKEN, optBool, optString, reqString } from './input.js';
import { fillPage, readOptions } from './read-page.js';
import { requestedGroup } from './scope.js';
import type { StoredEvent } from './state.js';

/** An event's place in its stream; `ts` −1 sorts before every event, MAX after. */
interface Key {
  readonly ts: number;
  readonly id: number;
}
const BEFORE_ALL: Key = { ts: -1, id: 0 };
const AFTER_ALL: Key = { ts: Number.MAX_SAFE_INTEGER - 1, id: 0 };

function compare(a: Key, b: Key): number {
  return a.ts - b.ts || a.id - b.id;
}

const keyOf = (e: StoredEvent): Key => ({ ts: e.timestamp, id: e.id });

/** `f/` or `b/` and 56 digits, the shape AWS's tokens have. */
function encode(direction: 'f' | 'b', key: Key): string {
  return `${direction}/${String(key.ts + 1).padStart(20, '0')}${String(key.id).padStart(36, '0')}`;
}

function decode(token: string): { direction: 'f' | 'b'; key: Key } {
  const match = /^([fb])\/(\d{20})(\d{36})$/.exec(token);
  const ts = Number(match?.[2]) - 1;
  const id = Number(match?.[3]);
  if (!match || !Number.isSafeInteger(ts) || !Number.isSafeInteger(id)) {
    throw new ServiceError('InvalidParameterException', 'The specified nextToken is invalid.');
  }
  return { direction: match[1] === 'f' ? 'f' : 'b', key: { ts, id } };
}

export function getLogEvents(ctx: Context): Record<string, unknown> {
  const groupName = requestedGroup(ctx.body, ctx.scope);
  const streamName = reqString(ctx.body, 'logStreamName', LOG_STREAM_NAME);
  const { startTime, endTime, limit } = readOptions(ctx.body);
  const token = optString(ctx.body, 'nextToken', NEXT_TOKEN);
  const startFromHead = optBool(ctx.body, 'startFromHead') ?? false;
  optBool(ctx.body, 'unmask');
  // The token's own direction wins, so a nextBackwardToken pages backwards.
  const from = token === undefined ? undefined : decode(token);
  const stream = findStream(findGroup(ctx, groupName), streamName);

  // startTime is inclusive and endTime exclusive here (unlike FilterLogEvents).
  const inRange = stream.events.filter(
    (e) =>
      (startTime === undefined || e.timestamp >= startTime) &&
      (endTime === undefined || e.timestamp < endTime),
  );
  const forward = from ? from.direction === 'f' : startFromHead;
  const boundary = from?.key ?? (forward ? BEFORE_ALL : AFTER_ALL);
  let page: StoredEvent[];
  if (forward) {
    page = fillPage(
      inRange.filter((e) => compare(keyOf(e), boundary) > 0),
      limit,
    );
  } else {
    page = fillPage(
      inRange.filter((e) => compare(keyOf(e), boundary) < 0).reverse(),
      limit,
    ).reverse();
  }

  const first = page[0];
  const last = page.at(-1);
  // With nothing returned, both tokens stay where the reading was; a first read
  // from the tail with nothing to show still points forward at the stream's end.
  const tail = stream.events.at(-1);
  const rest = from?.key ?? (forward || !tail ? BEFORE_ALL : keyOf(tail));
  return {
    events: page.map((e) => ({
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.ingestionTime,
    })),
    nextForwardToken: encode('f', last ? keyOf(last) : rest),
    nextBackwardToken: encode('b', first ? keyOf(first) : rest),
  };
}
