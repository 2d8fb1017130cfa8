/** CreateLogStream and DescribeLogStreams. */
import { z } from 'zod';
import { ServiceError } from '../../service.js';
import { findGroup, sequenceToken, type Context } from './context.js';
import {
  LOG_GROUP_NAME,
  LOG_STREAM_NAME,
  NEXT_TOKEN,
  optBool,
  optEnum,
  optInt,
  optString,
  reqString,
} from './input.js';
import { MAX_DESCRIBE_LIMIT } from './limits.js';
import { decodeToken, encodeToken, pageOf } from './paging.js';
import { requestedGroup, streamArn } from './scope.js';
import type { LogStream } from './state.js';

export function createLogStream(ctx: Context): Record<string, unknown> {
  const groupName = reqString(ctx.body, 'logGroupName', LOG_GROUP_NAME);
  const name = reqString(ctx.body, 'logStreamName', LOG_STREAM_NAME);
  const group = findGroup(ctx, groupName);
  if (group.streams.has(name)) {
    throw new ServiceError(
      'ResourceAlreadyExistsException',
      'The specified log stream already exists',
    );
  }
  group.streams.set(name, {
    name,
    creationTime: ctx.now,
    events: [],
    lastIngestionTime: undefined,
    nextId: 1,
  });
  ctx.save();
  return {};
}

/** A stream's place in the listing: its last event time (0 when none) and its name. */
const streamCursor = z.object({ time: z.number(), name: z.string() });
type StreamKey = z.infer<typeof streamCursor>;

function keyOf(stream: LogStream): StreamKey {
  return { time: stream.events.at(-1)?.timestamp ?? 0, name: stream.name };
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function describeLogStreams(ctx: Context): Record<string, unknown> {
  const groupName = requestedGroup(ctx.body, ctx.scope);
  const prefix = optString(ctx.body, 'logStreamNamePrefix', LOG_STREAM_NAME);
  const orderBy = optEnum(ctx.body, 'orderBy', ['LogStreamName', 'LastEventTime'] as const);
  const descending = optBool(ctx.body, 'descending') ?? false;
  const limit =
    optInt(ctx.body, 'limit', { min: 1, max: MAX_DESCRIBE_LIMIT }) ?? MAX_DESCRIBE_LIMIT;
  const token = optString(ctx.body, 'nextToken', NEXT_TOKEN);
  if (orderBy === 'LastEventTime' && prefix !== undefined) {
    throw new ServiceError(
      'InvalidParameterException',
      'Cannot order by LastEventTime with a logStreamNamePrefix.',
    );
  }
  const cursor = token === undefined ? undefined : decodeToken(token, streamCursor);
  const group = findGroup(ctx, groupName);

  const byTime = orderBy === 'LastEventTime';
  const direction = descending ? -1 : 1;
  const compare = (a: StreamKey, b: StreamKey): number =>
    direction * ((byTime ? a.time - b.time : 0) || compareNames(a.name, b.name));
  const sorted = [...group.streams.values()]
    .filter((s) => prefix === undefined || s.name.startsWith(prefix))
    .sort((a, b) => compare(keyOf(a), keyOf(b)));
  const page = pageOf(
    sorted,
    limit,
    cursor === undefined ? undefined : (s) => compare(keyOf(s), cursor) > 0,
  );
  const last = page.items.at(-1);
  return {
    logStreams: page.items.map((s) => describeStream(ctx, group.name, s)),
    ...(page.more && last ? { nextToken: encodeToken(keyOf(last)) } : {}),
  };
}

/** The LogStream shape; event times appear only once the stream has events. */
function describeStream(ctx: Context, group: string, s: LogStream): Record<string, unknown> {
  const first = s.events[0];
  const last = s.events.at(-1);
  return {
    logStreamName: s.name,
    creationTime: s.creationTime,
    ...(first && last
      ? { firstEventTimestamp: first.timestamp, lastEventTimestamp: last.timestamp }
      : {}),
    ...(s.lastIngestionTime === undefined ? {} : { lastIngestionTime: s.lastIngestionTime }),
    uploadSequenceToken: sequenceToken(s),
    arn: streamArn(ctx.scope, group, s.name),
    storedBytes: 0,
  };
}
