/**
 * How many shards a queue wants, after Prometheus's calculateDesiredShards
 * (storage/remote/queue_manager.go, 2.42), run every shard update interval:
 *
 *   timePerSample = (seconds spent sending per second) / (samples sent per second)
 *   backlog       = (highest timestamp received − highest sent, in s) × incoming rate
 *   desired       = timePerSample × (incoming rate × kept ratio + 5% of backlog)
 *
 * All rates are exponentially weighted (weight 0.2 per interval). The result
 * is rounded up; a change of less than 30% of the current count is ignored, no
 * downsharding while more than 10 s behind, and it is clamped to
 * [minShards, maxShards]. The queue reshards only if a send finished within
 * the last two batch deadlines (a dead endpoint is no reason to reshard).
 *
 * "Incoming" is what the source appended: the caller reports it with
 * RemoteWriteQueue.noteIncoming, so the backlog includes samples still only
 * in the WAL. Without those reports the queue counts what it is offered.
 */

import { performance } from 'node:perf_hooks';

const EWMA_WEIGHT = 0.2;
const TOLERANCE = 0.3;
const CATCH_UP_FRACTION = 0.05;
const MAX_DELAY_TO_DOWNSHARD_S = 10;

/** Prometheus's ewmaRate: events per second, smoothed per tick. */
export class EwmaRate {
  private events = 0;
  private value = 0;
  private started = false;

  add(count: number): void {
    this.events += count;
  }

  tick(seconds: number): void {
    const instant = seconds > 0 ? this.events / seconds : 0;
    if (this.started) this.value += EWMA_WEIGHT * (instant - this.value);
    else if (this.events > 0) {
      this.started = true;
      this.value = instant;
    }
    this.events = 0;
  }

  get rate(): number {
    return this.value;
  }
}

export interface ShardInputs {
  readonly current: number;
  readonly minShards: number;
  readonly maxShards: number;
  /** Samples per second arriving at the source. */
  readonly inRate: number;
  /** Samples per second finished (sent or failed). */
  readonly outRate: number;
  /** Samples per second dropped before sending (relabeling, unknown series). */
  readonly droppedRate: number;
  /** Seconds per second spent in sends, retries included. */
  readonly sendSecondsRate: number;
  /** Highest timestamp received minus highest sent, in seconds. */
  readonly delaySeconds: number;
}

export interface ShardDecision {
  /** The unrounded estimate, as the `shards_desired` gauge shows it. */
  readonly desired: number;
  /** The shard count to run. */
  readonly shards: number;
}

export function desiredShards(input: ShardInputs): ShardDecision {
  const { current, inRate, outRate } = input;
  if (outRate <= 0) return { desired: current, shards: current };
  const keptRatio = outRate / (input.droppedRate + outRate);
  const backlog = Math.max(0, input.delaySeconds) * inRate * keptRatio;
  const timePerSample = input.sendSecondsRate / outRate;
  const desired = timePerSample * (inRate * keptRatio + CATCH_UP_FRACTION * backlog);
  const rounded = Math.ceil(desired);
  if (rounded >= current * (1 - TOLERANCE) && rounded <= current * (1 + TOLERANCE)) {
    return { desired, shards: current };
  }
  if (rounded < current && input.delaySeconds > MAX_DELAY_TO_DOWNSHARD_S) {
    return { desired, shards: current };
  }
  return { desired, shards: Math.min(input.maxShards, Math.max(input.minShards, rounded)) };
}

/** What a queue tells about its traffic, and the estimate made from it on each tick. */
export class ShardTuner {
  private readonly inRate = new EwmaRate();
  private readonly outRate = new EwmaRate();
  private readonly droppedRate = new EwmaRate();
  private readonly sendSeconds = new EwmaRate();
  private highestReceived = -Infinity;
  private highestSentMs = -Infinity;
  private lastTick = performance.now();
  /** Whether the source reports what it appends (noteIncoming); then offers are not counted. */
  private external = false;
  desired: number;

  constructor(private readonly config: { minShards: number; maxShards: number }) {
    this.desired = config.minShards;
  }

  /** Samples arriving: from the source (`external`), or as offered to enqueue. */
  incoming(samples: number, highestTimestampMs: number, external: boolean): void {
    if (external) this.external = true;
    else if (this.external) return;
    this.inRate.add(samples);
    if (highestTimestampMs > this.highestReceived) this.highestReceived = highestTimestampMs;
  }

  get countsOffers(): boolean {
    return !this.external;
  }

  dropped(samples: number): void {
    this.droppedRate.add(samples);
  }

  /** A send finished: its samples (sent or failed), time taken with retries, newest timestamp sent. */
  sent(samples: number, seconds: number, highestSentMs: number | undefined): void {
    this.outRate.add(samples);
    this.sendSeconds.add(seconds);
    if (highestSentMs !== undefined && highestSentMs > this.highestSentMs) {
      this.highestSentMs = highestSentMs;
    }
  }

  get highestSent(): number {
    return this.highestSentMs;
  }

  /** Advances the rates and returns the decision for `current` shards. */
  tick(current: number): ShardDecision {
    const now = performance.now();
    const seconds = (now - this.lastTick) / 1000;
    this.lastTick = now;
    for (const rate of [this.inRate, this.outRate, this.droppedRate, this.sendSeconds]) {
      rate.tick(seconds);
    }
    const delayMs =
      Number.isFinite(this.highestReceived) && Number.isFinite(this.highestSentMs)
        ? this.highestReceived - this.highestSentMs
        : 0;
    const decision = desiredShards({
      current,
      minShards: this.config.minShards,
      maxShards: this.config.maxShards,
      inRate: this.inRate.rate,
      outRate: this.outRate.rate,
      droppedRate: this.droppedRate.rate,
      sendSecondsRate: this.sendSeconds.rate,
      delaySeconds: delayMs / 1000,
    });
    this.desired = decision.desired;
    return decision;
  }
}
