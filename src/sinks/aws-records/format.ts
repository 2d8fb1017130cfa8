/**
 * A log entry as the data of one record, or of several when it is over the
 * record limit. Two formats:
 *
 * - `line`: the line's UTF-8 bytes, as is.
 * - `json`: `{"labels":{…},"line":"…","timestamp":"…"}`, the labels without
 *   the internal `__` ones, the timestamp RFC 3339 in UTC with all nine
 *   digits of nanoseconds (`2024-01-15T12:00:00.123456789Z`, lossless and
 *   read by Athena, OpenSearch and jq alike), and `"structured_metadata"`
 *   last when the entry has any.
 *
 * Either may end in `\n` (newline delimiting), which Firehose needs to keep
 * records apart once it concatenates them into one S3 object.
 *
 * An entry over the limit is split (the default: each piece a record of its
 * own; in JSON each piece a whole object with the same labels and
 * timestamp), truncated to its first piece, or dropped; pieces are cut at
 * character boundaries, never inside a UTF-8 sequence or a JSON escape.
 */
import type { LogEntry, LogLabels } from '../../model/log-entry.js';

export type RecordFormat = 'line' | 'json';
export type OversizedAction = 'split' | 'truncate' | 'drop';

export interface RecordFormatOptions {
  readonly format: RecordFormat;
  /** Appends `\n` to each entry's data. */
  readonly newline: boolean;
  readonly oversized: OversizedAction;
}

export type EncodedEntry =
  /** `pieces` has more than one element when the entry was split; `cut` when it was over the limit. */
  | { readonly pieces: Buffer[]; readonly cut: boolean }
  /** Over the limit and `oversized: drop`, or JSON whose labels alone exceed the limit. */
  | { readonly pieces: undefined; readonly cut: true };

const NEWLINE = Buffer.from('\n');

/** Encodes `entry` into pieces of at most `budget` bytes each. */
export function encodeEntry(
  entry: LogEntry,
  options: RecordFormatOptions,
  budget: number,
): EncodedEntry {
  return options.format === 'line'
    ? encodeLine(entry.line, options, budget)
    : encodeJson(entry, options, budget);
}

function encodeLine(line: string, options: RecordFormatOptions, budget: number): EncodedEntry {
  const room = budget - (options.newline ? 1 : 0);
  // The common case in one allocation: the line (and its newline) fits.
  if (line.length <= room) {
    const data = Buffer.from(options.newline ? `${line}\n` : line, 'utf8');
    if (data.length <= budget) return { pieces: [data], cut: false };
  }
  const bytes = Buffer.from(line, 'utf8');
  const close = (piece: Buffer): Buffer =>
    options.newline ? Buffer.concat([piece, NEWLINE]) : piece;
  if (bytes.length <= room) return { pieces: [close(bytes)], cut: false };
  if (options.oversized === 'drop' || room < 4) return { pieces: undefined, cut: true };
  const pieces: Buffer[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + room, bytes.length);
    // Back off to the start of a UTF-8 sequence (continuation bytes are 10xxxxxx).
    if (end < bytes.length) while (end > start && (bytes[end]! & 0xc0) === 0x80) end--;
    pieces.push(close(bytes.subarray(start, end)));
    if (options.oversized === 'truncate') break;
    start = end;
  }
  return { pieces, cut: true };
}

function encodeJson(entry: LogEntry, options: RecordFormatOptions, budget: number): EncodedEntry {
  const head = jsonHead(entry.labels);
  const metadata = entry.structuredMetadata;
  const tail =
    `,"timestamp":"${rfc3339Nano(entry.timestampNs)}"` +
    (metadata && Object.keys(metadata).length > 0
      ? `,"structured_metadata":${JSON.stringify(metadata)}`
      : '') +
    `}${options.newline ? '\n' : ''}`;
  const quoted = JSON.stringify(entry.line);
  const overhead = Buffer.byteLength(head) + Buffer.byteLength(tail);
  const whole = overhead + Buffer.byteLength(quoted);
  if (whole <= budget) return { pieces: [Buffer.from(head + quoted + tail)], cut: false };
  // The two quotes are part of each piece; what is left is for the escaped line.
  const room = budget - overhead - 2;
  if (options.oversized === 'drop' || room < 12) return { pieces: undefined, cut: true };
  const pieces: Buffer[] = [];
  let piece = '';
  let used = 0;
  for (const char of entry.line) {
    const cost = Buffer.byteLength(JSON.stringify(char)) - 2;
    if (used + cost > room) {
      pieces.push(Buffer.from(head + JSON.stringify(piece) + tail));
      if (options.oversized === 'truncate') return { pieces, cut: true };
      piece = '';
      used = 0;
    }
    piece += char;
    used += cost;
  }
  if (piece !== '') pieces.push(Buffer.from(head + JSON.stringify(piece) + tail));
  return { pieces, cut: true };
}

// Entries of one stream share their labels object: its JSON is written once.
const heads = new WeakMap<LogLabels, string>();

function jsonHead(labels: LogLabels): string {
  let head = heads.get(labels);
  if (head === undefined) {
    head = `{"labels":${JSON.stringify(visibleLabels(labels))},"line":`;
    heads.set(labels, head);
  }
  return head;
}

/** The labels a destination sees: Loki's internal `__` ones are never sent. */
export function visibleLabels(labels: LogLabels): LogLabels {
  let hidden = false;
  for (const name in labels) if (name.startsWith('__')) hidden = true;
  if (!hidden) return labels;
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels))
    if (!name.startsWith('__')) shown[name] = value;
  return shown;
}

let lastSecond = -1n;
let lastDate = '';

/** Nanoseconds since the epoch as RFC 3339 in UTC with nine fractional digits. */
export function rfc3339Nano(ns: bigint): string {
  const safe = ns < 0n ? 0n : ns;
  const seconds = safe / 1_000_000_000n;
  const fraction = (safe % 1_000_000_000n).toString().padStart(9, '0');
  // Entries come in time order: the date part is usually the last one's.
  if (seconds !== lastSecond) {
    lastSecond = seconds;
    lastDate = new Date(Number(seconds) * 1000).toISOString().slice(0, 19); // 2024-01-15T12:00:00
  }
  return `${lastDate}.${fraction}Z`;
}
