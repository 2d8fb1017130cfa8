/**
 * One request body sent until the endpoint takes it, refuses it for good, or
 * the queue stops: Prometheus's sendWriteRequestWithBackoff. The wait starts
 * at min_backoff and doubles up to max_backoff; a Retry-After from the
 * endpoint replaces it (and the doubling continues from there).
 */
import type { QueueConfig } from './options.js';
import { classifySendError, type RemoteWriteClient, type SendFailure } from './sender.js';
import type { RemoteWriteLog } from './types.js';

export type Outcome = 'sent' | 'failed' | 'stopped';

export class RetryingSender {
  requests = 0;
  requestsFailed = 0;
  samplesRetried = 0;
  private stopped = false;
  private readonly sleepers = new Map<NodeJS.Timeout, () => void>();
  private readonly loggedFailures = new Set<string>();

  constructor(
    private readonly client: RemoteWriteClient,
    private readonly config: QueueConfig,
    private readonly log: (
      level: Parameters<RemoteWriteLog>[0],
      message: string,
      fields: object,
    ) => void,
  ) {}

  async send(body: Buffer, samples: number): Promise<{ outcome: Outcome; attempts: number }> {
    let backoff = this.config.minBackoffMs;
    for (let attempts = 1; ; attempts++) {
      if (this.stopped) return { outcome: 'stopped', attempts };
      this.requests++;
      try {
        await this.client.send(body);
        return { outcome: 'sent', attempts };
      } catch (error) {
        if (this.stopped) return { outcome: 'stopped', attempts };
        this.requestsFailed++;
        const failure = classifySendError(error, this.config.retryOnHttp429);
        this.logFailure(failure, samples);
        if (!failure.recoverable) return { outcome: 'failed', attempts };
        const wait =
          failure.retryAfterMs !== undefined && failure.retryAfterMs > 0
            ? failure.retryAfterMs
            : backoff;
        await this.sleep(wait);
        this.samplesRetried += samples;
        backoff = Math.min(wait * 2, this.config.maxBackoffMs);
      }
    }
  }

  /** Ends every wait now; sends in progress return 'stopped'. */
  stop(): void {
    this.stopped = true;
    for (const [timer, wake] of this.sleepers) {
      clearTimeout(timer);
      wake();
    }
    this.sleepers.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleepers.delete(timer);
        resolve();
      }, ms);
      this.sleepers.set(timer, resolve);
    });
  }

  private logFailure(failure: SendFailure, samples: number): void {
    // Once per distinct failure: a down endpoint must not write a line per retry.
    if (this.loggedFailures.has(failure.key)) return;
    this.loggedFailures.add(failure.key);
    this.log(
      failure.recoverable ? 'warn' : 'error',
      failure.recoverable
        ? `remote write failed, retrying: ${failure.message}`
        : `remote write refused, samples dropped: ${failure.message}`,
      { status: failure.status, hint: failure.hint, samples },
    );
  }
}
