/**
 * Pagination tokens. Each names the last item a page returned rather than an
 * offset, so a page boundary stays put while groups, streams or events are
 * added between calls. Tokens are opaque to clients (base64url JSON here);
 * one that does not decode answers InvalidParameterException, as AWS does.
 */
import type { z } from 'zod';
import { ServiceError } from '../../service.js';

export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeToken<T>(token: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badToken();
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badToken();
  return parsed.data;
}

function badToken(): ServiceError {
  return new ServiceError('InvalidParameterException', 'The specified nextToken is invalid.');
}

/**
 * One page of `sorted`: from the first item `after` accepts (the first item
 * past the cursor; the very first when there is no cursor), and whether more
 * items follow it.
 */
export function pageOf<T>(
  sorted: readonly T[],
  limit: number,
  after: ((item: T) => boolean) | undefined,
): { readonly items: T[]; readonly more: boolean } {
  const start = after ? sorted.findIndex(after) : 0;
  if (start < 0) return { items: [], more: false };
  const items = sorted.slice(start, start + limit);
  return { items, more: start + limit < sorted.length };
}
