/** Hand-made Kinesis requests; the store and call helpers are Firehose's (same JSON 1.1 dialect). */
import type { LocalRequest } from '../../../../src/local/service.js';
import { firehoseRequest } from '../firehose/helpers.js';

export { blob, call, MemoryStore, NOW } from '../firehose/helpers.js';

export function kinesisRequest(
  operation: string,
  body: unknown,
  extra: Partial<LocalRequest> = {},
): LocalRequest {
  const base = firehoseRequest(operation, body, {
    host: 'kinesis.us-east-1.amazonaws.com',
    ...extra,
  });
  return {
    ...base,
    headers: { ...base.headers, 'x-amz-target': `Kinesis_20131202.${operation}` },
  };
}
