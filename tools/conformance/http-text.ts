/**
 * Reads the suite's HTTP/1.1 request text (LF line endings, raw unencoded
 * targets, repeated headers, obsolete line folding) without normalising it:
 * the quirks are what the cases test.
 */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  /** The raw query string after `?`, or `''`. */
  readonly query: string;
  /** Header lines in order, continuation lines folded into their header. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

export function parseRequestText(text: string): RawRequest {
  const blank = text.indexOf('\n\n');
  const head = blank === -1 ? text : text.slice(0, blank);
  const body = blank === -1 ? '' : text.slice(blank + 2);
  const lines = head.split('\n');
  const requestLine = lines.shift() ?? '';
  // The target may hold a raw space (`GET /example space/ HTTP/1.1`): split on the first and last space.
  const first = requestLine.indexOf(' ');
  const last = requestLine.lastIndexOf(' ');
  const method = requestLine.slice(0, first);
  const target =
    last > first && /^HTTP\/\d/.test(requestLine.slice(last + 1))
      ? requestLine.slice(first + 1, last)
      : requestLine.slice(first + 1);
  const q = target.indexOf('?');
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1]![1] += '\n' + line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push([line.slice(0, colon), line.slice(colon + 1)]);
  }
  return {
    method,
    path: q === -1 ? target : target.slice(0, q),
    query: q === -1 ? '' : target.slice(q + 1),
    headers,
    body,
  };
}

/** Groups header lines by exact name, keeping order, for a signer's header map. */
export function headerMap(headers: RawRequest['headers']): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const [name, value] of headers) (map[name] ??= []).push(value);
  return map;
}

/** Splits a raw query string into `[key, value]` pairs exactly as written (no decoding). */
export function rawQueryPairs(query: string): Array<[string, string]> {
  if (query === '') return [];
  return query.split('&').map((part) => {
    const eq = part.indexOf('=');
    return eq === -1 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
  });
}
