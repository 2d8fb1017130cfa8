import type { QueryParams } from './types.js';
import { uriDecode, uriEncode } from './uri-encode.js';

/** One encoded `key=value` pair of the canonical query. */
export interface EncodedPair {
  readonly key: string;
  readonly value: string;
}

/** Splits a raw query string (without `?`) into decoded pairs; `+` is a literal plus. */
export function parseQueryString(query: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (query === '') return pairs;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq === -1) pairs.push([uriDecode(part), '']);
    else pairs.push([uriDecode(part.slice(0, eq)), uriDecode(part.slice(eq + 1))]);
  }
  return pairs;
}

/** Encodes every parameter; `null` and `undefined` values become `key=`. */
export function encodeQuery(query: QueryParams | string | undefined): EncodedPair[] {
  const pairs: EncodedPair[] = [];
  if (query === undefined) return pairs;
  if (typeof query === 'string') {
    for (const [key, value] of parseQueryString(query)) {
      pairs.push({ key: uriEncode(key), value: uriEncode(value) });
    }
    return pairs;
  }
  for (const key of Object.keys(query)) {
    const value = query[key];
    const encodedKey = uriEncode(key);
    if (Array.isArray(value)) {
      for (const item of value as readonly string[]) {
        pairs.push({ key: encodedKey, value: uriEncode(item) });
      }
    } else {
      pairs.push({
        key: encodedKey,
        value: value === null || value === undefined ? '' : uriEncode(String(value)),
      });
    }
  }
  return pairs;
}

function comparePairs(a: EncodedPair, b: EncodedPair): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return 0;
}

/** In place; for the few parameters most requests have it beats Array#sort's set-up cost. */
function insertionSort(pairs: EncodedPair[]): void {
  for (let i = 1; i < pairs.length; i++) {
    const pair = pairs[i]!;
    let j = i;
    while (j > 0 && comparePairs(pairs[j - 1]!, pair) > 0) {
      pairs[j] = pairs[j - 1]!;
      j--;
    }
    pairs[j] = pair;
  }
}

/** Sorts by encoded key, then encoded value, and joins: the canonical query string. */
export function canonicalQueryString(pairs: EncodedPair[]): string {
  if (pairs.length === 0) return '';
  if (pairs.length > 16) pairs.sort(comparePairs);
  else insertionSort(pairs);
  let out = pairs[0]!.key + '=' + pairs[0]!.value;
  for (let i = 1; i < pairs.length; i++) out += '&' + pairs[i]!.key + '=' + pairs[i]!.value;
  return out;
}
