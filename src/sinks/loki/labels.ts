/**
 * A stream's labels as Loki's push API carries them: the string Promtail
 * builds (`{a="b", c="d"}`, names sorted, values quoted as Go's
 * strconv.Quote does), with the labels Loki never stores left out.
 */
import { TENANT_LABEL, type LogLabels } from '../../model/log-entry.js';

/** Names starting `__` are internal (Promtail's `__path__`, `__tenant_id__`) and never sent. */
export function isInternalLabel(name: string): boolean {
  return name.startsWith('__');
}

/**
 * The labels sent for an entry: `external` (the client's external_labels)
 * under the entry's own (the entry's value wins, as Promtail's Merge),
 * internal labels removed.
 */
export function streamLabels(entry: LogLabels, external: LogLabels): LogLabels {
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries(external)) {
    if (!isInternalLabel(name)) merged[name] = value;
  }
  for (const [name, value] of Object.entries(entry)) {
    if (!isInternalLabel(name)) merged[name] = value;
  }
  return merged;
}

/** The tenant of an entry: its `__tenant_id__` label, else the client's tenant_id ('' for none). */
export function tenantOf(entry: LogLabels, configured: string): string {
  const own = entry[TENANT_LABEL];
  return own !== undefined && own !== '' ? own : configured;
}

/** `{a="b", c="d"}`: sorted by name (byte order, as Go's sort of strings). */
export function formatLabels(labels: LogLabels): string {
  const names = Object.keys(labels).sort(compareBytes);
  let out = '{';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (i > 0) out += ', ';
    out += `${name}=${goQuote(labels[name]!)}`;
  }
  return `${out}}`;
}

const BEYOND_BMP = /[\ud800-\udfff]/;

/**
 * Go compares strings by UTF-8 bytes; JS's `<` by UTF-16 units, which
 * differs only when a surrogate pair meets a code unit above it. Label
 * names are ASCII as Loki validates them, so the bytes are rarely needed.
 */
function compareBytes(a: string, b: string): number {
  if (BEYOND_BMP.test(a) || BEYOND_BMP.test(b)) {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

const SIMPLE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/**
 * Go's strconv.Quote: `"` and `\` escaped, control characters as `\n`,
 * `\x1b`, `\u0085`; printable Unicode kept as it is. A lone surrogate (no
 * valid UTF-8) becomes U+FFFD's escape, as Go writes invalid bytes.
 */
export function goQuote(value: string): string {
  if (SIMPLE.test(value)) return `"${value}"`;
  let out = '"';
  for (const char of value) {
    const named = NAMED_ESCAPES[char];
    if (named !== undefined) {
      out += named;
      continue;
    }
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += '\\ufffd';
    else if (!isGoPrintable(code))
      out += code > 0xffff ? `\\U${hex(code, 8)}` : `\\u${hex(code, 4)}`;
    else out += char;
  }
  return `${out}"`;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/**
 * Go's unicode.IsPrint for what label values carry: letters, marks, numbers,
 * punctuation, symbols and the ASCII space; not other spaces, format or
 * control characters, or unassigned code points.
 */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
function isGoPrintable(code: number): boolean {
  return PRINTABLE.test(String.fromCodePoint(code));
}
