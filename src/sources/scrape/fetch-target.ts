/**
 * One scrape's HTTP exchange: content negotiation as Prometheus does it
 * (OpenMetrics preferred, text 0.0.4 accepted), gzip, the body size limit,
 * and the timeout. Signed targets go through the AWS client.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { request } from 'undici';
import type { AwsClient } from '../../aws/http/aws-client.js';
import { SignetError } from '../../errors.js';
import { MAX_REDIRECTS } from '../../net/http-dispatcher.js';
import type { JobHttp } from './http-client.js';

const gunzipAsync = promisify(gunzip);

export const SCRAPE_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

export class ScrapeError extends SignetError {}
/** The page is larger than body_size_limit (counted in prometheus_target_scrapes_exceeded_body_size_limit_total). */
export class BodySizeLimitError extends ScrapeError {}

/**
 * The most a scrape reads when body_size_limit is 0 (Prometheus's "no
 * limit"): one target's page must not take the agent's memory, and a page
 * this large is a fault of the exporter (the largest real ones are tens of MB).
 */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

function bodyTooLarge(limit: number): ScrapeError {
  return new BodySizeLimitError(`body size limit of ${limit} bytes exceeded`, {
    hint:
      limit === MAX_BODY_BYTES
        ? `the target's page is larger than Signet reads (${MAX_BODY_BYTES} bytes); have the exporter expose less`
        : 'raise body_size_limit or have the exporter expose less',
  });
}

export interface FetchedPage {
  /** The body, decompressed, as bytes: the parser decodes it a run of lines at a time. */
  readonly body: Buffer;
  readonly contentType: string | undefined;
}

/**
 * A target's body bytes, kept from one scrape to the next. Every fresh
 * Buffer is memory outside V8's heap that V8 still counts towards its next
 * full collection; a body read into a new Buffer per scrape (and concatenated
 * into another) made the agent run a full mark-compact every second at ten
 * scrapes a second. One buffer per target, reused, does not.
 */
export class BodyBuffer {
  private bytes: Buffer = Buffer.allocUnsafe(0);
  private inUse = false;
  /** Bytes the last read took: a buffer grown for one huge page is let go once pages are small again. */
  private lastUsed = 0;

  /**
   * Reads the whole stream; the result is valid until the next read.
   * Concurrent reads get a copy. Past `limit` bytes it stops reading (the
   * stream is destroyed) and throws: the limit bounds memory, not only the
   * result.
   */
  async read(stream: AsyncIterable<Buffer>, limit: number = MAX_BODY_BYTES): Promise<Buffer> {
    if (this.inUse) {
      const chunks: Buffer[] = [];
      let used = 0;
      for await (const chunk of stream) {
        used += chunk.length;
        if (used > limit) throw bodyTooLarge(limit);
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    }
    this.inUse = true;
    if (this.bytes.length > 16 * 1024 * 1024 && this.lastUsed < this.bytes.length / 4) {
      this.bytes = Buffer.allocUnsafe(0);
    }
    try {
      let used = 0;
      for await (const chunk of stream) {
        if (used + chunk.length > limit) throw bodyTooLarge(limit);
        if (used + chunk.length > this.bytes.length) {
          const size = Math.min(Math.max(used + chunk.length, this.bytes.length * 2), limit);
          const grown = Buffer.allocUnsafe(size);
          this.bytes.copy(grown, 0, 0, used);
          this.bytes = grown;
        }
        used += chunk.copy(this.bytes, used);
      }
      this.lastUsed = used;
      return this.bytes.subarray(0, used);
    } finally {
      this.inUse = false;
    }
  }
}

export interface FetchOptions {
  readonly url: string;
  readonly timeoutMs: number;
  /** 0: no limit. */
  readonly bodySizeLimit: number;
  readonly http: JobHttp;
  readonly aws?: AwsClient | undefined;
  readonly userAgent: string;
  /** Reused for the body when given (see BodyBuffer). */
  readonly buffer?: BodyBuffer | undefined;
}

async function decode(
  raw: Buffer,
  encoding: string | undefined,
  setLimit: number,
): Promise<Buffer> {
  const limit = setLimit > 0 ? setLimit : MAX_BODY_BYTES;
  let bytes = raw;
  if (encoding?.toLowerCase() === 'gzip') {
    bytes = await gunzipAsync(raw, { maxOutputLength: limit }).catch((e: unknown) => {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE')
        throw new BodySizeLimitError(`body size limit of ${limit} bytes exceeded`);
      throw new ScrapeError(`cannot gunzip the response: ${String(e)}`);
    });
  }
  if (bytes.length > limit)
    throw new BodySizeLimitError(
      `body size limit of ${limit} bytes exceeded (got ${bytes.length})`,
      { hint: 'raise body_size_limit or scrape less' },
    );
  return bytes;
}

/** A 3xx that was the last word: not followed (follow_redirects: false), or one too many. */
function redirectError(
  res: { statusCode: number; headers: Record<string, string | string[] | undefined> },
  http: JobHttp,
): ScrapeError {
  const location = res.headers['location'];
  const to = location ? ` to ${String(location)}` : '';
  return http.followRedirects
    ? new ScrapeError(
        `server returned HTTP status ${res.statusCode} (a redirect${to}; stopped after ${MAX_REDIRECTS} redirects or it had no Location)`,
        { hint: 'scrape the final URL directly' },
      )
    : new ScrapeError(
        `server returned HTTP status ${res.statusCode} (a redirect${to}, not followed: follow_redirects is false)`,
        { hint: 'scrape the final URL, or set follow_redirects: true' },
      );
}

export async function fetchTarget(o: FetchOptions): Promise<FetchedPage> {
  const headers: Record<string, string> = {
    accept: SCRAPE_ACCEPT,
    'accept-encoding': 'gzip',
    'user-agent': o.userAgent,
    'x-prometheus-scrape-timeout-seconds': String(o.timeoutMs / 1000),
    ...o.http.headers(),
  };
  if (o.aws) {
    const res = await o.aws.send({ method: 'GET', url: o.url, headers });
    return {
      body: await decode(res.body, res.headers['content-encoding'], o.bodySizeLimit),
      contentType: res.headers['content-type'],
    };
  }
  const signal = AbortSignal.timeout(o.timeoutMs);
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(o.url, { method: 'GET', headers, dispatcher: o.http.dispatcher, signal });
  } catch (error) {
    const e = error as {
      name?: string;
      code?: string;
      message?: string;
      cause?: { code?: string; message?: string };
    };
    if (e.name === 'TimeoutError' || e.name === 'AbortError')
      throw new ScrapeError(`context deadline exceeded (no answer within ${o.timeoutMs / 1000}s)`);
    throw new ScrapeError(e.cause?.message ?? e.message ?? String(error));
  }
  const length = Number(res.headers['content-length'] ?? 0);
  if (res.statusCode !== 200) {
    await res.body.dump();
    if (res.statusCode >= 300 && res.statusCode < 400) throw redirectError(res, o.http);
    throw new ScrapeError(`server returned HTTP status ${res.statusCode}`);
  }
  if (o.bodySizeLimit > 0 && length > o.bodySizeLimit) {
    await res.body.dump();
    throw new BodySizeLimitError(
      `body size limit of ${o.bodySizeLimit} bytes exceeded (content-length ${length})`,
    );
  }
  const limit = o.bodySizeLimit > 0 ? o.bodySizeLimit : MAX_BODY_BYTES;
  const raw = await (o.buffer ?? new BodyBuffer()).read(res.body, limit);
  const encoding = res.headers['content-encoding'];
  const type = res.headers['content-type'];
  return {
    body: await decode(raw, Array.isArray(encoding) ? encoding[0] : encoding, o.bodySizeLimit),
    contentType: Array.isArray(type) ? type[0] : type,
  };
}
