/**
 * Which AMP data-plane endpoint a request addresses. Only the Prometheus-
 * compatible paths under `/workspaces/{id}/api/v1/` belong here; the control
 * plane (CreateWorkspace, ListWorkspaces…) is not part of this stand-in.
 */
import { accountOf, ServiceError } from '../../service.js';
import type { LocalRequest, Operation } from '../../service.js';

export type RouteKind =
  'remote_write' | 'query' | 'query_range' | 'series' | 'labels' | 'label_values';

export interface Route {
  readonly kind: RouteKind;
  readonly workspaceId: string;
  /** Set for `label_values`: the label whose values are asked for. */
  readonly labelName?: string;
}

interface Endpoint {
  readonly methods: readonly string[];
  readonly action: string;
  readonly name: string;
}

// Prometheus accepts POST (form-encoded) wherever a query may be too long for a
// URL; label values are GET-only there, and AMP follows Prometheus.
const ENDPOINTS: Readonly<Record<RouteKind, Endpoint>> = {
  remote_write: { methods: ['POST'], action: 'aps:RemoteWrite', name: 'RemoteWrite' },
  query: { methods: ['GET', 'POST'], action: 'aps:QueryMetrics', name: 'QueryMetrics' },
  query_range: { methods: ['GET', 'POST'], action: 'aps:QueryMetrics', name: 'QueryMetrics' },
  series: { methods: ['GET', 'POST'], action: 'aps:GetSeries', name: 'GetSeries' },
  labels: { methods: ['GET', 'POST'], action: 'aps:GetLabels', name: 'GetLabels' },
  label_values: { methods: ['GET'], action: 'aps:GetLabels', name: 'GetLabels' },
};

const API_PREFIX = /^\/workspaces\/([^/]+)\/api\/v1\/(.*)$/;
const LABEL_VALUES = /^label\/([^/]+)\/values$/;

/**
 * The route of a request, undefined when the path is not an AMP data-plane
 * path, and a ServiceError when it is one but names no endpoint or the wrong
 * method.
 */
export function matchRoute(request: LocalRequest): Route | undefined {
  const match = API_PREFIX.exec(request.path);
  if (!match) return undefined;
  const workspaceId = match[1] ?? '';
  const rest = match[2] ?? '';
  const route = routeFor(workspaceId, rest);
  if (!route) {
    throw new ServiceError(
      'ResourceNotFoundException',
      `no AMP endpoint /api/v1/${rest} (signet local serves remote_write, query, query_range, series, labels and label/{name}/values)`,
      404,
    );
  }
  const methods = ENDPOINTS[route.kind].methods;
  if (!methods.includes(request.method.toUpperCase())) {
    throw new ServiceError(
      'MethodNotAllowedException',
      `/api/v1/${rest} accepts ${methods.join(' or ')}, not ${request.method}`,
      405,
    );
  }
  return route;
}

function routeFor(workspaceId: string, rest: string): Route | undefined {
  switch (rest) {
    case 'remote_write':
    case 'query':
    case 'query_range':
    case 'series':
    case 'labels':
      return { kind: rest, workspaceId };
  }
  const labelName = LABEL_VALUES.exec(rest)?.[1];
  return labelName === undefined ? undefined : { kind: 'label_values', workspaceId, labelName };
}

/** The IAM view of a route: the action, the workspace ARN and the operation name. */
export function operationFor(request: LocalRequest, route: Route): Operation {
  const endpoint = ENDPOINTS[route.kind];
  const accountId = accountOf(request);
  return {
    action: endpoint.action,
    resource: `arn:aws:aps:${request.region}:${accountId}:workspace/${route.workspaceId}`,
    name: endpoint.name,
  };
}
