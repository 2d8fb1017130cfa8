/**
 * One body sent until the destination takes it, refuses it for good, or the
 * sink stops; for any sink whose request is `send(body) → Promise`. After
 * Prometheus's sendWriteRequestWithBackoff and Vector's RetryLogic, with a
 * third way out besides retry and drop (verdict.ts):
 *
 * - `retry`: the wait starts at min_backoff and doubles up to max_backoff; a
 *   Retry-After from the endpoint replaces it (the doubling continues from
 *   there).
 * - `refresh-and-retry` and `hold`: the destination is blocked;
 *   credentials are refreshed before each retry and the body is never
 *   dropped. The first success unblocks. A refresh-and-retry cures itself
 *   (a background refresh, a clock correction), so its wait doubles only up
 *   to max_backoff; a hold waits for a person, so its wait doubles up to
 *   `holdMaxBackoffMs` (minutes, not seconds). A success of any send means
 *   the fix landed: every held send retries at once.
 * - `drop`: handed back to the caller, which may split the body and resend
 *   the parts (remote write does) before it drops and counts what is left.
 */
import type { FailureLog } from './failure-log.js';
import type { BlockedState, Verdict } from './verdict.js';

export interface RetryPolicy {
  /** First wait after a transient error; doubles per retry up to `maxBackoffMs`. */
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  /** The longest wait between two attempts while blocked. */
  readonly holdMaxBackoffMs: number;
  /** How often held sends ask whether their credentials changed; DEFAULT_HOLD_POLL_MS. */
  readonly holdPollMs?: number | undefined;
  /**
   * The share (0–1) of each backoff wait taken off at random, so senders
   * throttled together do not come back together; none when absent. The
   * doubling goes on from the whole wait; a Retry-After is waited as asked.
   */
  readonly jitter?: number | undefined;
}

/** Two minutes: a fixed key or policy is picked up soon, a dead one costs a request per shard per 2 min. */
export const DEFAULT_HOLD_MAX_BACKOFF_MS = 120_000;

/** What a sink sends through: one attempt, and the refresh that may cure an authentication refusal. */
export interface SendTarget<B> {
  /** Resolves when the destination accepted the body; throws what went wrong. */
  send(body: B): Promise<void>;
  /** New credentials before resending a refused body; optional for unauthenticated sinks. */
  refresh?(): Promise<void>;
  /**
   * Whether what the last refusal judged may have changed (the credentials
   * file was rewritten, a role rotated): asked while a send is held, so a fix
   * is picked up within a poll, not after a backoff of minutes.
   */
  changed?(): Promise<boolean>;
}

/** How often a held send asks its target whether the credentials changed. */
export const DEFAULT_HOLD_POLL_MS = 1000;

export type SendResult =
  | { readonly outcome: 'sent'; readonly attempts: number }
  | { readonly outcome: 'dropped'; readonly attempts: number; readonly verdict: Verdict }
  | { readonly outcome: 'stopped'; readonly attempts: number };

export class RetryingSender<B> {
  requests = 0;
  requestsFailed = 0;
  /** Units (samples, records) sent again after a failure, once per retry. */
  unitsRetried = 0;
  private blockedState: BlockedState | undefined;
  private stopped = false;
  private readonly sleepers = new Map<NodeJS.Timeout, () => void>();
  /** The waits of held sends: a success elsewhere means the fix landed, so they retry at once. */
  private readonly heldSleepers = new Map<NodeJS.Timeout, () => void>();
  private poll: NodeJS.Timeout | undefined;

  constructor(
    private readonly target: SendTarget<B>,
    private readonly classify: (error: unknown) => Verdict,
    private readonly policy: RetryPolicy,
    private readonly failures: FailureLog,
    private readonly now: () => number = Date.now,
  ) {}

  /** Why the destination cannot deliver, from its first refusal that needs a fix until the first success. */
  get blocked(): BlockedState | undefined {
    return this.blockedState;
  }

  async send(body: B, units: number): Promise<SendResult> {
    let backoff = this.policy.minBackoffMs;
    let holdBackoff = this.policy.minBackoffMs;
    for (let attempts = 1; ; attempts++) {
      if (this.stopped) return { outcome: 'stopped', attempts };
      this.requests++;
      try {
        await this.target.send(body);
        this.blockedState = undefined;
        this.failures.succeeded();
        this.wakeHeld();
        return { outcome: 'sent', attempts };
      } catch (error) {
        if (this.stopped) return { outcome: 'stopped', attempts };
        this.requestsFailed++;
        const verdict = this.classify(error);
        if (verdict.action === 'drop') return { outcome: 'dropped', attempts, verdict };
        this.failures.failed(verdict);
        const asked =
          verdict.retryAfterMs !== undefined && verdict.retryAfterMs > 0
            ? verdict.retryAfterMs
            : undefined;
        let wait: number;
        if (verdict.action === 'retry') {
          wait = asked ?? backoff;
          backoff = Math.min(wait * 2, this.policy.maxBackoffMs);
        } else {
          this.block(verdict);
          wait = asked ?? holdBackoff;
          const cap =
            verdict.action === 'hold' ? this.policy.holdMaxBackoffMs : this.policy.maxBackoffMs;
          holdBackoff = Math.min(Math.max(wait, 1) * 2, cap);
        }
        if (asked === undefined && this.policy.jitter) {
          wait -= wait * Math.min(this.policy.jitter, 1) * Math.random();
        }
        await this.sleep(wait, verdict.action !== 'retry');
        if (this.stopped) return { outcome: 'stopped', attempts };
        if (verdict.action !== 'retry') await this.refresh();
        this.unitsRetried += units;
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
    this.heldSleepers.clear();
    this.failures.close();
  }

  private wakeHeld(): void {
    for (const [timer, wake] of this.heldSleepers) {
      clearTimeout(timer);
      this.sleepers.delete(timer);
      wake();
    }
    this.heldSleepers.clear();
  }

  private block(verdict: Verdict): void {
    const reason = verdict.blocked ?? 'credentials';
    const previous = this.blockedState;
    this.blockedState = {
      reason,
      since: previous?.reason === reason ? previous.since : this.now(),
      message: verdict.message,
      hint: verdict.hint ?? 'fix what the message names; the data is held until then',
    };
  }

  private async refresh(): Promise<void> {
    try {
      await this.target.refresh?.();
    } catch {
      // No credentials yet: the next attempt fails the same way and says so.
    }
  }

  private sleep(ms: number, held: boolean): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleepers.delete(timer);
        this.heldSleepers.delete(timer);
        resolve();
      }, ms);
      this.sleepers.set(timer, resolve);
      if (held) {
        this.heldSleepers.set(timer, resolve);
        this.watchForFix();
      }
    });
  }

  /** While sends are held, asks the target now and then whether a fix landed, and wakes them if so. */
  private watchForFix(): void {
    if (this.poll || !this.target.changed) return;
    const every = this.policy.holdPollMs ?? DEFAULT_HOLD_POLL_MS;
    const tick = (): void => {
      this.poll = undefined;
      if (this.heldSleepers.size === 0 || this.stopped) return;
      void this.target.changed!().then(
        (changed) => {
          if (changed) this.wakeHeld();
          if (this.heldSleepers.size > 0 && !this.stopped) this.watchForFix();
        },
        () => this.watchForFix(),
      );
    };
    this.poll = setTimeout(tick, every);
    this.poll.unref();
  }
}
