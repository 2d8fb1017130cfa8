/**
 * Invalid UTF-8 in a body, refused as Prometheus refuses it ("invalid UTF-8
 * label value", "help text is not a valid utf8 string") instead of being
 * stored as U+FFFD. The check on every run of lines is node's isUtf8
 * (simdutf, gigabytes a second); only a run that fails it is searched
 * line by line for the place to name.
 */
import { isUtf8 } from 'node:buffer';
import { ExpositionError } from './error.js';
import type { ExpositionFormat } from './types.js';

const LF = 0x0a;
const HASH = 0x23;
const MAX_LINE_TEXT = 100;

/**
 * Throws ExpositionError naming the first line of bytes[start, end) that
 * holds invalid UTF-8, where the format reads it. A text-format comment
 * (`#` not followed by HELP or TYPE) is skipped unread, so it may hold
 * anything, as in Prometheus.
 */
export function checkUtf8(
  bytes: Buffer,
  start: number,
  end: number,
  format: ExpositionFormat,
): void {
  if (isUtf8(bytes.subarray(start, end))) return;
  for (let lineStart = start; lineStart < end;) {
    let lineEnd = bytes.indexOf(LF, lineStart);
    if (lineEnd === -1 || lineEnd >= end) lineEnd = end;
    const bad = firstInvalid(bytes, lineStart, lineEnd);
    if (
      bad !== -1 &&
      !(format === 'prometheus-text' && isPlainComment(bytes, lineStart, lineEnd))
    ) {
      let line = 1;
      for (let i = bytes.indexOf(LF); i !== -1 && i < lineStart; i = bytes.indexOf(LF, i + 1))
        line++;
      const before = bytes.toString('utf8', lineStart, bad);
      const text = bytes.toString('utf8', lineStart, Math.min(lineEnd, lineStart + MAX_LINE_TEXT));
      throw new ExpositionError(
        `invalid UTF-8 (byte 0x${bytes[bad]!.toString(16)}): names, label values and help text must be UTF-8`,
        line,
        before.length + 1,
        text,
      );
    }
    lineStart = lineEnd + 1;
  }
}

/** Whether the line is a `#` comment the text format skips (not `# HELP` / `# TYPE`). */
function isPlainComment(bytes: Buffer, start: number, end: number): boolean {
  let i = start;
  while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  if (bytes[i] !== HASH) return false;
  const c = bytes[i + 1];
  if (c !== 0x20 && c !== 0x09) return true;
  i++;
  while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  const keyword = bytes.toString('latin1', i, Math.min(i + 4, end));
  const after = bytes[i + 4];
  return !((keyword === 'HELP' || keyword === 'TYPE') && (after === 0x20 || after === 0x09));
}

/** The index of the first byte of bytes[from, to) that starts no valid UTF-8 sequence, or -1. */
function firstInvalid(bytes: Buffer, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // The lead byte's length and the range of the byte after it (no overlongs, no surrogates, ≤ U+10FFFF).
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      else if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      else if (b === 0xf4) high = 0x8f;
    } else return i;
    if (i + length > to) return i;
    const second = bytes[i + 1]!;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}
