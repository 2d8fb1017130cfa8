/**
 * One tenant's batch of entries, grouped into streams by their label string
 * (entries of a stream in the order they came), and which enqueue calls
 * they came from, so that sending or dropping the batch finishes exactly
 * those entries in the client's ProgressTracker.
 */
import snappy from 'snappy';
import {
  encodePushRequest,
  type PushEntry,
  type PushLabelPair,
  type PushStream,
} from './push-proto.js';

/** Entries of one enqueue call in this batch. */
export interface CallRun {
  readonly seq: number;
  count: number;
}

export class TenantBatch {
  private readonly streams = new Map<string, PushEntry[]>();
  readonly runs: CallRun[] = [];
  /** Bytes of lines and structured metadata, as Promtail sizes batches. */
  bytes = 0;
  entries = 0;

  constructor(
    readonly tenant: string,
    /** When the first entry came (ms), for batchwait. */
    readonly createdAt: number,
  ) {}

  add(seq: number, labels: string, entry: PushEntry, bytes: number): void {
    let stream = this.streams.get(labels);
    if (!stream) {
      stream = [];
      this.streams.set(labels, stream);
    }
    stream.push(entry);
    this.bytes += bytes;
    this.entries++;
    const last = this.runs[this.runs.length - 1];
    if (last?.seq === seq) last.count++;
    else this.runs.push({ seq, count: 1 });
  }

  /** The snappy-compressed (block format) PushRequest. */
  encode(): Buffer {
    const streams: PushStream[] = [];
    for (const [labels, entries] of this.streams) streams.push({ labels, entries });
    const raw = encodePushRequest(streams);
    return snappy.compressSync(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
  }
}

/** What an entry adds to a batch's size: its line and its structured metadata. */
export function entrySize(line: string, metadata: readonly PushLabelPair[]): number {
  let size = Buffer.byteLength(line, 'utf8');
  for (const { name, value } of metadata) size += name.length + value.length;
  return size;
}
