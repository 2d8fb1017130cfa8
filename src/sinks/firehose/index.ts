/** The Amazon Data Firehose sink: log entries as records of a delivery stream, a LogClient of the logs pipeline. */
import type { Registry } from 'prom-client';
import {
  createRecordStreamDestination,
  createRecordSinkMetrics,
  type RecordSinkMetrics,
  type RecordStreamDestinationOptions,
} from '../aws-records/index.js';
import type { Destination } from '../../aws/destination/index.js';

export {
  FIREHOSE_LIMITS,
  FIREHOSE_TARGET,
  FirehoseClient,
  checkFirehoseOptions,
  firehoseApi,
  type FirehoseClientOptions,
  type FirehoseSettings,
} from './client.js';

/** The Firehose clients' metrics (`signet_firehose_*`), once per agent. */
export function createFirehoseMetrics(registry: Registry): RecordSinkMetrics {
  return createRecordSinkMetrics(registry, 'signet_firehose', 'Firehose');
}

/** `https://firehose.<region>.amazonaws.com` (or `endpoint`), AWS_ENDPOINT_URL_FIREHOSE applied, signed for firehose. */
export function createFirehoseDestination(
  options: RecordStreamDestinationOptions,
): Promise<Destination> {
  return createRecordStreamDestination('firehose', options);
}
