/**
 * One HTTP exchange, fully read, over undici. TLS certificates are verified
 * (undici's default); nothing here turns that off.
 */
import { request, type Dispatcher } from 'undici';
import { SignetError } from '../../errors.js';

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array | undefined;
  /** Connect plus response, in milliseconds. */
  readonly timeoutMs?: number;
  readonly dispatcher?: Dispatcher;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** The server could not be reached or did not answer in time. */
export class NetworkError extends SignetError {
  readonly code: string;
  readonly url: string;

  constructor(url: string, code: string, detail: string) {
    super(`Could not reach ${url}: ${detail}`, {
      hint:
        code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT'
          ? 'the endpoint did not answer in time: check the URL, security groups and proxies'
          : 'check the URL and that the endpoint is reachable from this machine',
    });
    this.code = code;
    this.url = url;
  }
}

/** The URL without its query, which may carry a presigned signature. */
export function displayUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const timeout = req.timeoutMs ?? 30_000;
  try {
    const res = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      signal: AbortSignal.timeout(timeout),
      ...(req.dispatcher ? { dispatcher: req.dispatcher } : {}),
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: res.statusCode, headers, body };
  } catch (error) {
    if (error instanceof SignetError) throw error;
    const err = error as { code?: string; name?: string; message?: string; cause?: unknown };
    const cause = err.cause as { code?: string; message?: string } | undefined;
    const code =
      err.name === 'TimeoutError' ? 'TIMEOUT' : (cause?.code ?? err.code ?? err.name ?? 'ERROR');
    const detail =
      code === 'TIMEOUT'
        ? `no answer within ${timeout} ms`
        : (cause?.message ?? err.message ?? code);
    throw new NetworkError(displayUrl(req.url), code, detail);
  }
}
