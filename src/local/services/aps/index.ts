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
import type { SeriesStore } from './series-store.js';
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
    control(request: LocalRequest): LocalResponse | undefined {
      if (request.rawPath !== '/_signet/aps/stats' || request.method !== 'GET') return undefined;
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(stats(series)),
      };
    },
  };
}

/**
 * `GET /_signet/aps/stats`: per workspace, the samples remote write brought,
 * how many repeated a stored series and timestamp (a retry after a lost
 * answer, or a sender's duplicate), and how many distinct samples are stored.
 */
function stats(series: SeriesStore) {
  const workspaces: Record<
    string,
    { samples_received: number; samples_repeated: number; samples_stored: number; series: number }
  > = {};
  for (const workspaceId of series.countedWorkspaceIds()) {
    const { samplesReceived, samplesRepeated } = series.writeCounts(workspaceId);
    let stored = 0;
    let count = 0;
    for (const s of series.series(workspaceId)) {
      stored += s.timestamps.length;
      count++;
    }
    workspaces[workspaceId] = {
      samples_received: samplesReceived,
      samples_repeated: samplesRepeated,
      samples_stored: stored,
      series: count,
    };
  }
  return { workspaces };
}
