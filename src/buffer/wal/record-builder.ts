/**
 * One growable buffer that an append encodes all its records into, so the
 * append costs one write. The first SEGMENT_HEADER_BYTES always hold a segment
 * header: when the append opens a new segment the writer sends them too, in
 * the same write, instead of a separate one.
 */
import {
  RECORD_HEADER_BYTES,
  SEGMENT_HEADER_BYTES,
  recordCrc,
  writeSegmentHeader,
} from './format.js';

const INITIAL_BYTES = 1024 * 1024;
/** Past this, the buffer is dropped after use so one huge append does not pin its memory. */
const KEEP_BYTES = 32 * 1024 * 1024;

export class RecordBuilder {
  /** Codecs write at `buf[pos]` after `ensure`, which may replace `buf`. */
  buf: Buffer;
  pos = SEGMENT_HEADER_BYTES;
  private recordStart = -1;

  constructor() {
    this.buf = RecordBuilder.allocate(INITIAL_BYTES);
  }

  private static allocate(bytes: number): Buffer {
    const buf = Buffer.allocUnsafe(bytes);
    writeSegmentHeader(buf, 0);
    return buf;
  }

  reset(): void {
    if (this.buf.length > KEEP_BYTES) this.buf = RecordBuilder.allocate(INITIAL_BYTES);
    this.pos = SEGMENT_HEADER_BYTES;
    this.recordStart = -1;
  }

  /** Makes room for `bytes` more at `pos`. */
  ensure(bytes: number): void {
    const need = this.pos + bytes;
    if (need <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  beginRecord(type: number): void {
    this.ensure(RECORD_HEADER_BYTES);
    this.recordStart = this.pos;
    this.buf[this.pos] = type;
    this.pos += RECORD_HEADER_BYTES;
  }

  endRecord(): void {
    const start = this.recordStart;
    const length = this.pos - start - RECORD_HEADER_BYTES;
    this.buf.writeUInt32LE(length, start + 1);
    this.buf.writeUInt32LE(recordCrc(this.buf, start, length), start + 5);
    this.recordStart = -1;
  }

  /** Bytes of records written since `reset` (the header prefix not counted). */
  get recordBytes(): number {
    return this.pos - SEGMENT_HEADER_BYTES;
  }
}
