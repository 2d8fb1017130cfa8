/**
 * Where to call STS: the regional endpoint of the signing region, as the SDKs
 * do by default since 2022 (the global `sts.amazonaws.com` adds a round trip to
 * us-east-1 and fails when that region has trouble).
 */
import { SignetError } from '../../errors.js';
import { endpointOverride } from '../endpoint-override.js';
import { partitionOf } from '../endpoints.js';
import type { Env } from '../env.js';

const SUFFIX = {
  aws: 'amazonaws.com',
  'aws-us-gov': 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
} as const;

export interface StsEndpointOptions {
  readonly region: string;
  /** `use_fips_sts_endpoint`. */
  readonly fips?: boolean;
  /** An explicit `sts_endpoint` from configuration: wins over everything. */
  readonly endpoint?: string;
  readonly env?: Env;
}

export interface StsEndpoint {
  readonly url: string;
  /** The signing region: always the configured one, wherever the URL points. */
  readonly region: string;
  readonly from: 'config' | 'env' | 'regional';
}

export function stsEndpoint(options: StsEndpointOptions): StsEndpoint {
  const { region } = options;
  if (options.endpoint)
    return { url: options.endpoint.replace(/\/+$/, ''), region, from: 'config' };
  const override = options.env ? endpointOverride('sts', options.env) : undefined;
  if (override) return { url: override.url, region, from: 'env' };
  const partition = partitionOf(region);
  const suffix = SUFFIX[partition];
  if (!options.fips) return { url: `https://sts.${region}.${suffix}`, region, from: 'regional' };
  // GovCloud's regional STS endpoints are FIPS endpoints already.
  if (partition === 'aws-us-gov')
    return { url: `https://sts.${region}.${suffix}`, region, from: 'regional' };
  if (partition === 'aws' && /^(us|ca)-/.test(region))
    return { url: `https://sts-fips.${region}.${suffix}`, region, from: 'regional' };
  throw new SignetError(`STS has no FIPS endpoint in ${region}`, {
    hint: 'FIPS endpoints exist in the US, Canada and GovCloud regions: set another region or drop use_fips_sts_endpoint',
  });
}
