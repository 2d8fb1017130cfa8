/**
 * When to refresh credentials and how long to wait after a failure. Kept apart
 * from the provider so the arithmetic can be read (and tested) on its own.
 */

/** AWS SDKs refresh five minutes ahead; so does Signet, plus up to a minute of jitter. */
export const REFRESH_AHEAD_MS = 5 * 60_000;
const MAX_JITTER_MS = 60_000;

/**
 * The moment to refresh credentials that were obtained at `obtainedAt` and
 * expire at `expiresAt`. Short-lived credentials (under ten minutes, as tests
 * and some brokers hand out) are refreshed at about half their life instead,
 * so they are never refreshed the moment they arrive.
 */
export function refreshAt(
  obtainedAt: number,
  expiresAt: number,
  random: () => number = Math.random,
  aheadMs: number = REFRESH_AHEAD_MS,
): number {
  const lifetime = Math.max(0, expiresAt - obtainedAt);
  const ahead = Math.min(aheadMs, lifetime / 2);
  const jitter = random() * Math.min(MAX_JITTER_MS, lifetime / 10);
  return expiresAt - ahead - jitter;
}

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 60_000 };

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffDelay(
  failures: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exp = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, failures - 1));
  return exp / 2 + random() * (exp / 2);
}
