/**
 * Where two SigV4 canonical requests (or strings to sign) differ, in words:
 * what Signet signed against what AWS says it computed from the request it
 * received. A difference means the request changed on the way.
 */
import { sanitizeText } from '../sanitize.js';

interface Canonical {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly signedHeaders: string;
  readonly payloadHash: string;
}

function normalise(text: string): string {
  return text.replace(/\r\n/g, '\n').trim();
}

function parseCanonical(text: string): Canonical | undefined {
  const lines = normalise(text).split('\n');
  if (lines.length < 6) return undefined;
  const blank = lines.indexOf('', 3);
  const headerEnd = blank === -1 ? lines.length - 2 : blank;
  const headers = new Map<string, string>();
  for (const line of lines.slice(3, headerEnd)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1));
  }
  return {
    method: lines[0]!,
    path: lines[1]!,
    query: lines[2]!,
    headers,
    signedHeaders: lines[headerEnd + (blank === -1 ? 0 : 1)] ?? '',
    payloadHash: lines[lines.length - 1]!,
  };
}

function show(value: string): string {
  const safe = sanitizeText(value);
  return `'${safe.length > 80 ? `${safe.slice(0, 79)}…` : safe}'`;
}

/** The first part where the canonical requests differ, or undefined when they match or do not parse. */
export function canonicalDifference(signed: string, received: string): string | undefined {
  if (normalise(signed) === normalise(received)) return undefined;
  const ours = parseCanonical(signed);
  const theirs = parseCanonical(received);
  if (!ours || !theirs) return 'the canonical requests differ';
  if (ours.method !== theirs.method)
    return `the method: Signet signed ${ours.method}, AWS received ${theirs.method}`;
  if (ours.path !== theirs.path)
    return `the path: Signet signed ${show(ours.path)}, AWS received ${show(theirs.path)} (something re-encoded or rewrote the path)`;
  if (ours.query !== theirs.query)
    return `the query string: Signet signed ${show(ours.query)}, AWS received ${show(theirs.query)}`;
  for (const [name, value] of ours.headers) {
    const other = theirs.headers.get(name);
    if (other === undefined) return `the header ${name}: Signet signed it, AWS did not receive it`;
    if (other !== value)
      return `the header ${name}: Signet signed ${show(value)}, AWS received ${show(other)}`;
  }
  for (const name of theirs.headers.keys()) {
    if (!ours.headers.has(name))
      return `the header ${name}: AWS received it signed, Signet did not sign it`;
  }
  if (ours.signedHeaders !== theirs.signedHeaders)
    return `the signed header list: Signet signed ${show(ours.signedHeaders)}, AWS read ${show(theirs.signedHeaders)}`;
  if (ours.payloadHash !== theirs.payloadHash)
    return 'the body: its hash differs from the one Signet signed (something changed the body)';
  return 'the canonical requests differ';
}

/** Which line of two strings to sign differs: 1 algorithm, 2 date, 3 scope, 4 request hash. */
export function stringToSignDifference(
  signed: string,
  received: string,
): 'same' | 'date' | 'scope' | 'request' | 'other' {
  const ours = normalise(signed).split('\n');
  const theirs = normalise(received).split('\n');
  if (ours.join('\n') === theirs.join('\n')) return 'same';
  if (ours[1] !== theirs[1]) return 'date';
  if (ours[2] !== theirs[2]) return 'scope';
  if (ours[3] !== theirs[3]) return 'request';
  return 'other';
}
