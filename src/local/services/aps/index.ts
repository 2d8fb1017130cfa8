/**
 * Amazon Managed Service for Prometheus, data plane: remote write 1.0 in, the
 * Prometheus HTTP API (a vector-selector subset of PromQL) out. Workspaces
 * need no creating: any workspace id is accepted and starts empty.
 */
import { ServiceError } from '../../service.js';
import type {
  LocalRequest,
  LocalResponse,
  LocalService,
  Operation,
  ServiceStore,
} from '../../service.js';
import { queryApi } from './query-api.js';
import { remoteWrite } from './remote-write.js';
import { matchRoute, operationFor } from './routes.js';
import { fromState, toState } from './state.js';

const SERVICE = 'aps';

export function createApsService(store: ServiceStore): LocalService {
  const series = fromState(store.load<unknown>(SERVICE));
  return {
    signingName: 'aps',
    protocol: 'rest-json',
    operation(request: LocalRequest): Operation | undefined {
      const route = matchRoute(request);
      return route && operationFor(request, route);
    },
    handle(request: LocalRequest): LocalResponse {
      const route = matchRoute(request);
      if (!route) {
        // The core only hands over requests operation() claimed.
        throw new ServiceError(
          'ResourceNotFoundException',
          `no AMP endpoint at ${request.path}`,
          404,
        );
      }
      if (route.kind === 'remote_write') {
        const stored = remoteWrite(request, route.workspaceId, series);
        if (stored > 0) store.save(SERVICE, toState(series));
        return { status: 200 };
      }
      return queryApi(route.kind, route, request, series);
    },
  };
}
