/**
 * Keeps one set of credentials fresh for every request that shares a source:
 * refreshes ahead of expiry with a single call in flight however many requests
 * wait, keeps the still-valid old credentials when a refresh fails and retries
 * with backoff, notices rotated files, and rate-limits forced refreshes.
 */
import { statSync } from 'node:fs';
import { maskCredential } from '../redact.js';
import type { AwsCredentials } from '../sigv4/types.js';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  refreshAt,
  type BackoffOptions,
} from './refresh-schedule.js';
import { NoCredentialsError } from './errors.js';
import type { CredentialProvider, CredentialStatus, Resolution, SourceAttempt } from './types.js';

export interface RefreshingOptions {
  readonly resolve: () => Promise<Resolution>;
  /** Milliseconds since the epoch, AWS's time (expirations are AWS's). */
  readonly now?: () => number;
  readonly random?: () => number;
  readonly backoff?: BackoffOptions;
  /** The least time between two forced refreshes; AWS's advice and the issue's: a minute. */
  readonly minForceIntervalMs?: number;
  /** How often watched files (shared credentials, token files) are checked for rotation. */
  readonly fileCheckIntervalMs?: number;
  /** Refresh from timers too, so an idle agent stays fresh; off for one-shot commands. */
  readonly background?: boolean;
  /** Told after every refresh attempt. */
  readonly onRefresh?: (event: RefreshEvent) => void;
}

export type RefreshEvent =
  | { readonly ok: true; readonly resolution: Resolution }
  | { readonly ok: false; readonly error: Error; readonly retryInMs: number };

// In-flight requests must not carry credentials that expire before AWS checks them.
const EXPIRY_MARGIN_MS = 10_000;

interface FileStamp {
  readonly path: string;
  readonly stamp: string;
}

function stampOf(path: string): string {
  try {
    const s = statSync(path);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return 'missing';
  }
}

export class RefreshingCredentials implements CredentialProvider {
  private current: Resolution | undefined;
  private refreshDueAt = Number.POSITIVE_INFINITY;
  private obtainedAt = 0;
  private inFlight: Promise<Resolution> | undefined;
  private failures = 0;
  private refreshes = 0;
  private totalFailures = 0;
  private lastError: Error | undefined;
  private retryAt = 0;
  private lastForcedAt = Number.NEGATIVE_INFINITY;
  private stamps: readonly FileStamp[] = [];
  private filesCheckedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: RefreshingOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** Resolves now and, in background mode, keeps retrying until credentials appear. */
  start(): Promise<void> {
    return this.refresh().then(
      () => undefined,
      () => undefined,
    );
  }

  async get(): Promise<AwsCredentials> {
    const now = this.now();
    if (this.current && this.filesRotated(now)) return (await this.refresh()).credentials;
    const current = this.current;
    if (current && !this.expired(current, now)) {
      if (now >= this.refreshDueAt && now >= this.retryAt)
        void this.refresh().catch(() => undefined);
      return current.credentials;
    }
    if (this.lastError && now < this.retryAt && !this.inFlight) throw this.lastError;
    return (await this.refresh()).credentials;
  }

  async forceRefresh(): Promise<AwsCredentials> {
    const now = this.now();
    const minInterval = this.options.minForceIntervalMs ?? 60_000;
    if (this.current && now - this.lastForcedAt < minInterval) {
      return this.inFlight ? (await this.inFlight).credentials : this.current.credentials;
    }
    this.lastForcedAt = now;
    return (await this.refresh()).credentials;
  }

  status(): CredentialStatus {
    const c = this.current;
    return {
      source: c?.source,
      chain: c?.chain ?? [],
      accessKeyId: c ? maskCredential(c.credentials.accessKeyId) : undefined,
      expiration: c?.credentials.expiration,
      refreshes: this.refreshes,
      failures: this.totalFailures,
      lastError: this.lastError?.message,
      nextAttemptAt: this.lastError
        ? this.retryAt
        : Number.isFinite(this.refreshDueAt)
          ? this.refreshDueAt
          : undefined,
    };
  }

  /** Whether a refresh is on its way now. */
  refreshing(): boolean {
    return this.inFlight !== undefined;
  }

  /** The sources tried by the last failed resolution, when it failed for want of credentials. */
  lastFailureChain(): readonly SourceAttempt[] | undefined {
    return this.lastError instanceof NoCredentialsError ? this.lastError.chain : undefined;
  }

  /** The resolution in use, if any (region, watched files, chain). */
  resolution(): Resolution | undefined {
    return this.current;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private expired(r: Resolution, now: number): boolean {
    const exp = r.credentials.expiration?.getTime();
    if (exp === undefined) return false;
    // Short-lived credentials (seconds, as brokers and tests hand out) get a proportional margin.
    const margin = Math.min(EXPIRY_MARGIN_MS, Math.max(0, exp - this.obtainedAt) / 4);
    return now >= exp - margin;
  }

  private filesRotated(now: number): boolean {
    if (this.stamps.length === 0 || this.inFlight) return false;
    if (now - this.filesCheckedAt < (this.options.fileCheckIntervalMs ?? 5000)) return false;
    this.filesCheckedAt = now;
    return this.stamps.some((f) => stampOf(f.path) !== f.stamp);
  }

  private refresh(): Promise<Resolution> {
    this.inFlight ??= this.run().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async run(): Promise<Resolution> {
    // Stamp the files before reading them, so a rotation during the read is seen next time.
    const stampsBefore = (this.current?.watchFiles ?? []).map((path) => ({
      path,
      stamp: stampOf(path),
    }));
    try {
      const resolution = await this.options.resolve();
      const now = this.now();
      this.current = resolution;
      this.obtainedAt = now;
      const exp = resolution.credentials.expiration?.getTime();
      this.refreshDueAt =
        exp === undefined ? Number.POSITIVE_INFINITY : refreshAt(now, exp, this.random);
      const watch = resolution.watchFiles ?? [];
      this.stamps = watch.map(
        (path) => stampsBefore.find((s) => s.path === path) ?? { path, stamp: stampOf(path) },
      );
      this.filesCheckedAt = now;
      this.failures = 0;
      this.lastError = undefined;
      this.retryAt = 0;
      this.refreshes++;
      this.options.onRefresh?.({ ok: true, resolution });
      this.schedule(this.refreshDueAt - now);
      return resolution;
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      this.failures++;
      this.totalFailures++;
      this.lastError = err;
      const delay = backoffDelay(
        this.failures,
        this.options.backoff ?? DEFAULT_BACKOFF,
        this.random,
      );
      this.retryAt = this.now() + delay;
      this.options.onRefresh?.({ ok: false, error: err, retryInMs: delay });
      this.schedule(delay);
      throw err;
    }
  }

  private schedule(delayMs: number): void {
    if (!this.options.background || this.closed || !Number.isFinite(delayMs)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh().catch(() => undefined), Math.max(0, delayMs));
    this.timer.unref();
  }
}
