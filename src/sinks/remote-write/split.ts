/**
 * One shard batch delivered, splitting what the endpoint refuses as poison.
 * Prometheus's receiver rolls back a whole request for one out-of-order
 * sample; Cortex, Mimir and AMP refuse it with 400 as well. Rather than drop
 * every sample of the batch for the fault of a few, a refused batch is halved
 * and each half sent again (first half first, so per-series order holds),
 * down to halves of `minSamples` (single samples for 413, which is about
 * size alone); only those still refused are dropped.
 * Resending accepted samples is harmless: the same sample twice is not an
 * error to any of them.
 */
import type { RetryingSender } from '../shared/retry.js';
import type { DropReason, Verdict } from '../shared/verdict.js';
import type { EncodedRequest } from './snappy-encode.js';

export interface BatchOutcome {
  /** The sink stopped before the batch was done with. */
  readonly stopped: boolean;
  readonly sent: number;
  readonly bytes: number;
  /** Refused for good, by reason; the last refusal of each reason. */
  readonly failed: ReadonlyMap<DropReason, { samples: number; verdict: Verdict }>;
  readonly failedTotal: number;
  /** Skipped by the encoder: series no longer known. */
  readonly skipped: number;
  readonly highestSentMs: number;
  readonly attempts: number;
}

export async function deliverSplitting(
  encode: (offset: number, count: number) => EncodedRequest,
  sender: RetryingSender<Buffer>,
  count: number,
  minSamples: number,
): Promise<BatchOutcome> {
  let stopped = false;
  let sent = 0;
  let bytes = 0;
  let skipped = 0;
  let failedTotal = 0;
  let highestSentMs = -Infinity;
  let attempts = 0;
  const failed = new Map<DropReason, { samples: number; verdict: Verdict }>();

  const part = async (offset: number, length: number): Promise<void> => {
    const encoded = encode(offset, length);
    if (encoded.samples === 0) {
      skipped += encoded.dropped;
      return;
    }
    const result = await sender.send(encoded.body, encoded.samples);
    attempts += result.attempts;
    if (result.outcome === 'stopped') {
      stopped = true;
      return;
    }
    if (result.outcome === 'sent') {
      skipped += encoded.dropped;
      sent += encoded.samples;
      bytes += encoded.body.length;
      highestSentMs = Math.max(highestSentMs, encoded.highestTimestampMs);
      return;
    }
    const verdict = result.verdict;
    // Too large is about size alone: halving goes on until the parts fit.
    const floor = verdict.dropReason === 'too-large' ? 1 : minSamples;
    if (verdict.splittable && length > floor && length > 1) {
      // The halves are encoded again from the columns: counts come from them, not from this part.
      const half = Math.ceil(length / 2);
      await part(offset, half);
      if (!stopped) await part(offset + half, length - half);
      return;
    }
    skipped += encoded.dropped;
    failedTotal += encoded.samples;
    const reason = verdict.dropReason ?? 'invalid';
    const entry = failed.get(reason);
    failed.set(reason, { samples: (entry?.samples ?? 0) + encoded.samples, verdict });
  };

  await part(0, count);
  return { stopped, sent, bytes, failed, failedTotal, skipped, highestSentMs, attempts };
}
