/**
 * An entry as CloudWatch Logs events: its message in the chosen format, cut
 * to the per-event limit when it is longer, and its time in milliseconds.
 *
 * `log_format: line` sends the line as it is. `log_format: json` sends
 * `{"labels":{…},"line":"…"}` with the entry's labels (names starting `__`
 * left out, names sorted) and, when the entry has any,
 * `"structured_metadata":{…}` after the line. A message over the limit is
 * split into several events with the same timestamp (the parts, joined, give
 * the line back) or truncated; in JSON only the line is cut, so each part is
 * valid JSON with the entry's labels. Cuts fall between code points.
 */
import type { LogEntry, LogLabels } from '../../model/log-entry.js';
import { EVENT_OVERHEAD_BYTES, MAX_MESSAGE_BYTES } from './limits.js';
import type { LogFormat, OversizeAction } from './options.js';

export type FormatOutcome =
  | {
      readonly kind: 'events';
      readonly messages: readonly string[];
      readonly cut?: 'split' | 'truncated';
    }
  | { readonly kind: 'empty' } // AWS refuses an empty message (its minimum length is 1)
  | { readonly kind: 'too-large' }; // the labels alone leave no room for the line

export class EventFormatter {
  private readonly labelsJson = new WeakMap<LogLabels, string>();

  constructor(
    private readonly format: LogFormat,
    private readonly oversize: OversizeAction,
    /** The longest message in UTF-8 bytes; tests of the cutting lower it. */
    private readonly maxMessageBytes = MAX_MESSAGE_BYTES,
  ) {}

  /** The one event of an entry in `line` format that needs no cutting, without building an outcome; else undefined. */
  single(entry: LogEntry): string | undefined {
    const line = entry.line;
    if (this.format !== 'line' || line === '') return undefined;
    return line.length * 3 <= this.maxMessageBytes ? line : undefined;
  }

  messages(entry: LogEntry): FormatOutcome {
    return this.format === 'json' ? this.json(entry) : this.line(entry.line);
  }

  private line(line: string): FormatOutcome {
    if (line === '') return { kind: 'empty' };
    // Every UTF-16 unit is at most 3 UTF-8 bytes: short lines need no counting.
    if (line.length * 3 <= this.maxMessageBytes || utf8Bytes(line) <= this.maxMessageBytes) {
      return { kind: 'events', messages: [line] };
    }
    const parts = cut(line, this.maxMessageBytes, utf8Size, this.oversize === 'truncate');
    return {
      kind: 'events',
      messages: parts,
      cut: this.oversize === 'truncate' ? 'truncated' : 'split',
    };
  }

  private json(entry: LogEntry): FormatOutcome {
    const head = `{"labels":${this.labels(entry.labels)},"line":"`;
    const metadata = entry.structuredMetadata;
    const tail =
      metadata && Object.keys(metadata).length > 0
        ? `","structured_metadata":${labelsObject(metadata)}}`
        : '"}';
    const whole = head + JSON.stringify(entry.line).slice(1, -1) + tail;
    if (whole.length * 3 <= this.maxMessageBytes || utf8Bytes(whole) <= this.maxMessageBytes) {
      return { kind: 'events', messages: [whole] };
    }
    const room = this.maxMessageBytes - utf8Bytes(head) - utf8Bytes(tail);
    if (room < 6) return { kind: 'too-large' }; // not even one escaped character fits
    const lines = cut(entry.line, room, jsonSize, this.oversize === 'truncate');
    return {
      kind: 'events',
      messages: lines.map((l) => head + JSON.stringify(l).slice(1, -1) + tail),
      cut: this.oversize === 'truncate' ? 'truncated' : 'split',
    };
  }

  private labels(labels: LogLabels): string {
    let json = this.labelsJson.get(labels);
    if (json === undefined) {
      json = labelsObject(labels);
      this.labelsJson.set(labels, json);
    }
    return json;
  }
}

/** Labels as a JSON object, names sorted, internal (`__`) names left out. */
function labelsObject(labels: LogLabels): string {
  const names = Object.keys(labels)
    .filter((n) => !n.startsWith('__'))
    .sort();
  return `{${names.map((n) => `${JSON.stringify(n)}:${JSON.stringify(labels[n])}`).join(',')}}`;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** An event's size as PutLogEvents counts it. */
export function eventSize(message: string): number {
  return utf8Bytes(message) + EVENT_OVERHEAD_BYTES;
}

/** Bytes of one code point in UTF-8; a lone surrogate becomes U+FFFD, 3 bytes. */
function utf8Size(cp: number): number {
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp < 0x10000) return 3;
  return 4;
}

/** Bytes of one code point inside a JSON string, as JSON.stringify escapes it. */
function jsonSize(cp: number): number {
  if (cp === 0x22 || cp === 0x5c) return 2; // \" \\
  if (cp < 0x20) return cp === 8 || cp === 9 || cp === 10 || cp === 12 || cp === 13 ? 2 : 6;
  if (cp >= 0xd800 && cp <= 0xdfff) return 6; // a lone surrogate, written \udXXX
  return utf8Size(cp);
}

/** `text` in pieces of at most `max` bytes as `size` counts them, never halving a code point. */
function cut(text: string, max: number, size: (cp: number) => number, first: boolean): string[] {
  const pieces: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const s = size(cp);
    if (bytes + s > max) {
      pieces.push(text.slice(start, i));
      if (first) return pieces;
      start = i;
      bytes = 0;
    }
    bytes += s;
    i += width;
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}

/** Milliseconds since the epoch, as PutLogEvents takes them (nanoseconds floored). */
export function timestampMs(entry: LogEntry): number {
  const ns = entry.timestampNs;
  const ms = ns / 1_000_000n;
  return Number(ns < 0n && ms * 1_000_000n !== ns ? ms - 1n : ms);
}
