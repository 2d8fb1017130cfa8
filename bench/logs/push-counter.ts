/**
 * A fast Loki-compatible receiver for the bench: `POST /loki/api/v1/push`
 * with a snappy-compressed logproto.PushRequest, walked with protobufjs's
 * Reader (field numbers from Loki's push.proto) without building objects,
 * so it keeps up with well over 100k lines a second. For every line it checks
 * the writer's marks: each file's sequence numbers seen once (a bitmap), in
 * order within a stream, and the delay from write to arrival (a 1 ms
 * histogram).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';
import { uncompressSync } from 'snappy';
import { parseMarks } from './cri-writer.js';

const MAX_DELAY_MS = 120_000;

export interface CounterSnapshot {
  readonly lines: number;
  readonly unique: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  readonly unmarked: number;
  readonly pushes: number;
  readonly badPushes: number;
  readonly streams: number;
}

export class PushCounter {
  private seen: Uint8Array[] = [];
  private lastInStream = new Map<string, number>();
  private delays = new Uint32Array(MAX_DELAY_MS + 1);
  private counts = { lines: 0, unique: 0, duplicates: 0, outOfOrder: 0, unmarked: 0 };
  private pushCount = 0;
  private bad: string[] = [];
  private readonly labelSets = new Set<string>();
  url = '';
  private server = createServer((req, res) => this.onRequest(req, res));

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/loki/api/v1/push`;
  }

  /** Clears the counts for a new step (`files` files of up to `perFile` lines). */
  reset(files: number, perFile: number): void {
    this.seen = Array.from({ length: files }, () => new Uint8Array(perFile));
    this.lastInStream.clear();
    this.labelSets.clear();
    this.delays.fill(0);
    this.counts = { lines: 0, unique: 0, duplicates: 0, outOfOrder: 0, unmarked: 0 };
    this.pushCount = 0;
    this.bad = [];
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        if (req.headers['content-type'] !== 'application/x-protobuf')
          throw new Error(`content-type ${req.headers['content-type']}`);
        this.count(uncompressSync(Buffer.concat(chunks)) as Buffer, Date.now());
        this.pushCount++;
        res.writeHead(204).end();
      } catch (error) {
        this.bad.push(String(error));
        res.writeHead(400).end(String(error));
      }
    });
  }

  private count(body: Uint8Array, nowMs: number): void {
    const reader = protobuf.Reader.create(body);
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag >>> 3 !== 1) {
        reader.skipType(tag & 7);
        continue;
      }
      const end = reader.uint32() + reader.pos;
      let labels = '';
      while (reader.pos < end) {
        const t = reader.uint32();
        if (t >>> 3 === 1) labels = reader.string();
        else if (t >>> 3 === 2) this.entry(reader, reader.uint32() + reader.pos, labels, nowMs);
        else reader.skipType(t & 7);
      }
    }
  }

  private entry(reader: protobuf.Reader, end: number, labels: string, nowMs: number): void {
    let line: string | undefined;
    while (reader.pos < end) {
      const t = reader.uint32();
      if (t >>> 3 === 2) line = reader.string();
      else reader.skipType(t & 7);
    }
    this.counts.lines++;
    this.labelSets.add(labels);
    const marks = line === undefined ? undefined : parseMarks(line);
    const seen = marks && this.seen[marks.file];
    if (!marks || !seen || !(marks.seq < seen.length)) {
      this.counts.unmarked++;
      return;
    }
    if (seen[marks.seq]) this.counts.duplicates++;
    else {
      seen[marks.seq] = 1;
      this.counts.unique++;
    }
    // Order holds within a stream: with a `labels` stage one file feeds several.
    const key = `${marks.file}\u0000${labels}`;
    const last = this.lastInStream.get(key) ?? -1;
    if (marks.seq < last) this.counts.outOfOrder++;
    else this.lastInStream.set(key, marks.seq);
    this.delays[Math.min(MAX_DELAY_MS, Math.max(0, nowMs - marks.writtenMs))]!++;
  }

  snapshot(): CounterSnapshot {
    return {
      ...this.counts,
      pushes: this.pushCount,
      badPushes: this.bad.length,
      streams: this.labelSets.size,
    };
  }

  /** The lines each file is missing from 0 … written[f]-1. */
  missing(written: readonly number[]): number {
    let missing = 0;
    written.forEach((n, f) => {
      const seen = this.seen[f]!;
      for (let i = 0; i < n; i++) if (!seen[i]) missing++;
    });
    return missing;
  }

  /** The q-quantile of write-to-arrival delay, in ms. */
  delayQuantile(q: number): number {
    const total = this.delays.reduce((a, b) => a + b, 0);
    if (total === 0) return NaN;
    let rank = Math.ceil(q * total);
    for (let ms = 0; ms <= MAX_DELAY_MS; ms++) {
      rank -= this.delays[ms]!;
      if (rank <= 0) return ms;
    }
    return MAX_DELAY_MS;
  }

  get badPushes(): readonly string[] {
    return this.bad;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
