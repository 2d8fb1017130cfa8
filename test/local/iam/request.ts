/** Hand-made LocalRequests for calling services directly, without the HTTP core. */
import type { IncomingHttpHeaders } from 'node:http';
import type { LocalRequest, Principal } from '../../../src/local/service.js';

export interface RequestInit {
  readonly method?: string;
  readonly path?: string;
  readonly query?: Record<string, string>;
  readonly headers?: IncomingHttpHeaders;
  /** A form body (query protocols) or raw text. */
  readonly form?: Record<string, string>;
  readonly body?: string;
  readonly principal?: Principal;
  readonly now?: number;
}

export const NOW = Date.parse('2025-01-15T10:00:00Z');

export function localRequest(init: RequestInit = {}): LocalRequest {
  const path = init.path ?? '/';
  const body = init.form ? new URLSearchParams(init.form).toString() : (init.body ?? '');
  return {
    method: init.method ?? (init.form ? 'POST' : 'GET'),
    rawPath: encodeURI(path),
    path,
    query: new URLSearchParams(init.query ?? {}),
    headers: {
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } : {}),
      ...init.headers,
    },
    body: Buffer.from(body),
    host: 'localhost',
    region: 'us-east-1',
    principal: init.principal,
    now: init.now ?? NOW,
    requestId: 'c6104cbe-af31-11e0-8154-cbc7ccf896c7',
  };
}
