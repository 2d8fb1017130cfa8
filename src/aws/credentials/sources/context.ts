/** What every credential source may read: the environment, the clock, and how to reach STS. */
import { hostname } from 'node:os';
import type { CorrectedClock } from '../../clock.js';
import type { Env } from '../../env.js';
import type { AwsCredentials } from '../../sigv4/types.js';

export interface SourceContext {
  readonly env: Env;
  readonly clock: CorrectedClock;
  /** The signing region of the destination; STS calls go to this region's endpoint. */
  readonly region: string | undefined;
  /** `sts_endpoint` from configuration. */
  readonly stsEndpoint?: string | undefined;
  readonly useFipsStsEndpoint?: boolean | undefined;
  /** Timeout for credential endpoints (IMDS, container, STS), ms. */
  readonly timeoutMs: number;
}

/** What a source found. */
export interface SourceResult {
  readonly credentials: AwsCredentials;
  /** Plain words for `signet doctor`: which variable, file, profile or role. */
  readonly detail: string;
  readonly watchFiles?: readonly string[];
  readonly region?: string;
}

/** `signet-<host>`, cut to what STS accepts: 2–64 of `[\w+=,.@-]`. */
export function defaultSessionName(): string {
  const host = hostname().replace(/[^\w+=,.@-]/g, '-');
  return `signet-${host}`.slice(0, 64);
}

/** The home directory the SDKs use for `~/.aws`. */
export function homeDir(env: Env): string | undefined {
  return (
    env.HOME ??
    env.USERPROFILE ??
    (env.HOMEDRIVE && env.HOMEPATH ? `${env.HOMEDRIVE}${env.HOMEPATH}` : undefined)
  );
}
