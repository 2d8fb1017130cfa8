/**
 * Walks the records of one segment file in chunks (a segment can be 128 MiB;
 * records are at most a few), checking each one's framing and CRC. It tells
 * a clean end from a torn one (the file ends inside a record: a write that was
 * still going on or was cut by a crash) and from damage (bytes that are there
 * but wrong); callers decide what each means for them.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { errnoCode } from './errors.js';
import {
  FORMAT_VERSION,
  RECORD_HEADER_BYTES,
  RECORD_MAX_BYTES,
  SEGMENT_HEADER_BYTES,
  SEGMENT_MAGIC,
  isValidRecordType,
  recordCrc,
} from './format.js';

const CHUNK_BYTES = 4 * 1024 * 1024;
const MIN_CHUNK_BYTES = 64 * 1024;

export interface RawRecord {
  readonly type: number;
  /** Valid only until the next call to `next`: decode before reading on. */
  readonly buf: Buffer;
  readonly payloadStart: number;
  readonly payloadEnd: number;
  /** Offset just after the record. */
  readonly end: number;
}

/** Why reading stopped. `offset` is where the bad or missing bytes begin. */
export type SegmentStop =
  | { readonly kind: 'end'; readonly offset: number }
  | { readonly kind: 'torn' | 'corrupt'; readonly offset: number; readonly reason: string }
  | { readonly kind: 'newer-version'; readonly offset: 0; readonly reason: string };

export class SegmentReader {
  private buf: Buffer;
  /** File offset of buf[0]. */
  private base = 0;
  private start = 0;
  private end = 0;

  private constructor(
    private readonly fh: FileHandle,
    size: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, size)));
  }

  /** undefined when the file is gone (deleted by truncation since it was listed). */
  static async open(path: string): Promise<SegmentReader | undefined> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return new SegmentReader(fh, (await fh.stat()).size);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  /** File offset of the next unread byte. */
  get offset(): number {
    return this.base + this.start;
  }

  /**
   * Checks the segment header and positions the reader at `from` (clamped to
   * the first record). Returns a stop if there is nothing to read: an empty
   * file, a cut or foreign header.
   */
  async begin(from = 0): Promise<SegmentStop | undefined> {
    if (!(await this.fill(SEGMENT_HEADER_BYTES))) {
      if (this.end === 0) return { kind: 'end', offset: 0 };
      return { kind: 'torn', offset: 0, reason: 'segment header cut short' };
    }
    if (this.buf.readUInt32LE(0) !== SEGMENT_MAGIC) {
      return { kind: 'corrupt', offset: 0, reason: 'not a Signet WAL segment header' };
    }
    const version = this.buf[4]!;
    if (version !== FORMAT_VERSION) {
      return {
        kind: 'newer-version',
        offset: 0,
        reason: `segment format version ${version}, this Signet reads version ${FORMAT_VERSION}`,
      };
    }
    this.seek(Math.max(SEGMENT_HEADER_BYTES, from));
    return undefined;
  }

  private seek(offset: number): void {
    if (offset >= this.base && offset <= this.base + this.end) {
      this.start = offset - this.base;
    } else {
      this.base = offset;
      this.start = 0;
      this.end = 0;
    }
  }

  /** The next record, or why there is none. */
  async next(): Promise<RawRecord | SegmentStop> {
    const at = this.offset;
    if (!(await this.fill(RECORD_HEADER_BYTES))) {
      if (this.start === this.end) return { kind: 'end', offset: at };
      return { kind: 'torn', offset: at, reason: 'record header cut short' };
    }
    const buf = this.buf;
    const s = this.start;
    const type = buf[s]!;
    const length = buf.readUInt32LE(s + 1);
    if (!isValidRecordType(type)) return { kind: 'corrupt', offset: at, reason: 'zeroed bytes' };
    if (length > RECORD_MAX_BYTES) {
      return { kind: 'corrupt', offset: at, reason: `record length ${length} over the limit` };
    }
    if (!(await this.fill(RECORD_HEADER_BYTES + length))) {
      return { kind: 'torn', offset: at, reason: `record of ${length} bytes cut short` };
    }
    // fill() may have moved the bytes.
    const b = this.buf;
    const r = this.start;
    if (b.readUInt32LE(r + 5) !== recordCrc(b, r, length)) {
      return { kind: 'corrupt', offset: at, reason: 'checksum mismatch' };
    }
    const payloadStart = r + RECORD_HEADER_BYTES;
    this.start = payloadStart + length;
    return { type, buf: b, payloadStart, payloadEnd: this.start, end: this.offset };
  }

  /** Makes `need` bytes from `start` available; false if the file ends first. */
  private async fill(need: number): Promise<boolean> {
    if (this.end - this.start >= need) return true;
    if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.base += this.start;
      this.start = 0;
    }
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, Math.min(this.buf.length * 2, CHUNK_BYTES)));
      this.buf.copy(grown, 0, 0, this.end);
      this.buf = grown;
    }
    while (this.end < need) {
      const { bytesRead } = await this.fh.read(
        this.buf,
        this.end,
        this.buf.length - this.end,
        this.base + this.end,
      );
      if (bytesRead === 0) return false;
      this.end += bytesRead;
    }
    return true;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

export function isStop(r: RawRecord | SegmentStop): r is SegmentStop {
  return 'kind' in r;
}
