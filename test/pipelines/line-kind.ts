/**
 * A second pipeline kind, written only against Signet's public interfaces
 * (pipeline, WAL record kind, delivery, routes) to show that a kind plugs in
 * without touching src/agent/: text lines POSTed to `/lines/<name>` on the
 * agent's server are appended to the pipeline's WAL, acknowledged once on
 * disk, and delivered as JSON arrays to an HTTP endpoint, resuming from the
 * saved progress after a crash.
 */
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { Delivery, type DeliveryQueue } from '../../src/buffer/delivery.js';
import {
  comparePositions,
  MalformedRecordError,
  PayloadCursor,
  WalProgress,
  WalRecordKinds,
  WalWriter,
  writeUvarint,
  type WalPosition,
  type WalRecordKind,
} from '../../src/buffer/wal/index.js';
import type { Pipeline, PipelineKind, PipelineStatus } from '../../src/pipelines/pipeline.js';

/** count:uvarint ( length:uvarint utf8 ){count} */
export const LINES_RECORD: WalRecordKind<readonly string[]> = {
  type: 200,
  name: 'lines',
  isEmpty: (lines) => lines.length === 0,
  encode(builder, lines) {
    const bytes = lines.map((l) => Buffer.from(l, 'utf8'));
    builder.ensure(5 + bytes.reduce((n, b) => n + 5 + b.length, 0));
    let p = writeUvarint(builder.buf, builder.pos, lines.length);
    for (const b of bytes) {
      p = writeUvarint(builder.buf, p, b.length);
      p += b.copy(builder.buf, p);
    }
    builder.pos = p;
    return undefined;
  },
  decode(buf, start, end) {
    const c = new PayloadCursor(buf, start, end);
    const count = c.uvarint();
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      const length = c.uvarint();
      if (c.pos + length > end) throw new MalformedRecordError('line past the end of the record');
      lines.push(buf.toString('utf8', c.pos, c.pos + length));
      c.pos += length;
    }
    return lines;
  },
};

const KINDS = new WalRecordKinds([LINES_RECORD]);

export interface LinePipelineConfig {
  readonly walDir: string;
  /** Where the lines go: each request a JSON array of lines. */
  readonly endpoint: string;
}

/** Sends chunks in order, one at a time, retrying until the endpoint takes each. */
class LineQueue implements DeliveryQueue<readonly string[]> {
  private readonly pending: { lines: readonly string[]; end: WalPosition }[] = [];
  private readonly waiting: (() => void)[] = [];
  private sending: Promise<void> | undefined;
  private closed = false;
  sent = 0;

  constructor(
    private readonly endpoint: string,
    private readonly onSent: (end: WalPosition) => void,
    private readonly capacity = 4,
  ) {}

  enqueue(lines: readonly string[], end: WalPosition): boolean {
    if (this.closed || this.pending.length >= this.capacity) return false;
    this.pending.push({ lines, end });
    this.sending ??= this.drain().finally(() => (this.sending = undefined));
    return true;
  }

  waitForRoom(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.closed) {
      const head = this.pending[0]!;
      try {
        const res = await fetch(this.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(head.lines),
        });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
      } catch {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      this.pending.shift();
      this.sent += head.lines.length;
      this.onSent(head.end);
      for (const wake of this.waiting.splice(0)) wake();
    }
  }

  async close({ drainMs }: { drainMs: number }): Promise<{ unsent: number }> {
    await Promise.race([this.sending, new Promise((r) => setTimeout(r, drainMs))]);
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake();
    return { unsent: this.pending.reduce((n, p) => n + p.lines.length, 0) };
  }
}

class LinePipeline implements Pipeline {
  readonly kind = 'lines';
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly name: string,
    private readonly wal: WalWriter,
    private readonly progress: WalProgress,
    private readonly queue: LineQueue,
    private readonly delivery: Delivery<readonly string[]>,
    private readonly unmount: () => void,
  ) {
    // Segments every line of which was delivered can go.
    this.timer = setInterval(() => {
      const upTo = progress.get('http');
      if (upTo) wal.truncateBefore(upTo);
    }, 200);
    this.timer.unref();
  }

  take(lines: readonly string[]): void {
    const end = this.wal.append(LINES_RECORD, lines);
    this.delivery.offer(lines, end);
  }

  status(): PipelineStatus {
    return { kind: this.kind, name: this.name, sent: this.queue.sent };
  }

  async stop(drainMs: number): Promise<void> {
    clearInterval(this.timer);
    this.unmount();
    await this.delivery.close(drainMs);
    this.progress.flush();
    await this.wal.close();
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The kind, for one pipeline named `name`, whatever the agent's file says. */
export function lineKind(name: string, config: LinePipelineConfig): PipelineKind {
  return {
    kind: 'lines',
    specs: () => [{ kind: 'lines', name, path: `lines.${name}`, config }],
    prepare: (spec, context) => {
      const c = spec.config as LinePipelineConfig;
      new URL(c.endpoint); // a bad endpoint fails here, before anything starts
      return Promise.resolve({
        async start() {
          const dir = join(c.walDir, spec.name);
          const wal = await WalWriter.open({ dir });
          const progress = WalProgress.open(dir, { flushIntervalMs: 0 });
          const queue = new LineQueue(c.endpoint, (end) => {
            const before = progress.get('http');
            if (!before || comparePositions(before, end) < 0) progress.set('http', end);
          });
          const delivery = new Delivery({
            name: `lines ${spec.name}`,
            kind: LINES_RECORD,
            kinds: KINDS,
            queue,
            walDir: dir,
            wal,
            count: (lines) => lines.length,
            log: (level, message) => context.log[level](message),
          });
          const holder: { pipeline?: LinePipeline } = {};
          const unmount = context.routes.add({
            path: `/lines/${spec.name}`,
            methods: ['POST'],
            handle(req, res) {
              readBody(req)
                .then((text) => {
                  holder.pipeline!.take(text.split('\n').filter((l) => l !== ''));
                  res.writeHead(204).end();
                })
                .catch((e: unknown) => res.writeHead(500).end(String(e)));
            },
          });
          holder.pipeline = new LinePipeline(spec.name, wal, progress, queue, delivery, unmount);
          delivery.start(progress.get('http'));
          return holder.pipeline;
        },
      });
    },
  };
}
