/**
 * Says every failure of one destination, and its recovery, without a line
 * per retry: the first occurrence of a cause at once, then at most one
 * summary per cause and interval with counts; while the destination is held,
 * at least one line per interval with the cause and the hint, even when its
 * backoff makes attempts rarer than that; and one line when sending succeeds
 * again. Drops are counted and summed per reason the same way.
 */
import type { LogCallback } from '../../log.js';
import type { DropReason, Verdict } from './verdict.js';

export type SinkLogLevel = Parameters<LogCallback>[0];

/** A log line; `fields` are structured context (never credentials). */
export type SinkLog = (
  level: SinkLogLevel,
  message: string,
  fields: Readonly<Record<string, unknown>>,
) => void;

export interface FailureLogOptions {
  /** How the destination is named in lines, e.g. `remote write to prod`. */
  readonly destination: string;
  readonly log: SinkLog;
  /** The least time between two lines about one cause; default a minute. */
  readonly intervalMs?: number | undefined;
  /** Milliseconds; tests move it. */
  readonly now?: (() => number) | undefined;
}

export const DEFAULT_FAILURE_LOG_INTERVAL_MS = 60_000;

interface CauseState {
  verdict: Verdict;
  /** Failures since the last line about this cause. */
  unsaid: number;
  saidAt: number;
  firstAt: number;
  total: number;
}

interface DropState {
  readonly reason: DropReason;
  /** What is counted: `sample`, `metadata entry`, `record`. */
  readonly unit: string;
  saidAt: number;
  firstAt: number;
  unsaidSamples: number;
  unsaidBatches: number;
  last: string;
}

export class FailureLog {
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly causes = new Map<string, CauseState>();
  /** By unit and reason. */
  private readonly drops = new Map<string, DropState>();
  /** When the current run of failures began, if one is under way. */
  private failingSince: number | undefined;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: FailureLogOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_FAILURE_LOG_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  /** An attempt failed and will be retried (or the destination holds). */
  failed(verdict: Verdict): void {
    const now = this.now();
    this.failingSince ??= now;
    this.failures++;
    const state = this.causes.get(verdict.cause);
    if (!state) {
      this.causes.set(verdict.cause, {
        verdict,
        unsaid: 0,
        saidAt: now,
        firstAt: now,
        total: 1,
      });
      this.sayFirst(verdict);
    } else {
      state.verdict = verdict;
      state.unsaid++;
      state.total++;
      if (now - state.saidAt >= this.intervalMs) this.saySummary(state, now);
    }
    this.armTimer();
  }

  /** An attempt succeeded: closes a run of failures with a recovery line. */
  succeeded(): void {
    if (this.failingSince === undefined) return;
    const over = this.now() - this.failingSince;
    const causes = [...this.causes.keys()].join(', ');
    this.options.log(
      'info',
      `${this.options.destination}: sending recovered after ${this.failures} failure${this.failures === 1 ? '' : 's'} over ${seconds(over)}`,
      { failures: this.failures, duration_ms: over, causes },
    );
    this.failingSince = undefined;
    this.failures = 0;
    this.causes.clear();
    this.disarmTimer();
  }

  /** `count` units (of a batch of `batchCount`) were dropped for good. */
  dropped(verdict: Verdict, count: number, batchCount: number, unit = 'sample'): void {
    const reason = verdict.dropReason ?? 'invalid';
    const now = this.now();
    const key = `${unit}\0${reason}`;
    const state = this.drops.get(key);
    if (!state) {
      this.drops.set(key, {
        reason,
        unit,
        saidAt: now,
        firstAt: now,
        unsaidSamples: 0,
        unsaidBatches: 0,
        last: verdict.message,
      });
      const kept = batchCount - count;
      this.options.log(
        'error',
        `${this.options.destination} refused ${counted(count, unit)} (${reason}), dropped${kept > 0 ? `; the other ${kept} of the batch were delivered` : ''}: ${verdict.message}`,
        { reason, count, unit, status: verdict.status, hint: verdict.hint },
      );
      return;
    }
    state.unsaidSamples += count;
    state.unsaidBatches++;
    state.last = verdict.message;
    if (now - state.saidAt >= this.intervalMs) this.sayDrops(state, now);
    this.armTimer();
  }

  /** Stops the summary timer (the destination is closing). */
  close(): void {
    this.disarmTimer();
  }

  private sayFirst(verdict: Verdict): void {
    const what =
      verdict.action === 'retry'
        ? 'failed, retrying'
        : `is blocked (${verdict.blocked ?? 'refused'}); holding the data and retrying`;
    this.options.log(
      verdict.action === 'retry' ? 'warn' : 'error',
      `${this.options.destination} ${what}: ${verdict.message}`,
      { cause: verdict.cause, status: verdict.status, hint: verdict.hint },
    );
  }

  private saySummary(state: CauseState, now: number): void {
    const { verdict } = state;
    const held = verdict.action !== 'retry';
    const attempts =
      state.unsaid === 0
        ? 'no attempt since the last line'
        : `${state.unsaid} attempt${state.unsaid === 1 ? '' : 's'} over ${seconds(now - state.saidAt)}`;
    const head = held
      ? `${this.options.destination} still blocked (${verdict.blocked ?? 'refused'}) after ${seconds(now - state.firstAt)}, data held`
      : `${this.options.destination} still failing`;
    this.options.log(
      held ? 'error' : 'warn',
      `${head}: ${attempts}, last: ${verdict.message}${held && verdict.hint ? `; ${verdict.hint}` : ''}`,
      { cause: verdict.cause, attempts: state.unsaid, total: state.total, hint: verdict.hint },
    );
    state.unsaid = 0;
    state.saidAt = now;
  }

  private sayDrops(state: DropState, now: number): void {
    if (state.unsaidBatches === 0) return;
    const { reason, unit } = state;
    this.options.log(
      'error',
      `${this.options.destination} dropped another ${counted(state.unsaidSamples, unit)} (${reason}) in ${state.unsaidBatches} batch${state.unsaidBatches === 1 ? '' : 'es'} over ${seconds(now - state.saidAt)}, last: ${state.last}`,
      { reason, count: state.unsaidSamples, unit, batches: state.unsaidBatches },
    );
    state.unsaidSamples = 0;
    state.unsaidBatches = 0;
    state.saidAt = now;
  }

  /** Summaries are due even when no new failure comes to trigger them (long hold backoffs). */
  private armTimer(): void {
    if (this.timer) return;
    // Ticks finer than the interval, so a held destination's line is never much later than due.
    this.timer = setInterval(() => this.tick(), Math.max(10, this.intervalMs / 10));
    this.timer.unref();
  }

  private disarmTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = this.now();
    for (const state of this.causes.values()) {
      if (now - state.saidAt < this.intervalMs) continue;
      // A held destination speaks every interval; a retrying one only when there is news.
      if (state.unsaid > 0 || state.verdict.action !== 'retry') this.saySummary(state, now);
    }
    for (const state of this.drops.values()) {
      if (now - state.saidAt >= this.intervalMs) this.sayDrops(state, now);
    }
    const quiet =
      this.failingSince === undefined &&
      [...this.drops.values()].every((d) => d.unsaidBatches === 0);
    if (quiet) this.disarmTimer();
  }
}

/** "1 sample", "3 samples", "2 metadata entries". */
function counted(n: number, unit: string): string {
  if (n === 1) return `1 ${unit}`;
  return `${n} ${unit.endsWith('y') ? `${unit.slice(0, -1)}ies` : `${unit}s`}`;
}

/** "0.4 s", "29 s", "3 min 5 s". */
function seconds(ms: number): string {
  if (ms < 10_000) return `${Math.round(ms / 100) / 10} s`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}
