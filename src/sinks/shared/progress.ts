/**
 * Which WAL position is safe to truncate to, for any sink that finishes
 * units (samples, records) out of order. Every accepted enqueue call gets a
 * sequence number and keeps a count of its units not yet finished (sent, or
 * dropped as poison; a held unit is not finished, so progress stops short
 * of it); a sink's workers finish units in any order. The token reported is
 * that of the newest call such that it and every call before it have no
 * unfinished units left. Tokens are opaque to the sink (never `undefined`);
 * only `compare` looks into them.
 *
 * Sequence numbers are 32-bit and wrap (remote write's shards store them in
 * a Uint32Array; 2^32 calls is weeks of scrapes), so positions are computed
 * modulo 2^32 from the oldest unfinished call.
 */
export class ProgressTracker<T> {
  /** Unfinished samples per call, from `firstSeq` on; entries before `start` are finished. */
  private counts: number[] = [];
  private tokens: (T | undefined)[] = [];
  private start = 0;
  private firstSeq: number;
  private nextSeq: number;
  private reported: T | undefined;
  private hasReported = false;

  constructor(
    private readonly compare: (a: T, b: T) => number,
    /** Where numbering starts; tests start near 2^32 to cross the wrap. */
    initialSeq = 0,
  ) {
    this.firstSeq = initialSeq >>> 0;
    this.nextSeq = this.firstSeq;
  }

  /** Registers an enqueue call; its samples are counted in with `add`. */
  open(token: T): number {
    this.counts.push(0);
    this.tokens.push(token);
    const seq = this.nextSeq;
    this.nextSeq = (seq + 1) >>> 0;
    return seq;
  }

  add(seq: number, samples: number): void {
    this.counts[this.start + ((seq - this.firstSeq) >>> 0)]! += samples;
  }

  /** `samples` of call `seq` are finished. */
  finish(seq: number, samples: number): void {
    this.counts[this.start + ((seq - this.firstSeq) >>> 0)]! -= samples;
  }

  /**
   * Moves past every finished call at the front; returns the newest token
   * passed if it is beyond the last one returned, else undefined.
   */
  advance(): T | undefined {
    let token: T | undefined;
    let moved = false;
    while (this.start < this.counts.length && this.counts[this.start] === 0) {
      token = this.tokens[this.start];
      this.tokens[this.start] = undefined;
      this.start++;
      this.firstSeq = (this.firstSeq + 1) >>> 0;
      moved = true;
    }
    // Drop the finished prefix now and then, so the arrays follow what is in flight.
    if (this.start > 1024 && this.start * 2 > this.counts.length) {
      this.counts = this.counts.slice(this.start);
      this.tokens = this.tokens.slice(this.start);
      this.start = 0;
    }
    if (!moved || token === undefined) return undefined;
    // A caller re-feeding older WAL data after a refusal must not move progress backwards.
    if (this.hasReported && this.compare(token, this.reported as T) <= 0) return undefined;
    this.reported = token;
    this.hasReported = true;
    return token;
  }

  /** Enqueue calls not yet behind the reported position. */
  get unfinishedCalls(): number {
    return this.counts.length - this.start;
  }
}
