/**
 * How a job reaches its targets: TLS settings, a proxy, basic auth or a bearer
 * token, or SigV4 (an API Gateway stage with AWS_IAM). Built once per job.
 */
import { readFileSync } from 'node:fs';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import type { ScrapeHttpSettings } from './options.js';

export interface JobHttp {
  readonly dispatcher: Dispatcher;
  /** Headers to add to every scrape (auth); read anew each scrape when they come from files. */
  headers(): Record<string, string>;
}

function readSecretFile(path: string): string {
  return readFileSync(path, 'utf8').trim();
}

export function jobHttp(sc: ScrapeHttpSettings): JobHttp {
  const tls = sc.tls_config;
  const connect = tls
    ? {
        ...(tls.ca_file ? { ca: readFileSync(tls.ca_file) } : tls.ca ? { ca: tls.ca } : {}),
        ...(tls.cert_file ? { cert: readFileSync(tls.cert_file) } : {}),
        ...(tls.key_file ? { key: readFileSync(tls.key_file) } : {}),
        ...(tls.server_name ? { servername: tls.server_name } : {}),
        rejectUnauthorized: !tls.insecure_skip_verify,
      }
    : {};
  // As Prometheus (Go's net/http) does: an http target goes to the proxy as
  // an absolute-URI request, only an https one through a CONNECT tunnel.
  // undici tunnels both by default, which forward proxies that allow CONNECT
  // only to 443 refuse (and a proxy that drops the CONNECT makes undici
  // reconnect in a loop, nodejs/undici#3897).
  const dispatcher = sc.proxy_url
    ? new ProxyAgent({ uri: sc.proxy_url, requestTls: connect, proxyTunnel: false })
    : new Agent({ connect, keepAliveTimeout: 4 * 60_000, connections: 8 });
  return {
    dispatcher,
    headers(): Record<string, string> {
      const auth = sc.basic_auth;
      if (auth) {
        const password = auth.password_file
          ? readSecretFile(auth.password_file)
          : (auth.password ?? '');
        return {
          authorization: `Basic ${Buffer.from(`${auth.username}:${password}`).toString('base64')}`,
        };
      }
      const a = sc.authorization;
      if (a && (a.credentials || a.credentials_file)) {
        const credentials = a.credentials_file
          ? readSecretFile(a.credentials_file)
          : a.credentials!;
        return { authorization: `${a.type} ${credentials}` };
      }
      if (sc.bearer_token) return { authorization: `Bearer ${sc.bearer_token}` };
      if (sc.bearer_token_file)
        return { authorization: `Bearer ${readSecretFile(sc.bearer_token_file)}` };
      return {};
    },
  };
}
