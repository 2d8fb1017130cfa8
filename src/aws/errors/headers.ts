import type { AwsErrorResponse } from './types.js';

/** Response headers by lower-case name; repeated headers joined with `, ` as HTTP allows. */
export type HeaderMap = ReadonlyMap<string, string>;

export function headerMap(headers: AwsErrorResponse['headers']): HeaderMap {
  const map = new Map<string, string>();
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    headers.forEach((value, name) => map.set(name.toLowerCase(), value));
    return map;
  }
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value === 'string') map.set(name.toLowerCase(), value);
    else if (Array.isArray(value))
      map.set(
        name.toLowerCase(),
        value.filter((v): v is string => typeof v === 'string').join(', '),
      );
  }
  return map;
}

/** The first header among `names` that is present and non-empty. */
export function firstHeader(headers: HeaderMap, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = headers.get(name)?.trim();
    if (value) return value;
  }
  return undefined;
}

/** An HTTP date (the `Date` header), or undefined when absent or unreadable. */
export function httpDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
