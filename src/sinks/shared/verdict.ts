/**
 * What a failed send means for the data in it, the vocabulary every sink
 * shares (after Vector's RetryLogic, with two more answers than its
 * retry / don't-retry):
 *
 * - `retry`: transient (5xx, throttling, network errors, timeouts); resend
 *   with backoff.
 * - `refresh-and-retry`: fresh state cures it without anyone's help (expired
 *   session token, skewed clock, credentials not there yet); refresh the
 *   credentials and re-check the clock, then resend. Never dropped.
 * - `hold`: a person has to fix something (the key, the IAM policy, the
 *   region, the URL); the destination holds the data and keeps trying with a
 *   long backoff until the fix lands. Never dropped.
 * - `drop`: the body itself can never be accepted (out-of-order or too-old
 *   samples, a 400 decoding error, 413); resending it is pointless.
 *
 * Destinations that hold or refresh report themselves blocked, with a reason
 * an operator can alert on (`signet_destination_blocked{destination,reason}`).
 */

export type SendAction = 'retry' | 'refresh-and-retry' | 'hold' | 'drop';

/** Why a destination cannot deliver until something changes. */
export type BlockedReason =
  | 'credentials' // none yet, expired, or a key AWS does not know
  | 'access-denied' // authenticated, but not allowed
  | 'region' // signed for a region other than the endpoint's
  | 'service' // signed for a service other than the endpoint's
  | 'signature' // the signature did not verify (wrong secret, altered request)
  | 'clock' // the request time is too far from the server's
  | 'not-found' // the workspace, stream or URL path does not exist
  | 'configuration'; // the destination refuses a setting (an S3 storage class, SSE or KMS key)

/** Why samples or records were dropped, for `…_failed_total{reason}`. */
export type DropReason =
  | 'out-of-order'
  | 'too-old'
  | 'too-new' // ahead of what the destination takes (CloudWatch Logs: 2 hours)
  | 'duplicate'
  | 'too-large'
  | 'rate-limited' // 429 with retry_on_http_429 off, as Prometheus 2.42 by default
  | 'retries-exhausted' // still failing after a sink's last allowed attempt (Loki's max_retries)
  | 'invalid'; // any other refusal of the body

export interface Verdict {
  readonly action: SendAction;
  /**
   * Groups failures for logging: the same cause is said once, then counted
   * (`HTTP 503`, `timeout`, `network ECONNREFUSED`, `AWS InvalidSignatureException`).
   */
  readonly cause: string;
  /** For `refresh-and-retry` and `hold`. */
  readonly blocked?: BlockedReason | undefined;
  /** For `drop`. */
  readonly dropReason?: DropReason | undefined;
  /** For `drop`: a smaller part of the body may be accepted (worth halving and resending). */
  readonly splittable?: boolean | undefined;
  /** The wait the endpoint asked for (Retry-After), overriding the backoff. */
  readonly retryAfterMs?: number | undefined;
  readonly status?: number | undefined;
  /** One line, no secrets. */
  readonly message: string;
  readonly hint?: string | undefined;
}

/** What a blocked destination shows in its stats until the first success. */
export interface BlockedState {
  readonly reason: BlockedReason;
  /** When the destination first refused this way, ms since the epoch. */
  readonly since: number;
  /** The latest refusal, one line. */
  readonly message: string;
  /** What to do about it. */
  readonly hint: string;
}
