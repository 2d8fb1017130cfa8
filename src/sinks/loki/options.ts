/**
 * A Loki client's settings: Promtail's client config (`clients[]`), camelCased
 * with durations in milliseconds and sizes in bytes, and Promtail's
 * defaults. The YAML schema maps its keys onto these; errors here name the
 * Promtail key under the client's key path.
 */
import { readFileSync } from 'node:fs';
import type { Dispatcher } from 'undici';
import type { AwsClient } from '../../aws/http/aws-client.js';
import { inferEndpoint } from '../../aws/endpoints.js';
import { SignetError } from '../../errors.js';
import type { LogLabels } from '../../model/log-entry.js';
import { createHttpDispatcher, type HttpClientKeys } from '../../net/http-dispatcher.js';
import type { BasicAuth } from '../shared/http.js';
import { positiveOption } from '../shared/options.js';

export interface LokiBackoff {
  /** `min_period`: the first wait after a failure; doubles per retry. */
  readonly minPeriodMs: number;
  /** `max_period`: the longest wait. */
  readonly maxPeriodMs: number;
  /** `max_retries`: attempts before a batch is dropped; 0 retries for ever (as Promtail). */
  readonly maxRetries: number;
}

export interface LokiClientOptions {
  /** `url`: the push endpoint, e.g. `http://loki:3100/loki/api/v1/push`. */
  readonly url: string;
  /** `name`, else `host:port` of the URL: names the client in logs and the `host` metric label. */
  readonly name?: string | undefined;
  /** `tenant_id`: X-Scope-OrgID for entries without a `__tenant_id__` label; none when empty. */
  readonly tenantId?: string | undefined;
  /** `batchwait`: the longest an entry waits for its batch to fill (1 s). */
  readonly batchWaitMs?: number | undefined;
  /** `batchsize`: a batch is sent once its lines reach this many bytes (1 MiB). */
  readonly batchSizeBytes?: number | undefined;
  /** `headers`: sent with every push (X-Scope-OrgID is the client's own). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** `basic_auth`; the password may come from `password_file`, read at start. */
  readonly basicAuth?:
    | { readonly username: string; readonly password?: string; readonly passwordFile?: string }
    | undefined;
  /** `bearer_token`. */
  readonly bearerToken?: string | undefined;
  /** `bearer_token_file`: read at start. */
  readonly bearerTokenFile?: string | undefined;
  /** `tls_config`, as for scrape jobs and remote_write. */
  readonly tlsConfig?: HttpClientKeys['tls_config'];
  /** `proxy_url`. */
  readonly proxyUrl?: string | undefined;
  /** `backoff_config` (500 ms, 5 min, 10 retries). */
  readonly backoff?: Partial<LokiBackoff> | undefined;
  /** `external_labels`: added to every stream; an entry's own label of the same name wins. */
  readonly externalLabels?: LogLabels | undefined;
  /** `timeout`: per push attempt (10 s). */
  readonly timeoutMs?: number | undefined;
  /** `drop_rate_limited_batches`: a 429 drops the batch at once instead of retrying. */
  readonly dropRateLimitedBatches?: boolean | undefined;
  /** Signs every push (`sigv4:`/`aws_auth:`); build it with lokiSigningService's service. */
  readonly aws?: AwsClient | undefined;
  /**
   * The connection pool (from createLokiDispatcher); one is made from
   * tls_config/proxy_url when absent. A signed client with either needs it
   * given here and to its signer, or it is refused.
   */
  readonly dispatcher?: Dispatcher | undefined;
  /** Bytes of lines held (batches filling and waiting) before enqueue says full; 8 batches. */
  readonly maxBufferedBytes?: number | undefined;
  /** The key path of this client in the config, for errors (`logs.configs[0].clients[1]`). */
  readonly path?: string | undefined;
}

export interface ResolvedLokiOptions {
  readonly url: string;
  readonly name: string;
  /** `host:port` of the URL, Promtail's `host` label. */
  readonly host: string;
  readonly tenantId: string;
  readonly batchWaitMs: number;
  readonly batchSizeBytes: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly basicAuth: BasicAuth | undefined;
  readonly bearerToken: string | undefined;
  readonly backoff: LokiBackoff;
  readonly externalLabels: LogLabels;
  readonly timeoutMs: number;
  readonly dropRateLimitedBatches: boolean;
  readonly maxBufferedBytes: number;
  readonly path: string;
}

export const LOKI_DEFAULTS = Object.freeze({
  batchWaitMs: 1000,
  batchSizeBytes: 1024 * 1024,
  timeoutMs: 10_000,
  backoff: Object.freeze({ minPeriodMs: 500, maxPeriodMs: 5 * 60_000, maxRetries: 10 }),
  /** Batches' worth of lines held before enqueue says full. */
  bufferedBatches: 8,
});

/** A Loki client setting that cannot work, named by its key path. */
export class LokiOptionsError extends SignetError {}

export function resolveLokiOptions(options: LokiClientOptions): ResolvedLokiOptions {
  const path = options.path ?? 'client';
  let parsed: URL;
  try {
    parsed = new URL(options.url);
  } catch {
    throw new LokiOptionsError(`${path}.url: ${JSON.stringify(options.url)} is not a URL`, {
      hint: 'give the push URL, e.g. http://loki:3100/loki/api/v1/push',
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new LokiOptionsError(`${path}.url: ${options.url} is not an http(s) URL`, {
      hint: 'give the push URL, e.g. http://loki:3100/loki/api/v1/push',
    });
  }
  const batchWaitMs = positive(options.batchWaitMs, LOKI_DEFAULTS.batchWaitMs, `${path}.batchwait`);
  const batchSizeBytes = positive(
    options.batchSizeBytes,
    LOKI_DEFAULTS.batchSizeBytes,
    `${path}.batchsize`,
  );
  const timeoutMs = positive(options.timeoutMs, LOKI_DEFAULTS.timeoutMs, `${path}.timeout`);
  const backoff = resolveBackoff(options.backoff, `${path}.backoff_config`);
  if (options.bearerToken && options.bearerTokenFile) {
    throw new LokiOptionsError(`${path}: bearer_token and bearer_token_file are both set`, {
      hint: 'keep one of them',
    });
  }
  const bearerToken =
    options.bearerToken ??
    (options.bearerTokenFile
      ? readSecret(options.bearerTokenFile, `${path}.bearer_token_file`)
      : undefined);
  let basicAuth: BasicAuth | undefined;
  if (options.basicAuth) {
    const { username, password, passwordFile } = options.basicAuth;
    if (password !== undefined && passwordFile !== undefined) {
      throw new LokiOptionsError(`${path}.basic_auth: password and password_file are both set`, {
        hint: 'keep one of them',
      });
    }
    basicAuth = {
      username,
      password:
        passwordFile !== undefined
          ? readSecret(passwordFile, `${path}.basic_auth.password_file`)
          : (password ?? ''),
    };
  }
  const headers = { ...options.headers };
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'x-scope-orgid') {
      throw new LokiOptionsError(`${path}.headers: X-Scope-OrgID is set by the client`, {
        hint: 'use tenant_id (or the tenant stage) instead of a header',
      });
    }
  }
  const maxBufferedBytes = positive(
    options.maxBufferedBytes,
    batchSizeBytes * LOKI_DEFAULTS.bufferedBatches,
    `${path}.max_buffered_bytes`,
  );
  return {
    url: options.url,
    name: options.name ?? parsed.host,
    host: parsed.host,
    tenantId: options.tenantId ?? '',
    batchWaitMs,
    batchSizeBytes,
    headers,
    basicAuth,
    bearerToken,
    backoff,
    externalLabels: { ...options.externalLabels },
    timeoutMs,
    dropRateLimitedBatches: options.dropRateLimitedBatches ?? false,
    maxBufferedBytes,
    path,
  };
}

function resolveBackoff(given: Partial<LokiBackoff> | undefined, path: string): LokiBackoff {
  const defaults = LOKI_DEFAULTS.backoff;
  const minPeriodMs = positive(given?.minPeriodMs, defaults.minPeriodMs, `${path}.min_period`);
  const maxPeriodMs = positive(given?.maxPeriodMs, defaults.maxPeriodMs, `${path}.max_period`);
  if (maxPeriodMs < minPeriodMs) {
    throw new LokiOptionsError(
      `${path}: max_period (${maxPeriodMs} ms) is below min_period (${minPeriodMs} ms)`,
      { hint: 'max_period must be at least min_period' },
    );
  }
  const maxRetries = given?.maxRetries ?? defaults.maxRetries;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new LokiOptionsError(
      `${path}.max_retries must be a whole number ≥ 0, got ${maxRetries}`,
      {
        hint: 'give the number of attempts before a batch is dropped (0 retries for ever)',
      },
    );
  }
  return { minPeriodMs, maxPeriodMs, maxRetries };
}

function positive(value: number | undefined, fallback: number, path: string): number {
  return positiveOption(value, fallback, path, LokiOptionsError);
}

function readSecret(file: string, path: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new LokiOptionsError(`${path}: cannot read ${file} (${code})`, {
      hint: 'give the path of a readable file holding the secret',
    });
  }
}

/**
 * The SigV4 signing name for a Loki URL: the one given, else the one its AWS
 * host names (`execute-api` for an API Gateway stage, `vpc-lattice-svcs`
 * for a Lattice service, `lambda` for a function URL), else `execute-api`,
 * as a Loki behind an IAM-protected API Gateway with a custom domain is the
 * guides' case.
 */
export function lokiSigningService(url: string, configured?: string): string {
  if (configured) return configured;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return LOKI_DEFAULT_SIGNING_SERVICE;
  }
  return inferEndpoint(host)?.service ?? LOKI_DEFAULT_SIGNING_SERVICE;
}

export const LOKI_DEFAULT_SIGNING_SERVICE = 'execute-api';

/**
 * The connection pool for a client's tls_config and proxy_url; give the
 * same one to the AwsClient of a signed client (createTargetSigner's
 * second argument), so signed pushes go through the same proxy and CA.
 */
export function createLokiDispatcher(options: LokiClientOptions): Dispatcher {
  return createHttpDispatcher(
    {
      tls_config: options.tlsConfig,
      proxy_url: options.proxyUrl,
      follow_redirects: true,
      enable_http2: false,
    },
    options.path ?? 'client',
    // Pushes go one at a time; a second connection serves a push while the first is closing.
    { connections: 2, pipelining: 1, keepAliveTimeout: 60_000 },
  );
}
