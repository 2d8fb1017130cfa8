/**
 * For the logs-to-AWS reliability tests: numbered lines appended to real
 * files at a steady pace, and what arrived read back from `signet local`
 * with the AWS SDK v3 clients (CloudWatch Logs, S3, Kinesis) or its store
 * (Firehose has no read API) — never with Signet's own code.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  CloudWatchLogsClient as SdkLogsClient,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { LocalStack } from '../../../src/local/index.js';
import type { LoggedRequest } from '../../../src/local/request-log.js';
import { sdkConfig } from '../../helpers/local-stack.js';
import { readKinesis } from '../../sinks/aws-records/helpers.js';

/** Keys to read with instead of the demo user's: a role session in another account. */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

/** A wait that does not keep the process alive: a test that failed mid-way still ends. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/** Lines `<name> <n>` appended to `path` every `everyMs` in chunks of `perChunk`, until stopped. */
export class NumberedWriter {
  written = 0;
  private running = true;
  private readonly done: Promise<void>;

  constructor(
    readonly name: string,
    readonly path: string,
    perChunk = 10,
    everyMs = 50,
  ) {
    writeFileSync(path, '');
    this.done = (async () => {
      while (this.running) {
        let chunk = '';
        for (let i = 0; i < perChunk; i++) chunk += `${name} ${++this.written}\n`;
        appendFileSync(path, chunk);
        await sleep(everyMs);
      }
    })();
  }

  /** `count` more lines at once. */
  burst(count: number): void {
    let chunk = '';
    for (let i = 0; i < count; i++) chunk += `${this.name} ${++this.written}\n`;
    appendFileSync(this.path, chunk);
  }

  async stop(): Promise<number> {
    this.running = false;
    await this.done;
    return this.written;
  }
}

/** The numbers of lines `<name> <n>` among `lines`, in the order given. */
export function numbersOf(name: string, lines: readonly string[]): number[] {
  const prefix = `${name} `;
  return lines.filter((l) => l.startsWith(prefix)).map((l) => Number(l.slice(prefix.length)));
}

/** Every event of every stream of a log group, oldest first per stream (GetLogEvents, paged). */
export async function readLogGroup(
  local: LocalStack,
  group: string,
  credentials?: SessionCredentials,
): Promise<Record<string, string[]>> {
  const sdk = new SdkLogsClient(sdkConfig(local, credentials ? { credentials } : {}));
  try {
    const out: Record<string, string[]> = {};
    const streams = await sdk.send(new DescribeLogStreamsCommand({ logGroupName: group }));
    for (const s of streams.logStreams ?? []) {
      const messages: string[] = [];
      let token: string | undefined;
      for (;;) {
        const page = await sdk.send(
          new GetLogEventsCommand({
            logGroupName: group,
            logStreamName: s.logStreamName!,
            startFromHead: true,
            ...(token ? { nextToken: token } : {}),
          }),
        );
        for (const e of page.events ?? []) messages.push(e.message!);
        if (page.nextForwardToken === token || (page.events ?? []).length === 0) break;
        token = page.nextForwardToken;
      }
      out[s.logStreamName!] = messages;
    }
    return out;
  } finally {
    sdk.destroy();
  }
}

export interface S3Contents {
  readonly keys: string[];
  /** Each object's `line`s, in key order. */
  readonly lines: string[];
  /** Objects that did not decompress or parse whole: key and what went wrong. */
  readonly broken: { key: string; error: string }[];
}

/**
 * Every object under `bucket`, fetched with the SDK, gunzipped and parsed as
 * ndjson; an object that does not decompress completely or has a line that
 * does not parse is reported in `broken`, not thrown.
 */
export async function readS3Ndjson(
  local: LocalStack,
  bucket: string,
  /** Bodies already fetched, by key: objects never change once written, so a poll fetches only new ones. */
  cache: Map<string, Buffer> = new Map(),
  credentials?: SessionCredentials,
): Promise<S3Contents> {
  const sdk = new S3Client(
    sdkConfig(local, { forcePathStyle: true, ...(credentials ? { credentials } : {}) }),
  );
  try {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await sdk.send(
        new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.NextContinuationToken;
    } while (token);
    const lines: string[] = [];
    const broken: { key: string; error: string }[] = [];
    for (const key of keys.sort()) {
      let body = cache.get(key);
      if (body === undefined) {
        const object = await sdk.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        body = Buffer.from(await object.Body!.transformToByteArray());
        cache.set(key, body);
      }
      try {
        // gunzipSync throws on a truncated stream ("unexpected end of file").
        const text = gunzipSync(body).toString('utf8');
        if (!text.endsWith('\n')) throw new Error('the last line has no newline');
        for (const row of text.slice(0, -1).split('\n'))
          lines.push((JSON.parse(row) as { line: string }).line);
      } catch (error) {
        broken.push({ key, error: String(error) });
      }
    }
    return { keys, lines, broken };
  } finally {
    sdk.destroy();
  }
}

/**
 * Every request signet local logs from now until `stop()`, polled from its
 * in-process log (which keeps only the latest 1,000, too few for a busy 30 s).
 */
export function watchRequests(local: LocalStack): { stop(): LoggedRequest[] } {
  const seen = new Map<string, LoggedRequest>();
  const skip = new Set(local.log.list().map((r) => r.requestId));
  const take = () => {
    for (const r of local.log.list()) if (!skip.has(r.requestId)) seen.set(r.requestId, r);
  };
  const timer = setInterval(take, 100).unref();
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return [...seen.values()];
    },
  };
}

/** Every record of a Firehose delivery stream, as text without its newline. */
export function readFirehose(local: LocalStack, stream: string): string[] {
  return local.firehose.records(stream).map((r) => r.toString('utf8').replace(/\n$/, ''));
}

/** Every record of a Kinesis stream, as text, through GetRecords; none when it does not exist yet. */
export async function readKinesisLines(
  local: LocalStack,
  stream: string,
  credentials?: SessionCredentials,
): Promise<string[]> {
  const records = await readKinesis(local, stream, credentials).catch(() => []);
  return records.map((r) => r.data.toString('utf8').replace(/\n$/, ''));
}
