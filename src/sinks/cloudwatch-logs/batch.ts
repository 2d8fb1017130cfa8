/**
 * Batches of one log stream, cut at whichever PutLogEvents limit comes
 * first: the event count, the byte size (UTF-8 message bytes plus 26 per
 * event) and the 24-hour span between the oldest and newest event. A batch
 * is sorted by timestamp when it is cut (a stable sort: events of one
 * timestamp keep their order, so a split line's parts stay in sequence).
 */
import { MAX_BATCH_SPAN_MS } from './limits.js';

export interface BatchEvent {
  readonly timestamp: number;
  readonly message: string;
  /** As PutLogEvents counts it: message bytes plus 26. */
  readonly bytes: number;
  /** The enqueue call it came from (ProgressTracker's sequence number). */
  readonly seq: number;
}

export interface BatchLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
}

export class Batch {
  readonly events: BatchEvent[] = [];
  bytes = 0;
  private oldest = Infinity;
  private newest = -Infinity;
  private sorted = true;

  /** Whether `event` would break a limit if added. */
  wouldOverflow(event: BatchEvent, limits: BatchLimits): boolean {
    if (this.events.length === 0) return false;
    if (this.events.length + 1 > limits.maxEvents) return true;
    if (this.bytes + event.bytes > limits.maxBytes) return true;
    const oldest = Math.min(this.oldest, event.timestamp);
    const newest = Math.max(this.newest, event.timestamp);
    return newest - oldest > MAX_BATCH_SPAN_MS;
  }

  /** Whether no further event can fit (every event is at least 27 bytes). */
  full(limits: BatchLimits): boolean {
    return this.events.length >= limits.maxEvents || this.bytes + 27 > limits.maxBytes;
  }

  add(event: BatchEvent): void {
    if (event.timestamp < this.newest) this.sorted = false;
    this.events.push(event);
    this.bytes += event.bytes;
    if (event.timestamp < this.oldest) this.oldest = event.timestamp;
    if (event.timestamp > this.newest) this.newest = event.timestamp;
  }

  /** Sorts by timestamp, keeping the order of equal ones (Array.prototype.sort is stable). */
  seal(): this {
    if (!this.sorted) this.events.sort((a, b) => a.timestamp - b.timestamp);
    this.sorted = true;
    return this;
  }

  /** Unfinished events per enqueue call, to finish them in the ProgressTracker. */
  countsBySeq(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const e of this.events) counts.set(e.seq, (counts.get(e.seq) ?? 0) + 1);
    return counts;
  }
}

/** One log stream: the batch filling, the sealed ones waiting, whether one is in flight. */
export class StreamQueue {
  open: Batch | undefined;
  readonly ready: Batch[] = [];
  inFlight = false;
  /** Cuts the open batch once its first event has waited batch_wait. */
  timer: NodeJS.Timeout | undefined;

  constructor(readonly name: string) {}

  /** Adds an event, first sealing the open batch when the event would not fit; answers whether it sealed one. */
  add(event: BatchEvent, limits: BatchLimits): boolean {
    let sealed = false;
    if (this.open?.wouldOverflow(event, limits)) sealed = this.cut();
    this.open ??= new Batch();
    this.open.add(event);
    if (this.open.full(limits)) sealed = this.cut() || sealed;
    return sealed;
  }

  /** Seals the open batch, if it has events. */
  cut(): boolean {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.open;
    this.open = undefined;
    if (!batch || batch.events.length === 0) return false;
    this.ready.push(batch.seal());
    return true;
  }

  get idle(): boolean {
    return !this.inFlight && this.ready.length === 0 && this.open === undefined;
  }
}
