/**
 * Packs entries' pieces into records and records into calls, at exactly the
 * API's limits (limits.ts). Without aggregation each piece is a record; with
 * it, pieces of one partition key are concatenated into the key's open
 * record as long as it stays within the record limit (Firehose bills by 5
 * KB of record, Kinesis by 25 KB PUT payload unit, so full records are
 * cheaper). A record keeps the enqueue calls its pieces came from, so the
 * client can finish them in its ProgressTracker when the record is sent.
 */
import type { RecordLimits } from './limits.js';

/** `count` pieces of enqueue call `seq`. */
export interface Run {
  readonly seq: number;
  count: number;
}

export interface OutRecord {
  /** The record's data; final once the batch is cut (aggregated pieces are in `parts` until then). */
  data: Buffer;
  /** The partition key (Kinesis), or undefined. */
  key: string | undefined;
  /** Counted against the limits: data, plus the key's bytes where keys count. */
  size: number;
  readonly runs: Run[];
  /** Entries whose last piece is in this record. */
  entries: number;
  /** The pieces of an aggregated record, until the batch is cut. */
  parts: Buffer[] | undefined;
}

export class RecordBatch {
  readonly records: OutRecord[] = [];
  /** Sum of the records' sizes. */
  bytes = 0;
  constructor(readonly createdAt: number) {}
}

export interface Piece {
  readonly data: Buffer;
  /** The record's partition key when known now; undefined to have `sealKey` make one from the data. */
  readonly key: string | undefined;
  /** The key's counted bytes (0 where keys do not count). */
  readonly keyBytes: number;
  readonly seq: number;
  /** The last piece of its entry. */
  readonly last: boolean;
}

export class RecordBatcher {
  private batch: RecordBatch | undefined;
  /** Open records by key, when aggregating. */
  private readonly open = new Map<string, OutRecord>();

  constructor(
    private readonly limits: RecordLimits,
    private readonly aggregate: boolean,
    /** The key of a record whose pieces had none: a hash of its data. */
    private readonly sealKey: (data: Buffer) => string | undefined,
  ) {}

  get filling(): RecordBatch | undefined {
    return this.batch;
  }

  /** Adds a piece (its size within the record limit); answers the batch it closed, if it did. */
  add(piece: Piece, now: number): RecordBatch | undefined {
    const { maxRecords, maxRequestBytes, maxRecordBytes } = this.limits;
    let closed: RecordBatch | undefined;
    const group = piece.key ?? '';
    let record = this.aggregate ? this.open.get(group) : undefined;
    if (record && record.size + piece.data.length > maxRecordBytes) record = undefined;
    const grows = record ? piece.data.length : piece.data.length + piece.keyBytes;
    const batch = this.batch;
    if (
      batch &&
      (batch.bytes + grows > maxRequestBytes || (!record && batch.records.length + 1 > maxRecords))
    ) {
      closed = this.cut();
      record = undefined;
    }
    this.batch ??= new RecordBatch(now);
    if (!record) {
      record = {
        data: piece.data,
        key: piece.key,
        size: piece.keyBytes + piece.data.length,
        runs: [{ seq: piece.seq, count: 1 }],
        entries: piece.last ? 1 : 0,
        parts: undefined,
      };
      this.batch.records.push(record);
      this.batch.bytes += record.size;
      if (this.aggregate) this.open.set(group, record);
      return closed;
    }
    if (record.parts) record.parts.push(piece.data);
    else record.parts = [record.data, piece.data];
    record.size += piece.data.length;
    this.batch.bytes += piece.data.length;
    const run = record.runs[record.runs.length - 1];
    if (run && run.seq === piece.seq) run.count++;
    else record.runs.push({ seq: piece.seq, count: 1 });
    if (piece.last) record.entries++;
    return closed;
  }

  /** Closes the batch being filled (none when empty): its records' data and keys made final. */
  cut(): RecordBatch | undefined {
    const batch = this.batch;
    this.batch = undefined;
    this.open.clear();
    if (!batch || batch.records.length === 0) return undefined;
    for (const record of batch.records) {
      if (record.parts) {
        record.data = Buffer.concat(record.parts);
        record.parts = undefined;
      }
      record.key ??= this.sealKey(record.data);
    }
    return batch;
  }
}
