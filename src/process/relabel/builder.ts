/**
 * The label set while rules run: the caller's labels, untouched, plus a map
 * of changes (an empty value marks a deletion, as in Prometheus where setting
 * "" deletes). It behaves like Prometheus's labels.Builder, including the
 * order labelmap visits labels in (unchanged input labels in name order,
 * then changed ones in the order they were first set) — that order decides
 * which value wins when two labels map to the same name.
 */
import type { Label, Labels } from '../../model/labels.js';

// Above this many labels (targets with many __meta_ labels), look names up by bisection.
const SCAN_LIMIT = 16;

export class LabelBuilder {
  private changes: Map<string, string> | undefined;
  private sorted: boolean | undefined;

  constructor(private readonly base: Labels) {}

  get(name: string): string {
    const changed = this.changes?.get(name);
    if (changed !== undefined) return changed;
    const base = this.base;
    if (base.length > SCAN_LIMIT && (this.sorted ??= isSorted(base))) {
      let lo = 0;
      let hi = base.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const l = base[mid]!;
        if (l.name === name) return l.value;
        if (l.name < name) lo = mid + 1;
        else hi = mid - 1;
      }
      return '';
    }
    for (const l of base) if (l.name === name) return l.value;
    return '';
  }

  set(name: string, value: string): void {
    if (value === '') {
      this.delete(name);
      return;
    }
    this.changes ??= new Map();
    // Re-adding a deleted label moves it to the end, as Builder.Set appends.
    if (this.changes.get(name) === '') this.changes.delete(name);
    this.changes.set(name, value);
  }

  delete(name: string): void {
    this.changes ??= new Map();
    this.changes.delete(name);
    this.changes.set(name, '');
  }

  /** Calls `fn` for each label as the set stood when called; `fn` may change the set. */
  forEach(fn: (name: string, value: string) => void): void {
    const changes = this.changes;
    if (changes === undefined) {
      for (const l of this.base) fn(l.name, l.value);
      return;
    }
    const snapshot = [...changes];
    const touched = new Set(changes.keys());
    for (const l of this.base) if (!touched.has(l.name)) fn(l.name, l.value);
    for (const [name, value] of snapshot) if (value !== '') fn(name, value);
  }

  /** The result: sorted by name, empty values gone. Label objects of the input are shared, never changed. */
  labels(): Label[] {
    const changes = this.changes;
    const out: Label[] = [];
    for (const l of this.base) {
      if (l.value !== '' && (changes === undefined || !changes.has(l.name))) out.push(l);
    }
    if (changes === undefined) return out;
    for (const [name, value] of changes) if (value !== '') out.push({ name, value });
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return out;
  }
}

/** Label sets are sorted by contract; checked once so a caller's slip cannot hide labels. */
function isSorted(labels: Labels): boolean {
  for (let i = 1; i < labels.length; i++)
    if (!(labels[i - 1]!.name < labels[i]!.name)) return false;
  return true;
}
