/**
 * Batches of one log stream, cut at whichever PutLogEvents limit comes
 * first: the event count, the byte size (UTF-8 message bytes plus 26 per
 * event) and the 24-hour span between the oldest and newest event. A batch
 * is sorted by timestamp when it is cut (a stable sort: events of one
 * timestamp keep their order, so a split line's parts stay in sequence).
 *
 * A batch keeps its events as the request body they become: each event is
 * written as `{"timestamp":…,"message":…}` into one growing buffer that
 * already starts with the body's head, with only numbers beside it (time,
 * offset, size). Holding a second of lines as JS objects made every one of
 * them survive young-generation collections into the old generation, and the
 * collector's work and the heap's growth were the agent's largest cost per
 * line (bench:logs-aws); bytes in one buffer cost neither.
 */
import { MAX_BATCH_SPAN_MS } from './limits.js';

export interface BatchLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
}

/** The body around the events: what a stream's every batch starts and ends with. */
export function putLogEventsHead(group: string, stream: string): string {
  return `{"logGroupName":${JSON.stringify(group)},"logStreamName":${JSON.stringify(stream)},"logEvents":[`;
}
const TAIL = ']}';

const FIRST_CAPACITY = 16 * 1024;

export class Batch {
  /** Events in the batch. */
  count = 0;
  /** As PutLogEvents counts them: message bytes plus 26 per event. */
  bytes = 0;
  private data: Buffer;
  private used: number;
  private readonly headLength: number;
  /** Per event: where its JSON starts in `data`, its time, its size as `bytes` counts it. */
  private readonly starts: number[] = [];
  private readonly timestamps: number[] = [];
  private readonly sizes: number[] = [];
  /** Enqueue calls the events came from, as [seq, count] runs in arrival order. */
  private readonly seqRuns: number[] = [];
  private oldest = Infinity;
  private newest = -Infinity;
  private sorted = true;
  private sealed = false;

  /** `capacity`: the body size expected (the stream's last batch), so a busy stream's buffer never grows by copying. */
  constructor(head: string, capacity = FIRST_CAPACITY) {
    this.data = Buffer.allocUnsafe(Math.max(capacity, head.length * 3 + 64));
    this.used = this.data.write(head, 0, 'utf8');
    this.headLength = this.used;
  }

  /** Whether an event of this time and size would break a limit if added. */
  wouldOverflow(timestamp: number, bytes: number, limits: BatchLimits): boolean {
    if (this.count === 0) return false;
    if (this.count + 1 > limits.maxEvents) return true;
    if (this.bytes + bytes > limits.maxBytes) return true;
    const oldest = Math.min(this.oldest, timestamp);
    const newest = Math.max(this.newest, timestamp);
    return newest - oldest > MAX_BATCH_SPAN_MS;
  }

  /** Whether no further event can fit (every event is at least 27 bytes). */
  full(limits: BatchLimits): boolean {
    return this.count >= limits.maxEvents || this.bytes + 27 > limits.maxBytes;
  }

  /** Adds one event; `bytes` is its PutLogEvents size, `seq` the enqueue call it came from. */
  add(timestamp: number, message: string, bytes: number, seq: number): void {
    if (timestamp < this.newest) this.sorted = false;
    const json = `${this.count === 0 ? '' : ','}{"timestamp":${timestamp},"message":${JSON.stringify(message)}}`;
    // A UTF-16 unit is at most 3 UTF-8 bytes; the tail needs 2 more.
    this.reserve(json.length * 3 + TAIL.length);
    this.starts.push(this.used);
    this.used += this.data.write(json, this.used, 'utf8');
    this.timestamps.push(timestamp);
    this.sizes.push(bytes);
    const runs = this.seqRuns;
    if (runs.length > 0 && runs[runs.length - 2] === seq) runs[runs.length - 1]!++;
    else runs.push(seq, 1);
    this.count++;
    this.bytes += bytes;
    if (timestamp < this.oldest) this.oldest = timestamp;
    if (timestamp > this.newest) this.newest = timestamp;
  }

  /** Closes the body, putting the events in time order first if they came out of it. */
  seal(): this {
    if (this.sealed) return this;
    this.sealed = true;
    if (!this.sorted) this.sortEvents();
    this.sorted = true;
    this.used += this.data.write(TAIL, this.used, 'latin1');
    return this;
  }

  /** The PutLogEvents request body; the batch must be sealed. */
  body(): Buffer {
    return this.data.subarray(0, this.used);
  }

  /** PutLogEvents bytes of the events [from, to) in sent order. */
  bytesBetween(from: number, to: number): number {
    let total = 0;
    for (let i = Math.max(from, 0); i < Math.min(to, this.count); i++) total += this.sizes[i]!;
    return total;
  }

  /** Unfinished events per enqueue call, to finish them in the ProgressTracker. */
  countsBySeq(): Map<number, number> {
    const counts = new Map<number, number>();
    const runs = this.seqRuns;
    for (let i = 0; i < runs.length; i += 2) {
      counts.set(runs[i]!, (counts.get(runs[i]!) ?? 0) + runs[i + 1]!);
    }
    return counts;
  }

  private reserve(more: number): void {
    if (this.used + more <= this.data.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.data.length * 2, this.used + more));
    this.data.copy(grown, 0, 0, this.used);
    this.data = grown;
  }

  /** Rewrites the events in timestamp order (stable: equal times keep their order). */
  private sortEvents(): void {
    const order = Array.from({ length: this.count }, (_, i) => i);
    order.sort((a, b) => this.timestamps[a]! - this.timestamps[b]! || a - b);
    const sorted = Buffer.allocUnsafe(this.used + TAIL.length + 1);
    let at = this.data.copy(sorted, 0, 0, this.headLength);
    const starts: number[] = [];
    order.forEach((index, position) => {
      // Each event's JSON, without the comma it was written with.
      let from = this.starts[index]!;
      const to = index + 1 < this.count ? this.starts[index + 1]! : this.used;
      if (index > 0) from++;
      starts.push(at);
      if (position > 0) sorted[at++] = 0x2c; // ','
      at += this.data.copy(sorted, at, from, to);
    });
    const timestamps = order.map((i) => this.timestamps[i]!);
    const sizes = order.map((i) => this.sizes[i]!);
    this.data = sorted;
    this.used = at;
    this.starts.splice(0, this.count, ...starts);
    this.timestamps.splice(0, this.count, ...timestamps);
    this.sizes.splice(0, this.count, ...sizes);
  }
}

/** One log stream: the batch filling, the sealed ones waiting, whether one is in flight. */
export class StreamQueue {
  open: Batch | undefined;
  readonly ready: Batch[] = [];
  inFlight = false;
  /** Cuts the open batch once its first event has waited batch_wait. */
  timer: NodeJS.Timeout | undefined;
  private readonly head: string;
  /** Body size of the last batch cut, to size the next one's buffer. */
  private lastBodyBytes = 0;

  constructor(
    readonly name: string,
    group: string,
  ) {
    this.head = putLogEventsHead(group, name);
  }

  /** Adds an event, first sealing the open batch when it would not fit; answers whether it sealed one. */
  add(
    timestamp: number,
    message: string,
    bytes: number,
    seq: number,
    limits: BatchLimits,
  ): boolean {
    let sealed = false;
    if (this.open?.wouldOverflow(timestamp, bytes, limits)) sealed = this.cut();
    this.open ??= new Batch(this.head, this.lastBodyBytes + 4096);
    this.open.add(timestamp, message, bytes, seq);
    if (this.open.full(limits)) sealed = this.cut() || sealed;
    return sealed;
  }

  /** Seals the open batch, if it has events. */
  cut(): boolean {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.open;
    this.open = undefined;
    if (!batch || batch.count === 0) return false;
    this.ready.push(batch.seal());
    this.lastBodyBytes = batch.body().length;
    return true;
  }

  get idle(): boolean {
    return !this.inFlight && this.ready.length === 0 && this.open === undefined;
  }
}
