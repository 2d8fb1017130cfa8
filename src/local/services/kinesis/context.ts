/**
 * What every Kinesis operation works with: the state, the service's options,
 * and the lookup from a request's StreamName or StreamARN to a stored stream
 * (creating it when `autoCreate` allows).
 */
import { accountOf, ServiceError, type LocalRequest } from '../../service.js';
import type { RecordFaults } from '../record-faults.js';
import { checkStreamName, optionalString, Violations, type JsonObject } from '../firehose/wire.js';
import {
  DEFAULT_MAX_RECORD_KIB,
  newStream,
  parseStreamArn,
  streamArn,
  type KinesisState,
  type StoredStream,
} from './state.js';

export type { RecordFault } from '../../service.js';
export type { RecordFaults as KinesisFaults } from '../record-faults.js';

export interface KinesisOptions extends RecordFaults {
  /**
   * When true (the default), naming a stream that does not exist (in a put,
   * DescribeStreamSummary, ListShards or GetShardIterator) creates it with one
   * shard, so a local setup needs no CreateStream step. When false, such a
   * request answers ResourceNotFoundException, as AWS does.
   */
  readonly autoCreate?: boolean;
}

export interface KinesisContext {
  readonly state: KinesisState;
  readonly options: KinesisOptions;
  /** Persists the state after a change. */
  save(): void;
}

/** Where a request's stream lives: from StreamARN when given, else StreamName in the caller's account. */
export interface StreamRef {
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
}

/** Reads StreamName / StreamARN without touching state (operation() uses it too). */
export function streamRef(req: LocalRequest, body: JsonObject): StreamRef | undefined {
  const arn = optionalString(body, 'StreamARN');
  if (arn !== undefined) {
    const parts = parseStreamArn(arn);
    return parts === undefined ? undefined : { ...parts, arn };
  }
  const name = optionalString(body, 'StreamName');
  if (name === undefined || name === '') return undefined;
  const account = accountOf(req);
  return { name, account, region: req.region, arn: streamArn(req.region, account, name) };
}

/** The checked reference of a request that must name a stream. */
export function requireStreamRef(req: LocalRequest, body: JsonObject): StreamRef {
  const violations = new Violations();
  const arn = optionalString(body, 'StreamARN');
  if (arn !== undefined) {
    if (parseStreamArn(arn) === undefined) {
      violations.add(
        `'${arn}'`,
        'streamARN',
        'must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
      );
    }
  } else {
    checkStreamName(optionalString(body, 'StreamName'), 'streamName', 128, violations);
  }
  violations.throwIfAny();
  const ref = streamRef(req, body);
  if (ref === undefined) throw new Error('unreachable: the checks above passed');
  return ref;
}

export function notFound(ref: StreamRef): ServiceError {
  return new ServiceError(
    'ResourceNotFoundException',
    `Stream ${ref.name} under account ${ref.account} not found.`,
  );
}

/** The stream a request names; created on the fly only when `autoCreate` is on. */
export function findStream(ctx: KinesisContext, ref: StreamRef, now: number): StoredStream {
  const existing = ctx.state.streams[ref.arn];
  if (existing !== undefined) return existing;
  if (ctx.options.autoCreate === false) throw notFound(ref);
  const created = newStream(
    ref.region,
    ref.account,
    ref.name,
    1,
    'PROVISIONED',
    DEFAULT_MAX_RECORD_KIB,
    now,
  );
  ctx.state.streams[ref.arn] = created;
  ctx.save();
  return created;
}
