/**
 * One remote-write POST, and what a failed one means. Requests go either
 * through an AwsClient (SigV4 for AMP; it already retries once on clock skew
 * and expired credentials) or unsigned with the endpoint's own headers (basic
 * auth, bearer token, custom headers).
 *
 * Recoverable, retried with backoff forever: network errors, 5xx, 429 when
 * retry_on_http_429 is on, AWS errors AWS calls retryable (throttling, and
 * expiry or skew that a later attempt can cure), and anything unexpected
 * (credentials not yet available, say) — losing data is worse than waiting.
 * Everything else (4xx) will not succeed by resending; the batch is dropped.
 */
import { Agent, type Dispatcher } from 'undici';
import type { AwsClient } from '../../aws/http/aws-client.js';
import { AwsError } from '../../aws/errors/index.js';
import { NetworkError, httpRequest } from '../../aws/http/request.js';
import { SignetError } from '../../errors.js';
import { SIGNET_VERSION } from './version.js';

export interface BasicAuth {
  readonly username: string;
  readonly password: string;
}

export interface SenderOptions {
  /** The remote-write URL, e.g. AMP's `…/workspaces/ws-…/api/v1/remote_write`. */
  readonly url: string;
  /** Signs every request; built by the caller with service `aps` and the endpoint's region. */
  readonly aws?: AwsClient | undefined;
  /** Sent with every request (and signed, with `aws`). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly basicAuth?: BasicAuth | undefined;
  readonly bearerToken?: string | undefined;
  /** Defaults to `Signet/<version>`. */
  readonly userAgent?: string | undefined;
  /** Prometheus's remote_timeout. */
  readonly timeoutMs: number;
  /** Connection pool for unsigned requests; with `aws`, give the AwsClient its dispatcher instead. */
  readonly dispatcher?: Dispatcher | undefined;
}

/** A non-2xx answer from an unsigned endpoint. */
export class RemoteWriteHttpError extends SignetError {
  readonly status: number;
  /** From Retry-After, when the answer had one. */
  readonly retryAfterMs: number | undefined;

  constructor(url: string, status: number, body: string, retryAfterMs: number | undefined) {
    super(`${url} answered HTTP ${status}${body ? `: ${body}` : ''}`, { hint: hintFor(status) });
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** A keep-alive pool sized for one connection per shard. */
export function remoteWritePool(maxShards: number) {
  return { connections: maxShards, pipelining: 1, keepAliveTimeout: 60_000 } as const;
}

export function createRemoteWriteAgent(maxShards: number): Agent {
  return new Agent(remoteWritePool(maxShards));
}

export class RemoteWriteClient {
  private readonly headers: Readonly<Record<string, string>>;

  constructor(private readonly options: SenderOptions) {
    let protocol: string;
    try {
      protocol = new URL(options.url).protocol;
    } catch {
      protocol = '';
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new SignetError(`remote_write: ${JSON.stringify(options.url)} is not an http(s) URL`, {
        hint: 'give the full URL, e.g. https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-…/api/v1/remote_write',
      });
    }
    if (options.aws && (options.basicAuth || options.bearerToken)) {
      throw new SignetError(
        'remote_write: sigv4 cannot be combined with basic_auth or a bearer token',
        {
          hint: 'AWS signing uses the Authorization header itself; remove basic_auth/bearer_token',
        },
      );
    }
    if (options.basicAuth && options.bearerToken) {
      throw new SignetError(
        'remote_write: basic_auth and a bearer token both set the Authorization header',
        {
          hint: 'keep one of them',
        },
      );
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {}))
      headers[name.toLowerCase()] = value;
    if (options.basicAuth) {
      const { username, password } = options.basicAuth;
      headers['authorization'] =
        `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    if (options.bearerToken) headers['authorization'] = `Bearer ${options.bearerToken}`;
    // Set last: the protocol headers are not the user's to change.
    headers['content-encoding'] = 'snappy';
    headers['content-type'] = 'application/x-protobuf';
    headers['user-agent'] = options.userAgent ?? `Signet/${SIGNET_VERSION}`;
    headers['x-prometheus-remote-write-version'] = '0.1.0';
    this.headers = headers;
  }

  /** Resolves once the endpoint answered 2xx; throws AwsError, RemoteWriteHttpError or NetworkError. */
  async send(body: Uint8Array): Promise<void> {
    const { url, aws, timeoutMs, dispatcher } = this.options;
    if (aws) {
      await aws.send({ method: 'POST', url, headers: this.headers, body });
      return;
    }
    const response = await httpRequest({
      method: 'POST',
      url,
      headers: this.headers,
      body,
      timeoutMs,
      ...(dispatcher ? { dispatcher } : {}),
    });
    if (response.status >= 200 && response.status < 300) return;
    // As Prometheus: the first line of the body says what went wrong.
    const line = response.body.subarray(0, 512).toString('utf8').split('\n')[0]?.trim() ?? '';
    throw new RemoteWriteHttpError(
      url,
      response.status,
      line,
      retryAfterMs(response.headers['retry-after'], Date.now()),
    );
  }
}

export interface SendFailure {
  readonly recoverable: boolean;
  /** The wait the endpoint asked for, overriding the backoff. */
  readonly retryAfterMs: number | undefined;
  /** Distinct failures log once each: the status and AWS error code, or the network error code. */
  readonly key: string;
  readonly status: number | undefined;
  readonly message: string;
  readonly hint: string | undefined;
}

export function classifySendError(error: unknown, retryOnHttp429: boolean): SendFailure {
  if (error instanceof AwsError) {
    const recoverable =
      error.status === 429 ? retryOnHttp429 : error.status >= 500 || error.retryable;
    return {
      recoverable,
      retryAfterMs: undefined,
      key: `HTTP ${error.status} ${error.code}`,
      status: error.status,
      message: error.message,
      hint: error.hint,
    };
  }
  if (error instanceof RemoteWriteHttpError) {
    const recoverable = error.status === 429 ? retryOnHttp429 : error.status >= 500;
    return {
      recoverable,
      retryAfterMs: error.retryAfterMs,
      key: `HTTP ${error.status}`,
      status: error.status,
      message: error.message,
      hint: error.hint,
    };
  }
  if (error instanceof NetworkError) {
    return {
      recoverable: true,
      retryAfterMs: undefined,
      key: `network ${error.code}`,
      status: undefined,
      message: error.message,
      hint: error.hint,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    recoverable: true,
    retryAfterMs: undefined,
    key: `error ${error instanceof Error ? error.name : typeof error}`,
    status: undefined,
    message,
    hint: error instanceof SignetError ? error.hint : undefined,
  };
}

/** Retry-After as seconds or an HTTP date; undefined when absent, unreadable or in the past. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at) || at <= now) return undefined;
  return at - now;
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) return 'check the credentials the endpoint expects';
  if (status === 404) return 'check the remote_write URL path';
  if (status === 413) return 'the request is too large: lower max_samples_per_send';
  if (status === 429) return 'the endpoint is rate limiting: raise its limit or send less';
  if (status >= 500) return 'the endpoint failed; samples are retried';
  return 'the endpoint refused the samples; they are dropped, resending would not help';
}
