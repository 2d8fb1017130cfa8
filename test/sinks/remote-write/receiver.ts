/**
 * A remote-write receiver on 127.0.0.1 that answers per a script (status,
 * delay, headers, by request number and content), records what it was sent,
 * and can stop listening and start again on the same port to refuse
 * connections for a while.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  decodeMetadataWithProtobufjs,
  decodeWithProtobufjs,
  type DecodedMetadata,
  rawSampleValues,
  specUncompress,
  type DecodedSeries,
} from './wire.js';

export interface Received {
  /** 0-based arrival number. */
  readonly index: number;
  readonly headers: IncomingMessage['headers'];
  readonly series: DecodedSeries[];
  readonly metadata: DecodedMetadata[];
  /** Each sample's value bytes as hex, in order. */
  readonly rawValues: string[];
  readonly samples: number;
  /** The status answered; 0 until the answer is written. */
  status: number;
}

export interface Answer {
  readonly status: number;
  readonly delayMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export type Script = (request: Received) => Answer | Promise<Answer>;

export class Receiver {
  readonly received: Received[] = [];
  private server: Server | undefined;
  private port = 0;
  private readonly delayed = new Set<() => void>();

  constructor(public script: Script = () => ({ status: 200 })) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/api/v1/write`;
  }

  /** Listens (again, on the same port once one was chosen). */
  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = specUncompress(Buffer.concat(chunks));
        const series = decodeWithProtobufjs(raw);
        const received: Received = {
          index: this.received.length,
          headers: req.headers,
          series,
          metadata: decodeMetadataWithProtobufjs(raw),
          rawValues: rawSampleValues(raw),
          samples: series.reduce((n, s) => n + s.samples.length, 0),
          status: 0,
        };
        this.received.push(received);
        void Promise.resolve(this.script(received)).then((answer) => {
          const reply = () => {
            this.delayed.delete(reply);
            received.status = answer.status;
            if (!res.destroyed) {
              res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
            }
          };
          if (answer.delayMs) {
            this.delayed.add(reply);
            setTimeout(reply, answer.delayMs);
          } else reply();
        });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops open connections: new requests are refused. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const reply of [...this.delayed]) reply();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Samples of 2xx-answered requests: `labels key → [timestamp…]` in arrival order. */
  accepted(): Map<string, number[]> {
    const bySeries = new Map<string, number[]>();
    for (const r of this.received) {
      if (r.status < 200 || r.status >= 300) continue;
      for (const s of r.series) {
        const key = s.labels.map((l) => `${l.name}=${l.value}`).join(',');
        const list = bySeries.get(key) ?? [];
        for (const sample of s.samples) list.push(sample.timestamp);
        bySeries.set(key, list);
      }
    }
    return bySeries;
  }
}

/** Polls `condition` until it holds; fails with `what` after a generous cap (a hang guard, not a timing check). */
export async function until(condition: () => boolean, what: string, capMs = 30_000): Promise<void> {
  const deadline = Date.now() + capMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
