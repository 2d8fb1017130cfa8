/**
 * How a job reaches its targets: TLS settings, a proxy, redirects and HTTP/2
 * (the dispatcher, shared with remote_write in src/net/http-dispatcher.ts),
 * basic auth or an Authorization header. Built once per job.
 */
import { readFileSync } from 'node:fs';
import type { Dispatcher } from 'undici';
import { createHttpDispatcher } from '../../net/http-dispatcher.js';
import type { ScrapeHttpSettings } from './options.js';

export interface JobHttp {
  readonly dispatcher: Dispatcher;
  /** follow_redirects: when false, a 3xx is the scrape's answer (and its failure). */
  readonly followRedirects: boolean;
  /** Headers to add to every scrape (auth); read anew each scrape when they come from files. */
  headers(): Record<string, string>;
}

function readSecretFile(path: string): string {
  return readFileSync(path, 'utf8').trim();
}

export function jobHttp(sc: ScrapeHttpSettings, path: string): JobHttp {
  const dispatcher = createHttpDispatcher(sc, path, {
    keepAliveTimeout: 4 * 60_000,
    connections: 8,
  });
  return {
    dispatcher,
    followRedirects: sc.follow_redirects,
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
