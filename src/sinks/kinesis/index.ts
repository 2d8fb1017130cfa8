/** The Kinesis Data Streams sink: log entries as records of a data stream, a LogClient of the logs pipeline. */
import type { Registry } from 'prom-client';
import {
  createRecordStreamDestination,
  createRecordSinkMetrics,
  type RecordSinkMetrics,
  type RecordStreamDestinationOptions,
} from '../aws-records/index.js';
import type { Destination } from '../../aws/destination/index.js';

export {
  KINESIS_LIMITS,
  KINESIS_TARGET,
  KinesisClient,
  checkKinesisOptions,
  kinesisApi,
  parseKinesisStreamArn,
  type KinesisClientOptions,
  type KinesisSettings,
} from './client.js';
export {
  HASH_KEY_LENGTH,
  MAX_PARTITION_KEY_CHARS,
  compileKeyTemplate,
  hashKey,
  partitionKeys,
} from './partition-key.js';

/** The Kinesis clients' metrics (`signet_kinesis_*`), once per agent. */
export function createKinesisMetrics(registry: Registry): RecordSinkMetrics {
  return createRecordSinkMetrics(registry, 'signet_kinesis', 'Kinesis');
}

/** `https://kinesis.<region>.amazonaws.com` (or `endpoint`), AWS_ENDPOINT_URL_KINESIS applied, signed for kinesis. */
export function createKinesisDestination(
  options: RecordStreamDestinationOptions,
): Promise<Destination> {
  return createRecordStreamDestination('kinesis', options);
}
