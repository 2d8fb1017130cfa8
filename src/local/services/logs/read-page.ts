/** What GetLogEvents and FilterLogEvents share: time range reading and page size. */
import { optInt, type Body } from './input.js';
import { MAX_READ_LIMIT, MAX_READ_PAGE_BYTES, eventBytes } from './limits.js';

export interface ReadOptions {
  readonly startTime: number | undefined;
  readonly endTime: number | undefined;
  readonly limit: number;
}

export function readOptions(body: Body): ReadOptions {
  return {
    startTime: optInt(body, 'startTime', { min: 0 }),
    endTime: optInt(body, 'endTime', { min: 0 }),
    limit: optInt(body, 'limit', { min: 1, max: MAX_READ_LIMIT }) ?? MAX_READ_LIMIT,
  };
}

/**
 * Takes items from `candidates` in order until `limit` or the 1 MB page size
 * would be passed; the first item always fits (no event exceeds 1 MB).
 */
export function fillPage<T extends { readonly message: string }>(
  candidates: Iterable<T>,
  limit: number,
): T[] {
  const page: T[] = [];
  let bytes = 0;
  for (const item of candidates) {
    if (page.length >= limit) break;
    bytes += eventBytes(item.message);
    if (page.length > 0 && bytes > MAX_READ_PAGE_BYTES) break;
    page.push(item);
  }
  return page;
}
