/**
 * The local Amazon Data Firehose: JSON 1.1 under `X-Amz-Target:
 * Firehose_20150804.<Op>`, signed as `firehose`. It accepts records for
 * Direct PUT streams and keeps them for read-back through `records()`,
 * which stands in for the S3 (or other) destination a real stream delivers to.
 */
import {
  ServiceError,
  type LocalRequest,
  type LocalResponse,
  type LocalService,
  type Operation,
  type ServiceStore,
} from '../../service.js';
import { accountOf, type FirehoseContext, type FirehoseOptions } from './context.js';
import { putRecord, putRecordBatch } from './records.js';
import { loadState, STORE_NAME, streamArn } from './state.js';
import { createDeliveryStream, describeDeliveryStream, listDeliveryStreams } from './streams.js';
import { cachedJsonParser, type JsonObject } from '../json-body.js';

export type { FirehoseFaults, FirehoseOptions, RecordFault } from './context.js';
export { MAX_BATCH_BYTES, MAX_BATCH_RECORDS, MAX_RECORD_BYTES } from './records.js';

export interface FirehoseService extends LocalService {
  /**
   * Every record accepted for the stream with this name (or ARN), oldest first,
   * across accounts and regions: what a destination would have received.
   */
  records(stream: string): Buffer[];
}

const TARGET_PREFIX = 'Firehose_20150804.';

type Handler = (ctx: FirehoseContext, req: LocalRequest, body: JsonObject) => LocalResponse;

const HANDLERS: Readonly<Record<string, Handler>> = {
  PutRecord: putRecord,
  PutRecordBatch: putRecordBatch,
  CreateDeliveryStream: createDeliveryStream,
  DescribeDeliveryStream: describeDeliveryStream,
  ListDeliveryStreams: listDeliveryStreams,
};

function header(req: LocalRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createFirehoseService(
  store: ServiceStore,
  options: FirehoseOptions = {},
): FirehoseService {
  const state = loadState(store);
  const ctx: FirehoseContext = { state, options, save: () => store.save(STORE_NAME, state) };
  const parse = cachedJsonParser('SerializationException');
  const body = (req: LocalRequest): JsonObject => parse(req.body);

  return {
    signingName: 'firehose',
    protocol: 'json',
    batchOperations: new Set(['PutRecordBatch']),

    operation(req: LocalRequest): Operation | undefined {
      const target = header(req, 'x-amz-target');
      if (target === undefined || !target.startsWith(TARGET_PREFIX)) return undefined;
      const name = target.slice(TARGET_PREFIX.length);
      if (HANDLERS[name] === undefined) {
        throw new ServiceError(
          'UnknownOperationException',
          `The operation ${name} is not supported by signet local's Firehose`,
        );
      }
      const streamName = body(req)['DeliveryStreamName'];
      const resource =
        typeof streamName === 'string' && streamName !== ''
          ? streamArn(req.region, accountOf(req), streamName)
          : '*';
      return { action: `firehose:${name}`, resource, name };
    },

    handle(req: LocalRequest, operation: Operation): LocalResponse {
      const handler = HANDLERS[operation.name];
      if (handler === undefined) {
        throw new ServiceError('UnknownOperationException', `Unknown operation ${operation.name}`);
      }
      return handler(ctx, req, body(req));
    },

    records(stream: string): Buffer[] {
      return Object.values(state.streams)
        .filter((s) => s.name === stream || s.arn === stream)
        .flatMap((s) => s.records)
        .sort((a, b) => a.at - b.at)
        .map((r) => Buffer.from(r.data, 'base64'));
    },
  };
}
