/**
 * The signed destination of a record-stream client: the service's regional
 * endpoint (`https://firehose.<region>.amazonaws.com`,
 * `https://kinesis.<region>.amazonaws.com`, `.amazonaws.com.cn` in China),
 * or `endpoint` when given, moved by AWS_ENDPOINT_URL_FIREHOSE /
 * AWS_ENDPOINT_URL_KINESIS / AWS_ENDPOINT_URL, and signed for the service
 * through createDestination like every AWS destination.
 */
import { createDestination } from '../../aws/destination/index.js';
import type {
  Destination,
  DestinationOptions,
  SigningOptions,
} from '../../aws/destination/index.js';
import { partitionOf } from '../../aws/endpoints.js';
import { resolveRegion } from '../../aws/region.js';

export function regionalUrl(service: 'firehose' | 'kinesis', region: string): string {
  const suffix = partitionOf(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${service}.${region}.${suffix}`;
}

export interface RecordStreamDestinationOptions extends Omit<
  DestinationOptions,
  'url' | 'defaultService' | 'signing'
> {
  /** `region`; else the stream ARN's, or found in the environment, the profile or IMDS. */
  readonly region?: string | undefined;
  /** `endpoint`: a URL in place of the regional one (a VPC endpoint, signet local). */
  readonly endpoint?: string | undefined;
  readonly signing: Omit<SigningOptions, 'region' | 'service'>;
}

/** Throws RegionError when no region can be found, EndpointOverrideError for a bad override. */
export async function createRecordStreamDestination(
  service: 'firehose' | 'kinesis',
  options: RecordStreamDestinationOptions,
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
    url = regionalUrl(service, found.region);
  }
  return createDestination({
    ...rest,
    url,
    defaultService: service,
    signing: { ...signing, service, ...(region ? { region } : {}) },
  });
}
