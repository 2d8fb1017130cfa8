/**
 * The signing region when the configuration does not give one, in the order
 * users expect: the endpoint's host, `AWS_REGION`, `AWS_DEFAULT_REGION`, the
 * profile's `region`, then the instance's region from IMDS.
 */
import { inferEndpoint } from './endpoints.js';
import { envFlag, envValue, type Env } from './env.js';
import { ImdsClient, imdsEndpoint } from './imds/client.js';
import { SignetError } from '../errors.js';
import { CorrectedClock } from './clock.js';
import { loadSharedFiles } from './credentials/sources/shared-files.js';

export type RegionSource =
  'config' | 'command-line' | 'endpoint' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile' | 'imds';

/** Who gave a region explicitly: the configuration file, or a flag such as doctor's `--region`. */
export type ConfiguredBy = 'config' | 'command-line';

export interface ResolvedRegion {
  readonly region: string;
  readonly from: RegionSource;
}

export interface RegionQuery {
  readonly configured?: string | undefined;
  /** Reported as the source of `configured`; default `config`. */
  readonly configuredBy?: ConfiguredBy | undefined;
  readonly url?: string | undefined;
  readonly profile?: string | undefined;
  readonly env?: Env;
  /** Ask IMDS as the last resort (off when a caller knows it is not on EC2). */
  readonly imds?: boolean;
  readonly timeoutMs?: number;
}

export class RegionError extends SignetError {}

/**
 * The region known without looking anything up: the configured one, else the
 * one the endpoint's host names. Lets a caller that already looked up a
 * fallback (signed scraping, per target) stay synchronous.
 */
export function knownRegion(
  query: Pick<RegionQuery, 'configured' | 'configuredBy' | 'url'>,
): ResolvedRegion | undefined {
  if (query.configured) return { region: query.configured, from: query.configuredBy ?? 'config' };
  if (query.url) {
    const inferred = inferEndpoint(new URL(query.url).hostname);
    if (inferred?.region) return { region: inferred.region, from: 'endpoint' };
  }
  return undefined;
}

export async function resolveRegion(query: RegionQuery): Promise<ResolvedRegion> {
  const known = knownRegion(query);
  if (known) return known;
  const env = query.env ?? process.env;
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const) {
    const value = envValue(env, name);
    if (value) return { region: value, from: name };
  }
  const ctx = {
    env,
    clock: new CorrectedClock(),
    region: undefined,
    timeoutMs: query.timeoutMs ?? 1000,
  };
  try {
    const files = await loadSharedFiles(ctx);
    const name = query.profile ?? envValue(env, 'AWS_PROFILE') ?? 'default';
    const region = files.profiles[name]?.region;
    if (region) return { region, from: 'profile' };
  } catch {
    // Unreadable files are the credential chain's to report; here they just give no region.
  }
  if (query.imds !== false && !envFlag(env, 'AWS_EC2_METADATA_DISABLED')) {
    try {
      const region = await new ImdsClient(
        imdsEndpoint(env),
        Math.min(query.timeoutMs ?? 1000, 1000),
      ).region();
      if (region) return { region, from: 'imds' };
    } catch {
      // Not on EC2: fall through to the error below.
    }
  }
  throw new RegionError('No AWS region configured, and none could be found', {
    hint: 'set region in the sigv4/aws_auth block, or AWS_REGION; an AWS endpoint URL also names its region',
  });
}
