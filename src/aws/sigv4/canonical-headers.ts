import { HOST_HEADER, MINIMAL_POLICY_HEADERS, NEVER_SIGNED_HEADERS } from './constants.js';
import type { HeaderMap, HeaderPolicy } from './types.js';

/** Which headers a signer signs; built once per signer. */
export interface HeaderSelection {
  readonly policy: HeaderPolicy;
  readonly extraSigned: ReadonlySet<string>;
  readonly unsigned: ReadonlySet<string>;
}

export function headerSelection(
  policy: HeaderPolicy = 'minimal',
  signHeaders: Iterable<string> = [],
  unsignedHeaders: Iterable<string> = [],
): HeaderSelection {
  const lower = (names: Iterable<string>) => new Set([...names].map((n) => n.toLowerCase()));
  return { policy, extraSigned: lower(signHeaders), unsigned: lower(unsignedHeaders) };
}

export function isSignedHeader(name: string, selection: HeaderSelection): boolean {
  if (name === HOST_HEADER) return true;
  if (NEVER_SIGNED_HEADERS.has(name) || selection.unsigned.has(name)) return false;
  if (selection.policy === 'all') return true;
  return (
    name.startsWith('x-amz-') || MINIMAL_POLICY_HEADERS.has(name) || selection.extraSigned.has(name)
  );
}

const NEEDS_COLLAPSING = /\s\s|[^\S ]/;
const WHITESPACE_RUN = /\s+/g;

/** Trims a value and folds inner runs of white space (tabs, folded lines) to one space. */
export function canonicalHeaderValue(value: string): string {
  const trimmed = value.trim();
  return NEEDS_COLLAPSING.test(trimmed) ? trimmed.replace(WHITESPACE_RUN, ' ') : trimmed;
}

function joinValues(value: string | number | readonly string[]): string {
  if (typeof value === 'string') return canonicalHeaderValue(value);
  if (typeof value === 'number') return String(value);
  return value.map(canonicalHeaderValue).join(',');
}

/**
 * The signed headers: lower-case name → canonical value. Parallel arrays, not
 * a Map: a request signs a handful of headers, and this sits on the hot path.
 */
export class SignedHeaders {
  private readonly names: string[] = [];
  private readonly values: string[] = [];

  has(name: string): boolean {
    return this.names.indexOf(name) !== -1;
  }

  get(name: string): string | undefined {
    const i = this.names.indexOf(name);
    return i === -1 ? undefined : this.values[i];
  }

  set(name: string, value: string): void {
    const i = this.names.indexOf(name);
    if (i === -1) {
      this.names.push(name);
      this.values.push(value);
    } else {
      this.values[i] = value;
    }
  }

  /** Adds a value to a header, after any it has, comma-separated. */
  append(name: string, value: string): void {
    const i = this.names.indexOf(name);
    if (i === -1) this.set(name, value);
    else this.values[i] += ',' + value;
  }

  /** The canonical headers block (each line ends in `\n`) and the signed-header list. */
  canonical(): { block: string; list: string } {
    const { names, values } = this;
    const order: number[] = [];
    // Insertion sort by name: the fastest for the few headers a request has.
    for (let i = 0; i < names.length; i++) {
      let j = order.length;
      while (j > 0 && names[order[j - 1]!]! > names[i]!) j--;
      order.splice(j, 0, i);
    }
    let block = '';
    let list = '';
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      block += names[i]! + ':' + values[i]! + '\n';
      list += k === 0 ? names[i]! : ';' + names[i]!;
    }
    return { block, list };
  }
}

export interface CollectedHeaders {
  /** Headers to send: the caller's (minus those the signer owns) under their own names. */
  readonly outgoing: Record<string, string>;
  readonly signed: SignedHeaders;
  /** The `host` value, if the caller sent one. */
  readonly host: string | undefined;
}

/**
 * Splits the caller's headers into what is sent and what is signed. Names in
 * `owned` (those the signer sets itself) are dropped from the caller's input.
 * Repeated headers are joined with commas in the order given.
 */
export function collectHeaders(
  headers: HeaderMap | undefined,
  selection: HeaderSelection,
  owned: ReadonlySet<string>,
): CollectedHeaders {
  const outgoing: Record<string, string> = {};
  const signed = new SignedHeaders();
  let host: string | undefined;
  if (headers === undefined) return { outgoing, signed, host };
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (owned.has(lower)) continue;
    outgoing[name] =
      typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : String(value);
    if (lower === HOST_HEADER) host = outgoing[name];
    if (isSignedHeader(lower, selection)) signed.append(lower, joinValues(value));
  }
  return { outgoing, signed, host };
}
