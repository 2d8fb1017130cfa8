/**
 * One POST of a body to a destination, signed with SigV4 through an AwsClient
 * or unsigned with the destination's own headers (basic auth, bearer token,
 * custom headers). A sink gives it the protocol's headers (content type and
 * encoding, version headers); everything else is common.
 */
import type { Dispatcher } from 'undici';
import type { AwsClient } from '../../aws/http/aws-client.js';
import { httpRequest } from '../../aws/http/request.js';
import { SignetError } from '../../errors.js';
import { SIGNET_USER_AGENT } from '../../version.js';

export interface BasicAuth {
  readonly username: string;
  readonly password: string;
}

export interface EndpointOptions {
  readonly url: string;
  /** Signs every request; built by the caller with the service's signing name and region. */
  readonly aws?: AwsClient | undefined;
  /** Sent with every request (and signed, with `aws`). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly basicAuth?: BasicAuth | undefined;
  readonly bearerToken?: string | undefined;
  /** Defaults to `Signet/<version>`. */
  readonly userAgent?: string | undefined;
  /** Per attempt, connect plus answer. */
  readonly timeoutMs: number;
  /** Connection pool for unsigned requests; with `aws`, give the AwsClient its dispatcher instead. */
  readonly dispatcher?: Dispatcher | undefined;
}

/** A non-2xx answer from an unsigned endpoint. */
export class EndpointHttpError extends SignetError {
  readonly status: number;
  /** The first line of the body, as Prometheus logs it. */
  readonly bodyLine: string;
  /** From Retry-After, when the answer had one. */
  readonly retryAfterMs: number | undefined;

  constructor(url: string, status: number, bodyLine: string, retryAfterMs: number | undefined) {
    super(`${url} answered HTTP ${status}${bodyLine ? `: ${bodyLine}` : ''}`, {
      hint: hintForStatus(status),
    });
    this.status = status;
    this.bodyLine = bodyLine;
    this.retryAfterMs = retryAfterMs;
  }
}

export class EndpointClient {
  private readonly headers: Readonly<Record<string, string>>;

  /**
   * `what` names the sink in errors (`remote_write`); `protocolHeaders` are
   * set last, as they are not the user's to change.
   */
  constructor(
    private readonly options: EndpointOptions,
    what: string,
    protocolHeaders: Readonly<Record<string, string>>,
  ) {
    checkUrl(options.url, what);
    if (options.aws && (options.basicAuth || options.bearerToken)) {
      throw new SignetError(`${what}: sigv4 cannot be combined with basic_auth or a bearer token`, {
        hint: 'AWS signing uses the Authorization header itself; remove basic_auth/bearer_token',
      });
    }
    if (options.basicAuth && options.bearerToken) {
      throw new SignetError(
        `${what}: basic_auth and a bearer token both set the Authorization header`,
        { hint: 'keep one of them' },
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
    for (const [name, value] of Object.entries(protocolHeaders))
      headers[name.toLowerCase()] = value;
    headers['user-agent'] = options.userAgent ?? SIGNET_USER_AGENT;
    this.headers = headers;
  }

  get url(): string {
    return this.options.url;
  }

  /** Resolves once the endpoint answered 2xx; throws AwsError, EndpointHttpError or NetworkError. */
  async send(body: Uint8Array): Promise<void> {
    await this.post(body);
  }

  /** As send, resolving with the 2xx status (Loki's request metric names it). */
  async post(body: Uint8Array): Promise<number> {
    const { url, aws, timeoutMs, dispatcher } = this.options;
    if (aws) {
      return (await aws.send({ method: 'POST', url, headers: this.headers, body })).status;
    }
    const response = await httpRequest({
      method: 'POST',
      url,
      headers: this.headers,
      body,
      timeoutMs,
      ...(dispatcher ? { dispatcher } : {}),
    });
    if (response.status >= 200 && response.status < 300) return response.status;
    const line = response.body.subarray(0, 512).toString('utf8').split('\n')[0]?.trim() ?? '';
    throw new EndpointHttpError(
      url,
      response.status,
      line,
      retryAfterMs(response.headers['retry-after'], Date.now()),
    );
  }

  /**
   * Before resending what was refused as unauthenticated: new credentials now
   * (the provider rate-limits forced refreshes). The clock is re-checked by
   * the AwsClient on every answer. Unsigned endpoints have nothing to refresh.
   */
  async refresh(): Promise<void> {
    await this.options.aws?.refreshCredentials();
  }

  changed(): Promise<boolean> {
    return this.options.aws?.credentialsChanged() ?? Promise.resolve(false);
  }
}

function checkUrl(url: string, what: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new SignetError(`${what}: ${JSON.stringify(url)} is not an http(s) URL`, {
      hint: 'give the full URL, e.g. https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-…/api/v1/remote_write',
    });
  }
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

function hintForStatus(status: number): string {
  if (status === 401)
    return 'check the credentials the endpoint expects (basic_auth, bearer token)';
  if (status === 403) return 'the endpoint refuses these credentials: check what they may write';
  if (status === 404) return 'check the URL path (and that the workspace or tenant exists)';
  if (status === 413) return 'the request is too large: lower max_samples_per_send';
  if (status === 429) return 'the endpoint is rate limiting: raise its limit or send less';
  if (status >= 500) return 'the endpoint failed; the data is retried';
  return 'the endpoint refused the data; it is dropped, as resending it would not help';
}
