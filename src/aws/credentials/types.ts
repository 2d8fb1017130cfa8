/**
 * The vocabulary of the credential chain: the sources, named as users see them
 * in `signet doctor`, and what each attempt found.
 */
import type { AwsCredentials } from '../sigv4/types.js';

export type SourceName =
  | 'config'
  | 'profile'
  | 'env'
  | 'web-identity'
  | 'shared-files'
  | 'container'
  | 'imds'
  | 'assume-role';

/** `skipped`: not configured here; `failed`: configured but gave no credentials. */
export type AttemptOutcome = 'used' | 'skipped' | 'failed';

export interface SourceAttempt {
  readonly source: SourceName;
  readonly outcome: AttemptOutcome;
  /** Plain words, never a secret: why it was skipped, what failed, or what was used. */
  readonly detail: string;
}

/** Credentials together with the story of how they were found. */
export interface Resolution {
  readonly credentials: AwsCredentials;
  /** The source that produced the base credentials. */
  readonly source: SourceName;
  /** Every source tried, in order, ending with the one used (and any roles assumed). */
  readonly chain: readonly SourceAttempt[];
  /** Files whose change means the credentials may have been rotated. */
  readonly watchFiles?: readonly string[];
  /** The profile's region, when a profile supplied the credentials. */
  readonly region?: string;
}

/** A source of credentials that stays fresh; what signers and senders hold. */
export interface CredentialProvider {
  /** Current credentials; waits only when none are valid. */
  get(): Promise<AwsCredentials>;
  /**
   * New credentials now, because AWS refused the current ones as expired or
   * unknown. Rate-limited per source; within the limit it returns the current ones.
   */
  forceRefresh(): Promise<AwsCredentials>;
  /** What the last resolution found, for errors, metrics and `signet doctor`. */
  status(): CredentialStatus;
  /**
   * What AWS last said of these credentials: undefined when it accepted a
   * request signed with them, else why it refused them (unknown key, wrong
   * secret, expired token). Shown as `signet_aws_credentials_up 0`.
   */
  noteAnswer?(refusal: string | undefined): void;
  close(): void;
}

export interface CredentialStatus {
  readonly source: SourceName | undefined;
  readonly chain: readonly SourceAttempt[];
  /** Masked access key id of the credentials in use. */
  readonly accessKeyId: string | undefined;
  readonly expiration: Date | undefined;
  readonly refreshes: number;
  readonly failures: number;
  /** The last failure's one-line description, while it has not been cured. */
  readonly lastError: string | undefined;
  /** When the next background attempt is due (ms), if one is scheduled. */
  readonly nextAttemptAt: number | undefined;
  /** AWS refused the credentials in use, and has not accepted them since: why. */
  readonly refused?: string | undefined;
}
