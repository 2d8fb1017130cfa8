/**
 * The local Amazon Data Firehose: JSON 1.1 under `X-Amz-Target:
 * Firehose_20150804.<Op>`, signed as `firehose`. It accepts records for
 * Direct PUT streams and keeps them for read-back through `records()`,
 * which stands in for the S3 (or other) destination a real stream delivers to.
 */
import { targetService, type TargetHandler } from '../json-target.js';
import { accountOf, type LocalService, type ServiceStore } from '../../service.js';
import type { FirehoseContext, FirehoseOptions } from './context.js';
import { putRecord, putRecordBatch } from './records.js';
import { loadState, STORE_NAME, streamArn } from './state.js';
import { createDeliveryStream, describeDeliveryStream, listDeliveryStreams } from './streams.js';

export type { FirehoseFaults, FirehoseOptions, RecordFault } from './context.js';
export { MAX_BATCH_BYTES, MAX_BATCH_RECORDS, MAX_RECORD_BYTES } from './records.js';

export interface FirehoseService extends LocalService {
  /**
   * Every record accepted for the stream with this name (or ARN), oldest first,
   * across accounts and regions: what a destination would have received.
   */
  records(stream: string): Buffer[];
}

const HANDLERS = new Map<string, TargetHandler<FirehoseContext>>([
  ['PutRecord', putRecord],
  ['PutRecordBatch', putRecordBatch],
  ['CreateDeliveryStream', createDeliveryStream],
  ['DescribeDeliveryStream', describeDeliveryStream],
  ['ListDeliveryStreams', listDeliveryStreams],
]);

export function createFirehoseService(
  store: ServiceStore,
  options: FirehoseOptions = {},
): FirehoseService {
  const state = loadState(store);
  const context: FirehoseContext = { state, options, save: () => store.save(STORE_NAME, state) };
  return {
    ...targetService({
      signingName: 'firehose',
      title: 'Firehose',
      prefix: 'Firehose_20150804.',
      handlers: HANDLERS,
      context,
      resource: (req, body) => {
        const name = body['DeliveryStreamName'];
        return typeof name === 'string' && name !== ''
          ? streamArn(req.region, accountOf(req), name)
          : '*';
      },
      batchOperations: new Set(['PutRecordBatch']),
    }),

    records(stream: string): Buffer[] {
      return Object.values(state.streams)
        .filter((s) => s.name === stream || s.arn === stream)
        .flatMap((s) => s.records)
        .sort((a, b) => a.at - b.at)
        .map((r) => Buffer.from(r.data, 'base64'));
    },
  };
}
