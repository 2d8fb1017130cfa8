/**
 * The signed destination of a CloudWatch Logs client: the regional endpoint
 * (`https://logs.<region>.amazonaws.com`, `.amazonaws.com.cn` in China), or
 * `endpoint` when given, moved by AWS_ENDPOINT_URL_LOGS / AWS_ENDPOINT_URL
 * (../shared/regional-destination.ts).
 */
import type { Destination } from '../../aws/destination/index.js';
import {
  createRegionalDestination,
  regionalServiceUrl,
  type RegionalDestinationOptions,
} from '../shared/regional-destination.js';

export const CLOUDWATCH_LOGS_SERVICE = 'logs';

export function cloudWatchLogsUrl(region: string): string {
  return regionalServiceUrl(CLOUDWATCH_LOGS_SERVICE, region);
}

export type CloudWatchLogsDestinationOptions = RegionalDestinationOptions;

/** Throws RegionError when no region can be found, EndpointOverrideError for a bad override. */
export function createCloudWatchLogsDestination(
  options: CloudWatchLogsDestinationOptions,
): Promise<Destination> {
  return createRegionalDestination(CLOUDWATCH_LOGS_SERVICE, options);
}
