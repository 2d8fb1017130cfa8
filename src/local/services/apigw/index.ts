/**
 * An API Gateway execute-api stand-in that serves the config's `execute_api`
 * pages (Prometheus text) at `GET /execute-api/{path}`, IAM-authorised as
 * `execute-api:Invoke` on the route's ARN.
 */
import type { LocalConfig } from '../../config/types.js';
import {
  accountOf,
  type LocalRequest,
  type LocalResponse,
  type LocalService,
  type Operation,
} from '../../service.js';

const PREFIX = '/execute-api/';
/** The API id in route ARNs; a real one is ten random characters, this one says where it is. */
const API_ID = 'local';

function subpath(req: LocalRequest): string | undefined {
  if (req.path === PREFIX.slice(0, -1)) return '';
  return req.path.startsWith(PREFIX) ? req.path.slice(PREFIX.length) : undefined;
}

/** What an HTTP API answers for a route it does not have. */
const NOT_FOUND: LocalResponse = {
  status: 404,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'NotFoundException' },
  body: JSON.stringify({ message: 'Not Found' }),
};

export function createApiGatewayService(config: LocalConfig): LocalService {
  return {
    signingName: 'execute-api',
    protocol: 'rest-json',

    operation(req: LocalRequest): Operation | undefined {
      const path = subpath(req);
      if (path === undefined) return undefined;
      // Route ARNs: arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/{METHOD}/{path}.
      const resource = `arn:aws:execute-api:${req.region}:${accountOf(req)}:${API_ID}/*/${req.method}/${path}`;
      return { action: 'execute-api:Invoke', resource, name: 'Invoke' };
    },

    handle(req: LocalRequest): LocalResponse {
      const path = subpath(req);
      const page =
        path === undefined || !Object.hasOwn(config.executeApi, path)
          ? undefined
          : config.executeApi[path];
      if (req.method !== 'GET' || page === undefined) return NOT_FOUND;
      return { status: 200, headers: { 'content-type': 'text/plain; version=0.0.4' }, body: page };
    },
  };
}
