/**
 * One page of a bucket's keys as S3 lists them: in UTF-8 byte order, after a
 * marker, with keys that share a prefix up to the delimiter rolled up into one
 * common prefix, which counts once against max-keys.
 */
import type { StoredObject } from './state.js';

export interface ListingQuery {
  readonly prefix: string;
  /** Empty for none. */
  readonly delimiter: string;
  readonly maxKeys: number;
  /** List only what sorts after this (a key, or a common prefix already listed). */
  readonly after: string;
}

export interface ListingPage {
  readonly contents: readonly (readonly [string, StoredObject])[];
  readonly commonPrefixes: readonly string[];
  readonly truncated: boolean;
  /** The last key or common prefix listed: where the next page starts. */
  readonly last: string | undefined;
}

/**
 * Compares as UTF-8 bytes do. JavaScript compares UTF-16 units, which puts
 * surrogates (U+10000 and up) before U+E000–U+FFFF; shifting them fixes that.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** The common prefix a key rolls up into, or undefined when it is listed itself. */
function rollUp(key: string, prefix: string, delimiter: string): string | undefined {
  if (delimiter === '') return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

export function listPage(
  objects: ReadonlyMap<string, StoredObject>,
  query: ListingQuery,
): ListingPage {
  const { prefix, delimiter, maxKeys, after } = query;
  // A marker that is itself a common prefix has had all its keys listed already.
  const afterPrefix =
    after.startsWith(prefix) && rollUp(after, prefix, delimiter) === after ? after : undefined;
  const entries = [...objects]
    .filter(([key]) => key.startsWith(prefix) && compareKeys(key, after) > 0)
    .filter(([key]) => afterPrefix === undefined || !key.startsWith(afterPrefix))
    .sort(([a], [b]) => compareKeys(a, b));
  const contents: [string, StoredObject][] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  for (const [key, object] of entries) {
    const common = rollUp(key, prefix, delimiter);
    if (common !== undefined && common === last) continue;
    if (contents.length + commonPrefixes.length >= maxKeys) {
      return { contents, commonPrefixes, truncated: maxKeys > 0, last };
    }
    if (common === undefined) contents.push([key, object]);
    else commonPrefixes.push(common);
    last = common ?? key;
  }
  return { contents, commonPrefixes, truncated: false, last };
}
