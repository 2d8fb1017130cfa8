/**
 * How entries become an object's bytes, and how those bytes are compressed.
 *
 * `raw`: each entry's line, then `\n`.
 *
 * `ndjson`: one JSON object per entry and line, keys in this order:
 *
 *     {"timestamp":"2026-12-03T14:26:04.123456789Z","labels":{"job":"app"},"line":"GET /"}
 *
 * `timestamp` is RFC 3339 in UTC with all nine digits of nanoseconds;
 * `labels` holds the stream's labels less Loki's reserved `__…` names;
 * `line` is the line as it is. `"structured_metadata":{…}` follows `line`
 * only when the entry has some.
 *
 * Compression is the whole object's, done once when the object is sealed:
 * `gzip` (one gzip member, so `gunzip`, `zcat` and Athena read it) or
 * `none`. zstd is refused by name (options.ts): Node 20's zlib has no zstd,
 * and the native packages that add it are not worth a dependency here.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { LogEntry, LogLabels } from '../../model/log-entry.js';
import type { Compression, ObjectFormat } from './key-format.js';

const gzip = promisify(gzipCallback);

/** RFC 3339 with nanoseconds, UTC: `2026-12-03T14:26:04.123456789Z`. */
export function rfc3339Nano(timestampNs: bigint): string {
  const billion = 1_000_000_000n;
  let seconds = timestampNs / billion;
  let nanos = timestampNs % billion;
  if (nanos < 0n) {
    nanos += billion;
    seconds -= 1n;
  }
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${whole}.${nanos.toString().padStart(9, '0')}Z`;
}

export class EntryEncoder {
  private readonly labelJson = new WeakMap<LogLabels, string>();

  constructor(private readonly format: ObjectFormat) {}

  /** The entry as the object holds it, newline included. */
  encode(entry: LogEntry): string {
    if (this.format === 'raw') return `${entry.line}\n`;
    let text = `{"timestamp":"${rfc3339Nano(entry.timestampNs)}","labels":${this.labels(entry.labels)},"line":${JSON.stringify(entry.line)}`;
    const metadata = entry.structuredMetadata;
    if (metadata && Object.keys(metadata).length > 0) {
      text += `,"structured_metadata":${JSON.stringify(metadata)}`;
    }
    return `${text}}\n`;
  }

  private labels(labels: LogLabels): string {
    let json = this.labelJson.get(labels);
    if (json === undefined) {
      const shown: LogLabels = {};
      for (const [name, value] of Object.entries(labels)) {
        if (!name.startsWith('__')) shown[name] = value;
      }
      json = JSON.stringify(shown);
      this.labelJson.set(labels, json);
    }
    return json;
  }
}

/** The object's body: the encoded entries, compressed as configured (off the main thread for gzip). */
export async function compress(
  chunks: readonly string[],
  compression: Compression,
): Promise<Buffer> {
  const plain = Buffer.from(chunks.join(''), 'utf8');
  return compression === 'gzip' ? gzip(plain) : plain;
}

/** Content-Type and Content-Encoding of an object. */
export function contentHeaders(
  format: ObjectFormat,
  compression: Compression,
): Record<string, string> {
  return {
    'content-type': format === 'ndjson' ? 'application/x-ndjson' : 'text/plain; charset=utf-8',
    ...(compression === 'gzip' ? { 'content-encoding': 'gzip' } : {}),
  };
}
