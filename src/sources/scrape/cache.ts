/**
 * A target's scrape cache: the exact text of each series as the target writes
 * it → its series id, the scrape that last saw it and the scrape that first
 * saw it. The numbers live in typed arrays indexed by slot rather than in an
 * object per series, so a cache of thousands of series is one Map of strings
 * for the garbage collector, not thousands of objects as well.
 */
export class ScrapeCache {
  private readonly slots = new Map<string, number>();
  /** Per slot: the series id, or 0 when metric_relabel_configs dropped the series. */
  ids = new Uint32Array(64);
  /** Per slot: the scrape generation that last saw the series. */
  seen = new Uint32Array(64);
  /** Per slot: the generation that first saw it (a failed scrape's new series has nothing to mark stale). */
  born = new Uint32Array(64);
  private readonly free: number[] = [];
  private used = 0;

  /** The slot of this series text, or -1. */
  slotOf(text: string): number {
    return this.slots.get(text) ?? -1;
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
    return slot;
  }

  /** Removes every series `keep` refuses, calling `gone` with its series id first. */
  sweep(keep: (slot: number) => boolean, gone: (id: number) => void): void {
    for (const [text, slot] of this.slots) {
      if (keep(slot)) continue;
      gone(this.ids[slot]!);
      this.slots.delete(text);
      this.free.push(slot);
    }
  }

  /** Calls `each` with every slot. */
  forEach(each: (slot: number) => void): void {
    for (const slot of this.slots.values()) each(slot);
  }

  clear(): void {
    this.slots.clear();
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
