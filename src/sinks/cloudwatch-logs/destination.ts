/**
 * The signed destination of a CloudWatch Logs client: the regional endpoint
 * (`https://logs.<region>.amazonaws.com`, `.amazonaws.com.cn` in China), or
 * `endpoint` when given, moved by AWS_ENDPOINT_URL_LOGS / AWS_ENDPOINT_URL,
 * signed for `logs` through createDestination like every AWS destination.
 */
import { createDestination } from '../../aws/destination/index.js';
import type {
  Destination,
  DestinationOptions,
  SigningOptions,
} from '../../aws/destination/index.js';
import { partitionOf } from '../../aws/endpoints.js';
import { resolveRegion } from '../../aws/region.js';

export const CLOUDWATCH_LOGS_SERVICE = 'logs';

export function cloudWatchLogsUrl(region: string): string {
  const suffix = partitionOf(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://logs.${region}.${suffix}`;
}

export interface CloudWatchLogsDestinationOptions extends Omit<
  DestinationOptions,
  'url' | 'defaultService' | 'signing'
> {
  /** `region`; else found in the environment, the profile or IMDS (or the endpoint's host). */
  readonly region?: string | undefined;
  /** `endpoint`: a URL in place of the regional one (a VPC endpoint, signet local). */
  readonly endpoint?: string | undefined;
  readonly signing: Omit<SigningOptions, 'region' | 'service'>;
}

/** Throws RegionError when no region can be found, EndpointOverrideError for a bad override. */
export async function createCloudWatchLogsDestination(
  options: CloudWatchLogsDestinationOptions,
): Promise<Destination> {
  const { region, endpoint, signing, ...rest } = options;
  let url = endpoint;
  if (url === undefined) {
    const found = await resolveRegion({
      configured: region,
      profile: signing.credentials.profile,
      env: options.env,
      ...(options.imds === undefined ? {} : { imds: options.imds }),
    });
    url = cloudWatchLogsUrl(found.region);
  }
  return createDestination({
    ...rest,
    url,
    defaultService: CLOUDWATCH_LOGS_SERVICE,
    signing: { ...signing, service: CLOUDWATCH_LOGS_SERVICE, ...(region ? { region } : {}) },
  });
}
