/**
 * What every Firehose operation works with: the state, the options the
 * service was created with, and the lookup that turns a stream name in a
 * request into a stored stream (creating it when `autoCreate` allows).
 */
import { accountOf, ServiceError, type LocalRequest, type RecordFault } from '../../service.js';
import type { RecordFaults } from '../record-faults.js';
import { newStream, streamArn, type FirehoseState, type StoredStream } from './state.js';

export type { RecordFault } from '../../service.js';
export type { RecordFaults as FirehoseFaults } from '../record-faults.js';

export interface FirehoseOptions extends RecordFaults {
  /**
   * When true (the default), naming a stream that does not exist (in a put or
   * DescribeDeliveryStream) creates it, so a local setup needs no
   * CreateDeliveryStream step. When false, such a request answers
   * ResourceNotFoundException, as AWS does.
   */
  readonly autoCreate?: boolean;
}

export interface FirehoseContext {
  readonly state: FirehoseState;
  readonly options: FirehoseOptions;
  /** Persists the state after a change. */
  save(): void;
}

export function notFound(name: string, account: string): ServiceError {
  return new ServiceError(
    'ResourceNotFoundException',
    `Firehose stream ${name} under account ${account} not found.`,
  );
}

/** The stream a put names; created on the fly only when `autoCreate` is on. */
export function streamForPut(ctx: FirehoseContext, req: LocalRequest, name: string): StoredStream {
  const account = accountOf(req);
  const arn = streamArn(req.region, account, name);
  const existing = ctx.state.streams[arn];
  if (existing !== undefined) return existing;
  if (ctx.options.autoCreate === false) throw notFound(name, account);
  const created = newStream(req.region, account, name, 'DirectPut', req.now);
  ctx.state.streams[arn] = created;
  return created;
}

// Status codes from the Firehose and Kinesis API models, so an injected
// throttle or outage looks to the SDK's retry logic as the real one would.
const FAULT_STATUS: Readonly<Record<string, number>> = {
  ServiceUnavailableException: 503,
  InternalFailure: 500,
  InternalFailureException: 500,
};

/** A fault injected into a single-record put becomes the whole call's error. */
export function faultError(fault: RecordFault): ServiceError {
  return new ServiceError(fault.code, fault.message, FAULT_STATUS[fault.code] ?? 400);
}
