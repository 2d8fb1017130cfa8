/**
 * The signed destination of a record-stream client: Firehose's or Kinesis's
 * regional endpoint, or `endpoint`, moved by AWS_ENDPOINT_URL_FIREHOSE /
 * AWS_ENDPOINT_URL_KINESIS / AWS_ENDPOINT_URL (../shared/regional-destination.ts).
 */
import type { Destination } from '../../aws/destination/index.js';
import {
  createRegionalDestination,
  regionalServiceUrl,
  type RegionalDestinationOptions,
} from '../shared/regional-destination.js';

export function regionalUrl(service: 'firehose' | 'kinesis', region: string): string {
  return regionalServiceUrl(service, region);
}

/** `region` is the configured one or the stream ARN's; else it is found as for any regional service. */
export type RecordStreamDestinationOptions = RegionalDestinationOptions;

/** Throws RegionError when no region can be found, EndpointOverrideError for a bad override. */
export function createRecordStreamDestination(
  service: 'firehose' | 'kinesis',
  options: RecordStreamDestinationOptions,
): Promise<Destination> {
  return createRegionalDestination(service, options);
}
