/**
 * The local Kinesis Data Streams: JSON 1.1 under `X-Amz-Target:
 * Kinesis_20131202.<Op>`, signed as `kinesis`. Producers put records;
 * consumers (or tests) read them back with GetShardIterator/GetRecords, or
 * in-process through `records()`.
 */
import {
  ServiceError,
  type LocalRequest,
  type LocalService,
  type ServiceStore,
} from '../../service.js';
import type { JsonObject } from '../json-body.js';
import { firstHeader, targetService, type TargetHandler } from '../json-target.js';
import { streamRef, type KinesisContext, type KinesisOptions } from './context.js';
import { putRecord, putRecords } from './put.js';
import { decodeIterator, getRecords, getShardIterator } from './read.js';
import { loadState, STORE_NAME } from './state.js';
import { createStream, describeStreamSummary, listShards } from './streams.js';

export type { KinesisFaults, KinesisOptions, RecordFault } from './context.js';
export {
  MAX_DATA_BYTES,
  MAX_PARTITION_KEY_CHARS,
  MAX_PUT_RECORDS,
  MAX_REQUEST_BYTES,
} from './put.js';
export { DEFAULT_MAX_RECORD_KIB } from './state.js';

export interface KinesisService extends LocalService {
  /**
   * Every record accepted for the stream with this name (or ARN), in the
   * order they were accepted, across shards, accounts and regions.
   */
  records(stream: string): Buffer[];
}

const HANDLERS = new Map<string, TargetHandler<KinesisContext>>([
  ['CreateStream', createStream],
  ['DescribeStreamSummary', describeStreamSummary],
  ['ListShards', listShards],
  ['PutRecord', putRecord],
  ['PutRecords', putRecords],
  ['GetShardIterator', getShardIterator],
  ['GetRecords', getRecords],
]);

/** The ARN a request acts on: its StreamARN/StreamName, or the stream its iterator reads. */
function resourceOf(req: LocalRequest, body: JsonObject): string {
  const ref = streamRef(req, body);
  if (ref !== undefined) return ref.arn;
  const token = body['ShardIterator'];
  const it = typeof token === 'string' ? decodeIterator(token) : undefined;
  return it?.a ?? '*';
}

/** The Java SDK and the KPL default to CBOR; say so rather than fail to parse it. */
function refuseCbor(req: LocalRequest): void {
  if (firstHeader(req, 'content-type')?.includes('cbor') === true) {
    throw new ServiceError(
      'SerializationException',
      'signet local speaks JSON 1.1 to Kinesis, not CBOR; disable CBOR in the client (AWS_CBOR_DISABLE=1)',
    );
  }
}

export function createKinesisService(
  store: ServiceStore,
  options: KinesisOptions = {},
): KinesisService {
  const state = loadState(store);
  const context: KinesisContext = { state, options, save: () => store.save(STORE_NAME, state) };
  return {
    ...targetService({
      signingName: 'kinesis',
      title: 'Kinesis',
      prefix: 'Kinesis_20131202.',
      handlers: HANDLERS,
      context,
      resource: resourceOf,
      refuse: refuseCbor,
      batchOperations: new Set(['PutRecords']),
    }),

    records(stream: string): Buffer[] {
      return Object.values(state.streams)
        .filter((s) => s.name === stream || s.arn === stream)
        .flatMap((s) => s.shards.flatMap((shard) => shard.records))
        .sort((a, b) => a.at - b.at || (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0))
        .map((r) => Buffer.from(r.data, 'base64'));
    },
  };
}
