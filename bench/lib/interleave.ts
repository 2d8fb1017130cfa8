/**
 * An interleaved micro-benchmark runner. Contenders run in rounds, each for a
 * batch of a fixed, calibrated number of operations, and the order rotates
 * every round: CPU frequency drift, GC pressure and noisy neighbours then hit
 * every contender alike instead of whichever happened to run last. The result
 * per contender is the median over rounds, which a few disturbed batches do
 * not move.
 */
import { performance } from 'node:perf_hooks';

/**
 * Runs `n` operations. Synchronous contenders loop synchronously, so they pay
 * no per-operation promise cost that is not theirs; asynchronous ones return
 * the promise of the whole batch.
 */
export type Batch = (n: number) => void | Promise<void>;

export interface Contender {
  readonly name: string;
  readonly batch: Batch;
}

export interface RunOptions {
  /** Measured rounds; every contender runs one batch per round. */
  readonly rounds: number;
  /** Target duration of one batch; the operation count is calibrated to it. */
  readonly batchMs: number;
  /** Time each contender runs before calibration, so the JIT has settled. */
  readonly warmupMs: number;
}

export interface Stats {
  /** Median over rounds of µs per operation. */
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  /** Operations per batch after calibration. */
  readonly opsPerBatch: number;
}

async function timeBatch(batch: Batch, n: number): Promise<number> {
  const start = performance.now();
  await batch(n);
  return performance.now() - start;
}

/** Linear-interpolated quantile of an ascending array. */
function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? NaN;
  const b = sorted[hi] ?? NaN;
  return a + (b - a) * (pos - lo);
}

/**
 * Warms every contender up (doubling batch sizes until `warmupMs` has passed,
 * which also estimates its speed), sizes its batch to `batchMs`, then runs the
 * rotating rounds.
 */
export async function runInterleaved(
  contenders: readonly Contender[],
  options: RunOptions,
): Promise<Map<string, Stats>> {
  const opsPerBatch = new Map<string, number>();
  // Warm-up interleaves too, in two passes, so no contender is measured while
  // another's code is still being optimised for the first time.
  for (let pass = 0; pass < 2; pass++) {
    for (const c of contenders) {
      let n = 1;
      let spent = 0;
      let usPerOp = Infinity;
      while (spent < options.warmupMs / 2) {
        const ms = await timeBatch(c.batch, n);
        spent += ms;
        usPerOp = (ms * 1000) / n;
        n *= 2;
      }
      opsPerBatch.set(c.name, Math.max(1, Math.round((options.batchMs * 1000) / usPerOp)));
    }
  }

  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + round) % contenders.length]!;
      const n = opsPerBatch.get(c.name)!;
      const ms = await timeBatch(c.batch, n);
      samples.get(c.name)!.push((ms * 1000) / n);
    }
  }

  const stats = new Map<string, Stats>();
  for (const c of contenders) {
    const sorted = samples.get(c.name)!.sort((a, b) => a - b);
    stats.set(c.name, {
      median: quantile(sorted, 0.5),
      p25: quantile(sorted, 0.25),
      p75: quantile(sorted, 0.75),
      opsPerBatch: opsPerBatch.get(c.name)!,
    });
  }
  return stats;
}
