/**
 * The connection side of Prometheus's HTTP client config, shared by scrape
 * jobs and remote_write: tls_config, proxy_url, follow_redirects and
 * enable_http2 become one undici dispatcher. Signed requests use it too (an
 * AwsClient takes a dispatcher), so a signed remote_write goes through the
 * same proxy and trusts the same CA as an unsigned one.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Agent, interceptors, ProxyAgent, type Dispatcher } from 'undici';
import { SignetError } from '../errors.js';

/** The keys of a scrape_config or remote_write block this module reads (as the schema gives them). */
export interface HttpClientKeys {
  readonly tls_config?:
    | {
        readonly ca_file?: string | undefined;
        readonly ca?: string | undefined;
        readonly cert_file?: string | undefined;
        readonly key_file?: string | undefined;
        readonly server_name?: string | undefined;
        readonly insecure_skip_verify: boolean;
      }
    | undefined;
  readonly proxy_url?: string | undefined;
  readonly follow_redirects: boolean;
  readonly enable_http2: boolean;
}

/** How many connections to keep, and for how long; the caller's to size. */
export interface PoolOptions {
  readonly connections?: number;
  readonly pipelining?: number;
  readonly keepAliveTimeout?: number;
}

/** Go's net/http gives up after 10 redirects; so does Prometheus. */
export const MAX_REDIRECTS = 10;

/** A tls_config file that cannot be read, named by its key path. */
export class HttpClientConfigError extends SignetError {}

function readKeyFile(path: string, keyPath: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new HttpClientConfigError(`${keyPath}: cannot read ${path} (${code})`, {
      hint: 'give the path of a readable PEM file',
    });
  }
}

/** tls_config as Node's TLS options; files are read now, so a bad one fails before any request. */
export function tlsOptions(keys: HttpClientKeys, path: string): ConnectionOptions {
  const tls = keys.tls_config;
  if (!tls) return {};
  const at = `${path}.tls_config`;
  return {
    ...(tls.ca_file
      ? { ca: readKeyFile(tls.ca_file, `${at}.ca_file`) }
      : tls.ca
        ? { ca: tls.ca }
        : {}),
    ...(tls.cert_file ? { cert: readKeyFile(tls.cert_file, `${at}.cert_file`) } : {}),
    ...(tls.key_file ? { key: readKeyFile(tls.key_file, `${at}.key_file`) } : {}),
    ...(tls.server_name ? { servername: tls.server_name } : {}),
    rejectUnauthorized: !tls.insecure_skip_verify,
  };
}

/**
 * One dispatcher for a scrape job or a remote_write. `path` is the block's
 * key path, for errors.
 */
export function createHttpDispatcher(
  keys: HttpClientKeys,
  path: string,
  pool: PoolOptions = {},
): Dispatcher {
  const connect = tlsOptions(keys, path);
  // h2 only where TLS offers it (ALPN), as Go's transport: plain http stays HTTP/1.1.
  const allowH2 = keys.enable_http2;
  // As Prometheus (Go's net/http) does: an http target goes to the proxy as
  // an absolute-URI request, only an https one through a CONNECT tunnel.
  // undici tunnels both by default, which forward proxies that allow CONNECT
  // only to 443 refuse (and a proxy that drops the CONNECT makes undici
  // reconnect in a loop, nodejs/undici#3897).
  const base: Dispatcher = keys.proxy_url
    ? new ProxyAgent({
        ...pool,
        uri: keys.proxy_url,
        // The tunnelled TLS connection is built from requestTls alone.
        requestTls: { ...connect, allowH2 },
        proxyTunnel: false,
        allowH2,
      })
    : new Agent({ ...pool, connect, allowH2 });
  // Without the interceptor undici hands back the 3xx itself, which the
  // caller then reports as the status it is (follow_redirects: false).
  return keys.follow_redirects
    ? base.compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTS }))
    : base;
}
