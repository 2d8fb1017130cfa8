/**
 * Signing for scrape targets: one job's signing block applied to every target
 * it discovers. The region the job falls back to (configured, environment,
 * profile, IMDS) is found once before scraping starts; a target whose host
 * names a region (and service) is signed for that instead. Targets are where
 * they are discovered: no endpoint override moves them.
 */
import type { Dispatcher } from 'undici';
import type { AwsClient } from '../http/aws-client.js';
import { inferEndpoint } from '../endpoints.js';
import { knownRegion, RegionError, resolveRegion } from '../region.js';
import { signedClient } from './signed-client.js';
import type { DestinationOptions } from './types.js';

export type TargetSignerOptions = Pick<
  DestinationOptions,
  'signing' | 'defaultService' | 'env' | 'registry' | 'clock' | 'dispatcher' | 'timeoutMs' | 'imds'
> & {
  /** No region anywhere: told why, returns the region to sign with all the same. */
  readonly onNoRegion: (error: RegionError) => string;
};

/** A signed client for one target URL, through the job's connection pool (its TLS and proxy). */
export type TargetSigner = (targetUrl: string, dispatcher?: Dispatcher) => AwsClient;

export async function createTargetSigner(options: TargetSignerOptions): Promise<TargetSigner> {
  const { signing } = options;
  let fallback: string;
  try {
    fallback = (
      await resolveRegion({
        configured: signing.region,
        configuredBy: signing.regionBy,
        profile: signing.credentials.profile,
        env: options.env,
        ...(options.imds === undefined ? {} : { imds: options.imds }),
      })
    ).region;
  } catch (error) {
    if (!(error instanceof RegionError)) throw error;
    fallback = options.onNoRegion(error);
  }
  return (targetUrl, dispatcher) => {
    const host = new URL(targetUrl).hostname;
    return signedClient({
      service: signing.service ?? inferEndpoint(host)?.service ?? options.defaultService,
      region: knownRegion({ configured: signing.region, url: targetUrl })?.region ?? fallback,
      credentials: signing.credentials,
      registry: options.registry,
      clock: options.clock,
      dispatcher: dispatcher ?? options.dispatcher,
      timeoutMs: options.timeoutMs,
    }).client;
  };
}
