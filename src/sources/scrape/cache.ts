/**
 * A target's scrape cache: the exact text of each series as the target writes
 * it → its series id, the scrape that last saw it and the scrape that first
 * saw it. The numbers live in typed arrays indexed by slot rather than in an
 * object per series, so a cache of thousands of series is one Map of strings
 * for the garbage collector, not thousands of objects as well.
 *
 * A target writes its series in the same order scrape after scrape, so the
 * cache also remembers which series came at which position of the last
 * scrape: comparing the text with the one expected there is a memcmp, where
 * a Map lookup must hash the whole text first (half of the lookup's cost for
 * the ~150-character series texts of a typical exporter).
 */
export class ScrapeCache {
  private readonly slots = new Map<string, number>();
  /** Per slot: the series id, or 0 when metric_relabel_configs dropped the series. */
  ids = new Uint32Array(64);
  /** Per slot: the scrape generation that last saw the series. */
  seen = new Uint32Array(64);
  /** Per slot: the generation that first saw it (a failed scrape's new series has nothing to mark stale). */
  born = new Uint32Array(64);
  /** Per slot: its text, to tell whether a remembered position still names that slot. */
  private texts: (string | undefined)[] = [];
  /** Per position in the last scrape: the text and slot of the series found there. */
  private readonly orderTexts: string[] = [];
  private orderSlots = new Int32Array(64);
  private readonly free: number[] = [];
  private used = 0;

  /** The slot of the series text at `position` (the sample's index in this scrape), or -1. */
  slotAt(position: number, text: string): number {
    const expected = this.orderTexts[position];
    if (expected === text) {
      const slot = this.orderSlots[position]!;
      if (this.texts[slot] === expected) return slot;
    }
    const slot = this.slots.get(text);
    if (slot === undefined) return -1;
    this.remember(position, slot);
    return slot;
  }

  /** Notes that `slot` was found at `position` of this scrape. */
  remember(position: number, slot: number): void {
    if (position >= this.orderSlots.length) {
      const next = new Int32Array(Math.max(position + 1, this.orderSlots.length * 2));
      next.set(this.orderSlots);
      this.orderSlots = next;
    }
    this.orderTexts[position] = this.texts[slot]!;
    this.orderSlots[position] = slot;
  }

  /** Adds a series text (which must not be a view into a larger string the cache would keep alive). */
  add(text: string, id: number, generation: number): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.used === this.ids.length) this.grow();
      slot = this.used++;
    }
    this.ids[slot] = id;
    this.seen[slot] = generation;
    this.born[slot] = generation;
    this.slots.set(text, slot);
    this.texts[slot] = text;
    return slot;
  }

  /** Removes every series `keep` refuses, calling `gone` with its series id first. */
  sweep(keep: (slot: number) => boolean, gone: (id: number) => void): void {
    for (const [text, slot] of this.slots) {
      if (keep(slot)) continue;
      gone(this.ids[slot]!);
      this.slots.delete(text);
      this.texts[slot] = undefined;
      this.free.push(slot);
    }
  }

  /** Calls `each` with every slot. */
  forEach(each: (slot: number) => void): void {
    for (const slot of this.slots.values()) each(slot);
  }

  clear(): void {
    this.slots.clear();
    this.texts = [];
    this.orderTexts.length = 0;
    this.free.length = 0;
    this.used = 0;
  }

  get size(): number {
    return this.slots.size;
  }

  private grow(): void {
    const size = this.ids.length * 2;
    for (const name of ['ids', 'seen', 'born'] as const) {
      const next = new Uint32Array(size);
      next.set(this[name]);
      this[name] = next;
    }
  }
}
