/**
 * The signed destination of an AWS log sink's client: the service's regional
 * endpoint (`https://<service>.<region>.amazonaws.com`, `.amazonaws.com.cn`
 * in China), or `endpoint` when given, moved by AWS_ENDPOINT_URL_<SERVICE> /
 * AWS_ENDPOINT_URL, and signed for the service through createDestination
 * like every AWS destination. CloudWatch Logs, Firehose and Kinesis differ
 * only in the service name.
 */
import { createDestination } from '../../aws/destination/index.js';
import type {
  Destination,
  DestinationOptions,
  SigningOptions,
} from '../../aws/destination/index.js';
import { partitionOf } from '../../aws/endpoints.js';
import { resolveRegion } from '../../aws/region.js';

/** The signing name and endpoint prefix of a service whose endpoint is `<service>.<region>`. */
export type RegionalService = 'logs' | 'firehose' | 'kinesis';

export function regionalServiceUrl(service: RegionalService, region: string): string {
  const suffix = partitionOf(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${service}.${region}.${suffix}`;
}

export interface RegionalDestinationOptions extends Omit<
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
export async function createRegionalDestination(
  service: RegionalService,
  options: RegionalDestinationOptions,
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
    url = regionalServiceUrl(service, found.region);
  }
  return createDestination({
    ...rest,
    url,
    defaultService: service,
    signing: { ...signing, service, ...(region ? { region } : {}) },
  });
}
