/**
 * Grafana Loki's push and query API, so logs pipelines and their tests need
 * no extra server: `POST /loki/api/v1/push` (protobuf+snappy or JSON) and
 * `GET /loki/api/v1/query_range` / `query` for a stream selector. Tenants
 * are kept apart by X-Scope-OrgID (`fake` without one, as a single-tenant
 * Loki). A Loki reached through an IAM-protected API Gateway is the signed
 * case: a request signed for `execute-api` is verified and authorised as
 * `execute-api:Invoke` on its route; an unsigned one is taken anonymously,
 * as a Loki without auth takes it. Entries are held in memory only, up to a
 * cap (oldest dropped, counted in `GET /_signet/execute-api/loki/stats`).
 */
import {
  accountOf,
  type LocalRequest,
  type LocalResponse,
  type LocalService,
  type Operation,
} from '../../service.js';
import { LokiLogStore } from './log-store.js';
import { PushError, decodePush, headerOf } from './push.js';
import { QueryError, queryLogs } from './query.js';

const PREFIX = '/loki/api/v1/';
/** The API id in route ARNs, as the API Gateway stand-in names its routes. */
const API_ID = 'local';
/** What Loki calls the tenant of a request without X-Scope-OrgID when auth is off. */
export const DEFAULT_TENANT = 'fake';
const STATS_PATH = '/_signet/execute-api/loki/stats';

type Route = 'push' | 'query_range' | 'query';

const ROUTES: Readonly<Record<Route, { methods: readonly string[]; name: string }>> = {
  push: { methods: ['POST'], name: 'Push' },
  query_range: { methods: ['GET', 'POST'], name: 'QueryRange' },
  query: { methods: ['GET', 'POST'], name: 'Query' },
};

export interface LokiServiceOptions {
  /** Entries held across tenants before the oldest are dropped. */
  readonly maxEntries?: number | undefined;
}

export function createLokiService(options: LokiServiceOptions = {}): LocalService {
  const store = new LokiLogStore(options.maxEntries);
  return {
    signingName: 'execute-api',
    protocol: 'rest-json',
    operation(request: LocalRequest): Operation | undefined {
      if (!request.path.startsWith(PREFIX)) return undefined;
      const route = request.path.slice(PREFIX.length);
      const name = Object.hasOwn(ROUTES, route) ? ROUTES[route as Route].name : 'Unknown';
      const resource = `arn:aws:execute-api:${request.region}:${accountOf(request)}:${API_ID}/*/${request.method}${request.path}`;
      return { action: 'execute-api:Invoke', resource, name };
    },
    handle(request: LocalRequest): LocalResponse {
      const route = request.path.slice(PREFIX.length);
      if (!Object.hasOwn(ROUTES, route)) {
        return text(
          404,
          `signet local's Loki serves push, query_range and query, not ${request.path}`,
        );
      }
      if (!ROUTES[route as Route].methods.includes(request.method.toUpperCase())) {
        return text(405, `${request.path} does not accept ${request.method}`);
      }
      const tenant = tenantOf(request);
      try {
        if (route === 'push') {
          store.push(tenant, decodePush(request));
          return { status: 204 };
        }
        return queryLogs(request, tenant, store, route === 'query');
      } catch (error) {
        if (error instanceof PushError) return text(error.status, error.message);
        if (error instanceof QueryError) return text(400, error.message);
        throw error;
      }
    },
    control(request: LocalRequest): LocalResponse | undefined {
      if (request.rawPath !== STATS_PATH || request.method !== 'GET') return undefined;
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ max_entries: store.maxEntries, tenants: store.stats() }),
      };
    },
  };
}

/**
 * Whether the core should take a Loki request without verifying a
 * signature: it carries none (no SigV4 Authorization header or presigned
 * query). A request that is signed is verified, and refused if it fails.
 */
export function isUnsignedLokiRequest(request: LocalRequest): boolean {
  const authorization = headerOf(request, 'authorization') ?? '';
  if (authorization.startsWith('AWS4-')) return false;
  return !request.query.has('X-Amz-Signature') && !request.query.has('X-Amz-Algorithm');
}

function tenantOf(request: LocalRequest): string {
  const given = headerOf(request, 'x-scope-orgid')?.trim();
  return given ? given : DEFAULT_TENANT;
}

/** Loki answers errors as one plain-text line. */
function text(status: number, message: string): LocalResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `${message}\n` };
}
