/**
 * Simple case-folding orbits ({k, K, K (Kelvin)}, {s, S, ſ}, …), for spelling
 * a case-insensitive part of a pattern without JavaScript's `i` flag: Node 20
 * has no `(?i:…)`, so `a(?i:b)` must become `a[bB]`.
 *
 * The table is derived from the running engine rather than shipped: code
 * points linked by their single-character upper/lower mappings form candidate
 * orbits, which are then split by asking a `/…/iu` regex which members really
 * match each other (İ and ı map to i/I but do not fold with them, in RE2 as in
 * JavaScript). Built once, on first need (~40 ms).
 */
import { normalizeRanges, rangesContain } from './charset.js';

let orbits: readonly (readonly number[])[] | undefined;
let orbitByCp: Map<number, readonly number[]> | undefined;

const CASED = /\p{Changes_When_Casemapped}/u;
// Go's bounds for code points that take part in folding.
const MIN_FOLD = 0x41;
const MAX_FOLD = 0x1e943;

function singleCodePoint(s: string): number | undefined {
  const cp = s.codePointAt(0);
  return cp !== undefined && String.fromCodePoint(cp) === s ? cp : undefined;
}

function build(): void {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    for (let p = parent.get(r); p !== undefined && p !== r; p = parent.get(r)) r = p;
    parent.set(x, r);
    return r;
  };
  const union = (a: number, b: number): void => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (let cp = MIN_FOLD; cp <= MAX_FOLD; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const s = String.fromCodePoint(cp);
    if (!CASED.test(s)) continue;
    for (const mapped of [s.toUpperCase(), s.toLowerCase()]) {
      const m = singleCodePoint(mapped);
      if (m !== undefined && m !== cp) union(cp, m);
    }
  }
  const candidates = new Map<number, number[]>();
  for (const cp of parent.keys()) {
    const root = find(cp);
    const list = candidates.get(root);
    if (list) list.push(cp);
    else candidates.set(root, [cp]);
  }
  const all: number[][] = [];
  for (const members of candidates.values()) {
    const buckets: number[][] = [];
    for (const cp of members.sort((a, b) => a - b)) {
      const ch = String.fromCodePoint(cp);
      const bucket = buckets.find((b) => matchesFolded(b[0]!, ch));
      if (bucket) bucket.push(cp);
      else buckets.push([cp]);
    }
    for (const b of buckets) if (b.length > 1) all.push(b);
  }
  all.sort((a, b) => a[0]! - b[0]!);
  orbits = all;
  orbitByCp = new Map();
  for (const orbit of all) for (const cp of orbit) orbitByCp.set(cp, orbit);
}

function matchesFolded(cp: number, ch: string): boolean {
  return new RegExp(`^\\u{${cp.toString(16)}}$`, 'iu').test(ch);
}

/** Every code point that folds together with `cp`, itself included. */
export function foldOrbit(cp: number): readonly number[] {
  if (cp < MIN_FOLD || cp > MAX_FOLD) return [cp];
  if (!orbitByCp) build();
  return orbitByCp!.get(cp) ?? [cp];
}

/** The set plus everything that folds with a member of it; `ranges` normalized. */
export function foldRanges(ranges: readonly number[]): number[] {
  if (!orbits) build();
  const out = [...ranges];
  for (const orbit of orbits!) {
    if (orbit.some((cp) => rangesContain(ranges, cp))) for (const cp of orbit) out.push(cp, cp);
  }
  return normalizeRanges(out);
}

/** Whether a code point takes part in any case mapping (a cheap "could fold" test). */
export function isCased(cp: number): boolean {
  return CASED.test(String.fromCodePoint(cp));
}
