/**
 * A Loki-compatible push receiver for the logs tests and bench, written from
 * Loki's push API (logproto's push.proto and the JSON body of
 * `POST /loki/api/v1/push`), not from Signet's client: protobuf bodies are
 * snappy block-format compressed and read with protobufjs from a descriptor;
 * JSON bodies (optionally gzip) are read as documented. Every entry is handed
 * to `onEntry` when given, and kept (per stream, in arrival order) unless
 * `keep: false` (the bench counts without keeping millions of lines).
 * `respond` decides each push's status, so tests can make Loki fail or rate
 * limit for a while.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { uncompressSync } from 'snappy';

export type Labels = Record<string, string>;

export interface ReceivedEntry {
  readonly timestampNs: bigint;
  readonly line: string;
  readonly structuredMetadata: Labels;
  /** Date.now() when the push carrying it arrived. */
  readonly receivedMs: number;
  /** The push's X-Scope-OrgID. */
  readonly tenant: string | undefined;
}

export interface ReceivedStream {
  readonly labels: Labels;
  readonly entries: ReceivedEntry[];
}

export interface PushInfo {
  readonly tenant: string | undefined;
  readonly contentType: string;
  readonly headers: IncomingMessage['headers'];
}

export interface LokiReceiverOptions {
  readonly keep?: boolean;
  readonly onEntry?: (labels: Labels, entry: ReceivedEntry, push: PushInfo) => void;
  /** The status for each push (after it was decoded); 204 when absent. Non-2xx pushes are not recorded. */
  readonly respond?: (push: PushInfo, index: number) => number;
}

// logproto (pkg/push/push.proto): PushRequest, StreamAdapter, EntryAdapter,
// LabelPairAdapter, and google.protobuf.Timestamp.
const root = protobuf.Root.fromJSON({
  nested: {
    logproto: {
      nested: {
        PushRequest: { fields: { streams: { rule: 'repeated', type: 'StreamAdapter', id: 1 } } },
        StreamAdapter: {
          fields: {
            labels: { type: 'string', id: 1 },
            entries: { rule: 'repeated', type: 'EntryAdapter', id: 2 },
            hash: { type: 'uint64', id: 3 },
          },
        },
        EntryAdapter: {
          fields: {
            timestamp: { type: 'Timestamp', id: 1 },
            line: { type: 'string', id: 2 },
            structuredMetadata: { rule: 'repeated', type: 'LabelPairAdapter', id: 3 },
          },
        },
        LabelPairAdapter: {
          fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } },
        },
        Timestamp: {
          fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } },
        },
      },
    },
  },
});
const PushRequest = root.lookupType('logproto.PushRequest');

interface DecodedPush {
  streams: {
    labels: string;
    entries: {
      timestamp?: { seconds: number | { toString(): string }; nanos: number };
      line: string;
      structuredMetadata: { name: string; value: string }[];
    }[];
  }[];
}

export interface PushedStream {
  readonly labels: Labels;
  readonly entries: { timestampNs: bigint; line: string; structuredMetadata: Labels }[];
}

/** An uncompressed logproto.PushRequest. */
export function decodePushRequest(raw: Uint8Array): PushedStream[] {
  const message = PushRequest.decode(raw) as unknown as DecodedPush;
  return message.streams.map((stream) => ({
    labels: parseLabels(stream.labels),
    entries: stream.entries.map((entry) => ({
      timestampNs:
        BigInt((entry.timestamp?.seconds ?? 0).toString()) * 1_000_000_000n +
        BigInt(entry.timestamp?.nanos ?? 0),
      line: entry.line,
      structuredMetadata: Object.fromEntries(
        entry.structuredMetadata.map((pair) => [pair.name, pair.value]),
      ),
    })),
  }));
}

/** Loki's JSON push body: `{"streams":[{"stream":{…},"values":[["<ns>","<line>",{…}?]]}]}`. */
export function decodeJsonPush(text: string): PushedStream[] {
  const body = JSON.parse(text) as {
    streams: { stream: Labels; values: [string, string, Labels?][] }[];
  };
  return body.streams.map((stream) => ({
    labels: stream.stream,
    entries: stream.values.map(([ns, line, metadata]) => ({
      timestampNs: BigInt(ns),
      line,
      structuredMetadata: metadata ?? {},
    })),
  }));
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"' };

/** A stream's labels as Loki writes them: `{job="x", filename="/var/log/a.log"}` (Go-quoted values). */
export function parseLabels(text: string): Labels {
  const labels: Labels = {};
  const body = text.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) throw new Error(`not a label set: ${text}`);
  let i = 1;
  const end = body.length - 1;
  while (i < end) {
    while (body[i] === ' ' || body[i] === ',') i++;
    if (i >= end) break;
    const eq = body.indexOf('=', i);
    const name = body.slice(i, eq).trim();
    if (eq < 0 || body[eq + 1] !== '"' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new Error(`bad label at ${i} in ${text}`);
    let value = '';
    let j = eq + 2;
    while (body[j] !== '"') {
      if (j >= end) throw new Error(`unterminated value in ${text}`);
      if (body[j] === '\\') {
        const next = body[j + 1]!;
        if (next === 'x') {
          value += String.fromCharCode(parseInt(body.slice(j + 2, j + 4), 16));
          j += 4;
        } else if (next === 'u') {
          value += String.fromCharCode(parseInt(body.slice(j + 2, j + 6), 16));
          j += 6;
        } else {
          value += ESCAPES[next] ?? next;
          j += 2;
        }
      } else value += body[j++];
    }
    labels[name] = value;
    i = j + 1;
  }
  return labels;
}

/** A stream's identity: its labels sorted, as Loki keys streams. */
export function streamKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`)
    .join(',');
}

export class LokiReceiver {
  private readonly kept = new Map<string, ReceivedStream>();
  private pushCount = 0;
  private entryCount = 0;
  private readonly failures: string[] = [];

  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:<port>/loki/api/v1/push` */
    readonly url: string,
    private readonly options: LokiReceiverOptions,
  ) {}

  static async start(options: LokiReceiverOptions = {}): Promise<LokiReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const receiver = new LokiReceiver(server, `http://127.0.0.1:${port}/loki/api/v1/push`, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const { status, message } = receiver.handle(req, Buffer.concat(chunks));
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(message);
      });
    });
    return receiver;
  }

  private handle(req: IncomingMessage, body: Buffer): { status: number; message: string } {
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/loki/api/v1/push')
      return { status: 404, message: 'only POST /loki/api/v1/push' };
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    let streams: PushedStream[];
    try {
      if (contentType === 'application/json') {
        const raw = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
        streams = decodeJsonPush(raw.toString('utf8'));
      } else if (contentType === 'application/x-protobuf') {
        streams = decodePushRequest(uncompressSync(body) as Buffer);
      } else {
        this.failures.push(`content-type ${contentType}`);
        return { status: 415, message: `unsupported content-type ${contentType}` };
      }
    } catch (error) {
      this.failures.push(String(error));
      return { status: 400, message: String(error) };
    }
    const tenant = req.headers['x-scope-orgid'];
    const push: PushInfo = {
      tenant: Array.isArray(tenant) ? tenant[0] : tenant,
      contentType,
      headers: req.headers,
    };
    const status = this.options.respond?.(push, this.pushCount) ?? 204;
    this.pushCount++;
    if (status < 200 || status > 299) return { status, message: 'refused by the test' };
    const receivedMs = Date.now();
    for (const stream of streams) {
      let kept: ReceivedStream | undefined;
      if (this.options.keep !== false) {
        const key = streamKey(stream.labels);
        kept = this.kept.get(key);
        if (!kept) this.kept.set(key, (kept = { labels: stream.labels, entries: [] }));
      }
      for (const entry of stream.entries) {
        const received: ReceivedEntry = { ...entry, receivedMs, tenant: push.tenant };
        this.entryCount++;
        kept?.entries.push(received);
        this.options.onEntry?.(stream.labels, received, push);
      }
    }
    return { status, message: '' };
  }

  /** Pushes answered so far (whatever their status). */
  get pushes(): number {
    return this.pushCount;
  }

  /** Entries accepted so far. */
  get entries(): number {
    return this.entryCount;
  }

  /** Bodies that could not be read (bad content type, bad protobuf or JSON). */
  get rejected(): readonly string[] {
    return this.failures;
  }

  /** The kept streams, each with its entries in arrival order. */
  streams(): ReceivedStream[] {
    return [...this.kept.values()];
  }

  /** Every kept entry whose stream has all of `match`'s labels, in arrival order per stream. */
  linesOf(match: Labels): { labels: Labels; entry: ReceivedEntry }[] {
    return this.streams()
      .filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v))
      .flatMap((s) => s.entries.map((entry) => ({ labels: s.labels, entry })));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
