/**
 * Shards: the queue's units of concurrency. A series always lives in shard
 * `id % shards`, and a shard has at most one request in flight, so the
 * samples of a series reach the endpoint in the order they were enqueued.
 */
import type { SampleBatch } from '../../model/series.js';
import type { LabelCache } from './label-cache.js';
import { SampleColumns } from './sample-columns.js';

export class Shard {
  readonly columns: SampleColumns;
  /** Samples at the head of `columns` in the request in flight; 0 when idle. */
  sending = 0;
  /** The batch deadline timer, armed while a partial batch waits. */
  timer: NodeJS.Timeout | undefined;
  /** The deadline passed: send what there is. */
  due = false;

  constructor(capacity: number) {
    this.columns = new SampleColumns(capacity);
  }

  clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.due = false;
  }
}

export interface ScatterResult {
  readonly kept: number;
  /** Samples whose series write relabeling drops (or the series table does not know). */
  readonly dropped: number;
}

/** Appends the batch's samples to their shards, tagged with the enqueue call's `seq`. */
export function scatter(
  batch: SampleBatch,
  seq: number,
  shards: readonly Shard[],
  cache: LabelCache,
): ScatterResult {
  const count = batch.count;
  const ids = batch.ids;
  const timestamps = batch.timestamps;
  // Values move as integer words: a staleness marker's NaN bits must not meet a JS number.
  const words = new Uint32Array(batch.values.buffer, batch.values.byteOffset, count * 2);
  const n = shards.length;
  if (n === 1) shards[0]!.columns.reserve(count);
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const id = ids[i]!;
    if (!cache.keep(id)) continue;
    const c = shards[n === 1 ? 0 : id % n]!.columns;
    if (c.tail === c.ids.length) c.reserve(1);
    const t = c.tail++;
    c.ids[t] = id;
    c.timestamps[t] = timestamps[i]!;
    c.valueWords[t * 2] = words[i * 2]!;
    c.valueWords[t * 2 + 1] = words[i * 2 + 1]!;
    c.seqs[t] = seq;
    kept++;
  }
  return { kept, dropped: count - kept };
}

/**
 * Moves every sample not in flight from `old` shards to `next` ones, by the
 * new `id % next.length`. Each old shard's samples move in their order, and a
 * series was in only one old shard, so per-series order holds. Returns the
 * old shards still holding a request in flight: until those finish, the new
 * shards must not send (a newer sample of the same series could overtake).
 */
export function redistribute(old: readonly Shard[], next: readonly Shard[]): Shard[] {
  const retiring: Shard[] = [];
  const n = next.length;
  for (const shard of old) {
    shard.clearTimer();
    const c = shard.columns;
    for (let i = c.head + shard.sending; i < c.tail; i++) {
      next[c.ids[i]! % n]!.columns.pushFrom(c, i);
    }
    c.truncate(shard.sending);
    if (shard.sending > 0) retiring.push(shard);
  }
  return retiring;
}
