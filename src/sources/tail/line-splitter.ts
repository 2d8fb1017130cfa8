/**
 * Splits a file's bytes into lines, keeping file offsets, so the tailer can
 * say exactly where a line began and where reading resumes after it. A line
 * longer than the limit is cut or dropped while it streams in, so a 10 MB line
 * never sits in memory twice; with no limit it is kept whole.
 */

export interface RawLine {
  /** The line's kept bytes, without the newline; valid only until the next push or the pushed buffer's reuse. */
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
  /** Bytes the line had in the file (without the newline), more than bytes.length when cut. */
  readonly length: number;
  /** 'cut' when longer than the limit and truncation is on; 'partial' when flushed without newline. */
  readonly shape: 'whole' | 'cut' | 'partial';
}

export interface DroppedLine {
  readonly start: number;
  readonly end: number;
  readonly length: number;
}

export interface SplitResult {
  readonly lines: RawLine[];
  readonly dropped: DroppedLine[];
}

/** How a newline looks in an encoding: one byte, or a UTF-16 code unit in either order. */
export type NewlineShape = 'byte' | 'utf-16le' | 'utf-16be';

export function newlineShapeOf(encoding: string): NewlineShape {
  if (encoding === 'utf-16le') return 'utf-16le';
  if (encoding === 'utf-16be') return 'utf-16be';
  return 'byte';
}

export interface LineSplitterOptions {
  readonly startOffset: number;
  readonly maxLineSize: number;
  readonly truncateLongLines: boolean;
  readonly newline: NewlineShape;
  /**
   * The bytes before startOffset were a line flushed without its newline: the
   * rest of that line, up to its newline, is emitted as its own line and an
   * empty rest is skipped, so nothing is emitted twice.
   */
  readonly continuation: boolean;
}

export class LineSplitter {
  /** File offset of the next byte to be pushed. */
  private offset: number;
  /** Where the current (unfinished) line began. */
  private lineStart: number;
  /** Kept bytes of the unfinished line (copies, never views of a read buffer). */
  private parts: Buffer[] = [];
  private kept = 0;
  /** All bytes of the unfinished line, kept or not. */
  private seen = 0;
  /** A trailing odd byte of a UTF-16 chunk, waiting for its pair. */
  private carry: Buffer | undefined;
  private continuation: boolean;
  private readonly limit: number;
  private readonly unit: number;

  constructor(private readonly options: LineSplitterOptions) {
    this.offset = options.startOffset;
    this.lineStart = options.startOffset;
    this.continuation = options.continuation;
    this.unit = options.newline === 'byte' ? 1 : 2;
    // A UTF-16 cut must not split a code unit.
    this.limit =
      this.unit === 2 ? options.maxLineSize - (options.maxLineSize % 2) : options.maxLineSize;
  }

  /** Bytes pushed so far, as a file offset: where the next read starts. */
  get fileOffset(): number {
    return this.offset + (this.carry?.length ?? 0);
  }

  /** Where a restart would resume: the start of the unfinished line. */
  get resumeOffset(): number {
    return this.lineStart;
  }

  get pendingBytes(): number {
    return this.seen + (this.carry?.length ?? 0);
  }

  /**
   * Splits `input` on. A line found whole inside it is a view of `input`, not a
   * copy (a copy per line was a tenth of the tailer's cost): the caller decodes
   * the lines before it reads into that buffer again, as the tailer does.
   */
  push(input: Buffer): SplitResult {
    const lines: RawLine[] = [];
    const dropped: DroppedLine[] = [];
    let chunk = input;
    if (this.unit === 2) {
      if (this.carry) {
        chunk = Buffer.concat([this.carry, input]);
        this.carry = undefined;
      }
      if (chunk.length % 2 === 1) {
        this.carry = Buffer.from(chunk.subarray(chunk.length - 1));
        chunk = chunk.subarray(0, chunk.length - 1);
      }
    }
    let from = 0;
    for (;;) {
      const nl = this.findNewline(chunk, from);
      if (nl < 0) break;
      const end = this.offset + nl + this.unit;
      if (this.seen === 0 && !this.continuation && (this.limit === 0 || nl - from <= this.limit)) {
        // A whole line inside this chunk, the usual case: a view, not a copy (see push()).
        lines.push({
          bytes: chunk.subarray(from, nl),
          start: this.lineStart,
          end,
          length: nl - from,
          shape: 'whole',
        });
        this.lineStart = end;
      } else {
        this.take(chunk.subarray(from, nl));
        this.finishLine(end, lines, dropped, 'whole');
      }
      from = nl + this.unit;
    }
    this.take(chunk.subarray(from));
    this.offset += chunk.length;
    return { lines, dropped };
  }

  /**
   * Emits the unfinished line as it is. `final`: the file is done (rotated,
   * deleted, a copy read to its end). Otherwise the rest of the line, when its
   * newline comes, is a line of its own.
   */
  flush(final: boolean): SplitResult {
    const lines: RawLine[] = [];
    const dropped: DroppedLine[] = [];
    if (this.seen > 0) {
      this.finishLine(this.offset, lines, dropped, 'partial');
      this.continuation = !final;
    }
    return { lines, dropped };
  }

  private findNewline(chunk: Buffer, from: number): number {
    if (this.unit === 1) return chunk.indexOf(0x0a, from);
    // Chunks start at an even file offset (the odd byte is carried), so code units are at even indexes.
    for (let i = chunk.indexOf(0x0a, from); i >= 0; i = chunk.indexOf(0x0a, i + 1)) {
      if (this.options.newline === 'utf-16le') {
        if (i % 2 === 0 && chunk[i + 1] === 0) return i;
      } else if (i % 2 === 1 && chunk[i - 1] === 0) {
        return i - 1;
      }
    }
    return -1;
  }

  private take(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.seen += bytes.length;
    const room = this.limit === 0 ? bytes.length : Math.max(0, this.limit - this.kept);
    // Over the limit: nothing more is kept; when dropping, even the kept part goes at the end.
    if (room > 0) {
      const keep = bytes.subarray(0, Math.min(room, bytes.length));
      this.parts.push(Buffer.from(keep));
      this.kept += keep.length;
    }
  }

  private finishLine(
    end: number,
    lines: RawLine[],
    dropped: DroppedLine[],
    shape: 'whole' | 'partial',
  ): void {
    const start = this.lineStart;
    const length = this.seen;
    const overLimit = this.limit > 0 && length > this.limit;
    const skipEmptyRest = this.continuation && length === 0;
    if (overLimit && !this.options.truncateLongLines) {
      dropped.push({ start, end, length });
    } else if (!skipEmptyRest) {
      const bytes =
        this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.kept);
      lines.push({ bytes, start, end, length, shape: overLimit ? 'cut' : shape });
    }
    this.parts = [];
    this.kept = 0;
    this.seen = 0;
    this.lineStart = end;
    this.continuation = false;
  }
}
