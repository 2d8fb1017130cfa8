/**
 * Reading the WAL's LEB128 varints (written with src/model/varint.ts), and
 * zigzag for signed deltas.
 */

/** Longest varint the reader accepts: 8 bytes hold 56 bits, enough for any safe integer. */
const MAX_VARINT_BYTES = 8;

/** Thrown for bytes that cannot be a record written by this code (the CRC passed, the content did not). */
export class MalformedRecordError extends Error {}

export function zigzag(d: number): number {
  return d >= 0 ? d * 2 : -d * 2 - 1;
}

export function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

/** A bounds-checked cursor over one record's payload. */
export class PayloadCursor {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  uvarint(): number {
    const buf = this.buf;
    let p = this.pos;
    if (p >= this.end) throw new MalformedRecordError('varint past the end of the record');
    const b0 = buf[p++]!;
    if (b0 < 0x80) {
      this.pos = p;
      return b0;
    }
    let v = b0 & 0x7f;
    let scale = 128;
    for (let i = 1; i < MAX_VARINT_BYTES; i++) {
      if (p >= this.end) throw new MalformedRecordError('varint past the end of the record');
      const b = buf[p++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) {
        this.pos = p;
        return v;
      }
      scale *= 128;
    }
    throw new MalformedRecordError('varint longer than 8 bytes');
  }

  byte(): number {
    if (this.pos >= this.end) throw new MalformedRecordError('byte past the end of the record');
    return this.buf[this.pos++]!;
  }

  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Copies `n` bytes into `into` at byte 0 (raw, so NaN payloads survive), advancing. */
  copyInto(into: Uint8Array, n: number): void {
    this.need(n);
    into.set(this.buf.subarray(this.pos, this.pos + n), 0);
    this.pos += n;
  }

  utf8(n: number): string {
    this.need(n);
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  need(n: number): void {
    if (n > this.end - this.pos) throw new MalformedRecordError('field past the end of the record');
  }

  remaining(): number {
    return this.end - this.pos;
  }
}
