/**
 * Reading records back the way a Kinesis consumer does: GetShardIterator,
 * then GetRecords with each answer's NextShardIterator. Iterators are opaque
 * tokens carrying the stream, shard, position and issue time, and expire
 * after five minutes as AWS's do.
 */
import { ServiceError, type LocalRequest, type LocalResponse } from '../../service.js';
import {
  jsonResponse,
  optionalInteger,
  optionalString,
  Violations,
  type JsonObject,
} from '../firehose/wire.js';
import { findStream, notFound, requireStreamRef, type KinesisContext } from './context.js';
import { parseStreamArn, type StoredShard } from './state.js';

/** AWS: "A shard iterator expires 5 minutes after it is returned to the requester." */
const ITERATOR_LIFETIME_MS = 5 * 60 * 1000;
/** GetRecords' Limit range, and its 10 MiB ceiling on the data one call returns. */
const MAX_LIMIT = 10000;
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

const ITERATOR_TYPES = [
  'AT_SEQUENCE_NUMBER',
  'AFTER_SEQUENCE_NUMBER',
  'TRIM_HORIZON',
  'LATEST',
  'AT_TIMESTAMP',
];

interface Iterator {
  /** Stream ARN. */
  readonly a: string;
  /** Shard id. */
  readonly s: string;
  /** Index of the next record in the shard's list (records are never trimmed). */
  readonly i: number;
  /** When it was issued, ms since the epoch. */
  readonly t: number;
}

function encodeIterator(it: Iterator): string {
  return Buffer.from(JSON.stringify(it)).toString('base64');
}

/** Decodes an iterator token; undefined when it is not one of ours. */
export function decodeIterator(token: string): Iterator | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { a, s, i, t } = value as Record<string, unknown>;
    if (typeof a !== 'string' || typeof s !== 'string') return undefined;
    if (typeof i !== 'number' || typeof t !== 'number') return undefined;
    return { a, s, i, t };
  } catch {
    return undefined;
  }
}

/** The index of the first record whose sequence number satisfies `accept`. */
function indexWhere(shard: StoredShard, accept: (seq: bigint) => boolean): number {
  const index = shard.records.findIndex((r) => accept(BigInt(r.seq)));
  return index === -1 ? shard.records.length : index;
}

function startIndex(shard: StoredShard, type: string, body: JsonObject): number {
  if (type === 'TRIM_HORIZON') return 0;
  if (type === 'LATEST') return shard.records.length;
  if (type === 'AT_TIMESTAMP') {
    const at = body['Timestamp'];
    if (typeof at !== 'number') {
      throw new ServiceError(
        'InvalidArgumentException',
        'Timestamp must be specified for AT_TIMESTAMP',
      );
    }
    const index = shard.records.findIndex((r) => r.at >= at * 1000);
    return index === -1 ? shard.records.length : index;
  }
  const seq = optionalString(body, 'StartingSequenceNumber');
  if (seq === undefined || !/^\d{1,128}$/.test(seq)) {
    throw new ServiceError(
      'InvalidArgumentException',
      `StartingSequenceNumber must be specified for ${type} as a decimal number`,
    );
  }
  const wanted = BigInt(seq);
  return type === 'AT_SEQUENCE_NUMBER'
    ? indexWhere(shard, (s) => s >= wanted)
    : indexWhere(shard, (s) => s > wanted);
}

export function getShardIterator(
  ctx: KinesisContext,
  req: LocalRequest,
  body: JsonObject,
): LocalResponse {
  const ref = requireStreamRef(req, body);
  const violations = new Violations();
  const shardId = optionalString(body, 'ShardId');
  const type = optionalString(body, 'ShardIteratorType');
  if (shardId === undefined) violations.missing('shardId');
  if (type === undefined) violations.missing('shardIteratorType');
  else if (!ITERATOR_TYPES.includes(type)) {
    violations.add(
      `'${type}'`,
      'shardIteratorType',
      `must satisfy enum value set: [${ITERATOR_TYPES.join(', ')}]`,
    );
  }
  violations.throwIfAny();
  if (shardId === undefined || type === undefined) throw new Error('unreachable');

  const stream = findStream(ctx, ref, req.now);
  const shard = stream.shards.find((s) => s.id === shardId);
  if (shard === undefined) {
    throw new ServiceError(
      'ResourceNotFoundException',
      `Shard ${shardId} in stream ${stream.name} under account ${stream.account} does not exist`,
    );
  }
  const index = startIndex(shard, type, body);
  return jsonResponse({
    ShardIterator: encodeIterator({ a: stream.arn, s: shard.id, i: index, t: req.now }),
  });
}

export function getRecords(
  ctx: KinesisContext,
  req: LocalRequest,
  body: JsonObject,
): LocalResponse {
  const violations = new Violations();
  const token = optionalString(body, 'ShardIterator');
  const limit = optionalInteger(body, 'Limit') ?? MAX_LIMIT;
  if (token === undefined) violations.missing('shardIterator');
  if (limit < 1)
    violations.add(`'${limit}'`, 'limit', 'must have value greater than or equal to 1');
  if (limit > MAX_LIMIT)
    violations.add(`'${limit}'`, 'limit', `must have value less than or equal to ${MAX_LIMIT}`);
  violations.throwIfAny();

  const it = token === undefined ? undefined : decodeIterator(token);
  const ref = it === undefined ? undefined : parseStreamArn(it.a);
  if (it === undefined || ref === undefined) {
    throw new ServiceError('InvalidArgumentException', 'Invalid ShardIterator.');
  }
  if (req.now - it.t > ITERATOR_LIFETIME_MS) {
    throw new ServiceError(
      'ExpiredIteratorException',
      `Iterator expired. The iterator was created at time ${new Date(it.t).toUTCString()} while right now it is ${new Date(req.now).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`,
    );
  }
  // Reading never creates a stream: an iterator for a missing one means it is gone.
  const stream = ctx.state.streams[it.a];
  if (stream === undefined) throw notFound({ ...ref, arn: it.a });
  const shard = stream.shards.find((s) => s.id === it.s);
  if (shard === undefined)
    throw new ServiceError('InvalidArgumentException', 'Invalid ShardIterator.');

  const out: JsonObject[] = [];
  let bytes = 0;
  let next = it.i;
  while (next < shard.records.length && out.length < limit) {
    const record = shard.records[next];
    if (record === undefined) break;
    const size = Buffer.byteLength(record.data, 'base64');
    // Always return at least one record, or a large one would block the shard.
    if (out.length > 0 && bytes + size > MAX_RESPONSE_BYTES) break;
    bytes += size;
    out.push({
      SequenceNumber: record.seq,
      ApproximateArrivalTimestamp: record.at / 1000,
      Data: record.data,
      PartitionKey: record.key,
    });
    next += 1;
  }
  const unread = shard.records[next];
  return jsonResponse({
    Records: out,
    NextShardIterator: encodeIterator({ a: it.a, s: it.s, i: next, t: req.now }),
    MillisBehindLatest: unread === undefined ? 0 : Math.max(0, req.now - unread.at),
  });
}
