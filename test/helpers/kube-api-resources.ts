/**
 * The resources the Kubernetes API stand-in serves, the Status objects it
 * answers errors with, the discovery documents kubectl reads first, and the
 * stand-in's own types.
 */
import type { ServerResponse } from 'node:http';
import type { KubeObject } from './kube-selectors.js';

export type ResourceName = 'pods' | 'nodes' | 'services' | 'endpoints' | 'endpointslices';

export interface StoredEvent {
  readonly rv: number;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly resource: string;
  readonly object: KubeObject;
  readonly previous: KubeObject | undefined;
}

export interface OpenWatch {
  readonly resource: string;
  readonly namespace: string | undefined;
  readonly matches: (obj: KubeObject) => boolean;
  readonly bookmarks: boolean;
  readonly res: ServerResponse;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
  readonly status: number;
}

export interface KubeApiServerOptions {
  /** Bearer tokens accepted; none given: no authentication. */
  readonly tokens?: readonly string[];
  /** Serve HTTPS with this certificate (PEM). */
  readonly tls?: { readonly cert: Buffer | string; readonly key: Buffer | string };
  /** How a watch from a compacted resourceVersion is refused: an ERROR event (the server's way) or a 410 response. */
  readonly goneWatchAs?: 'event' | 'status';
}

export interface ResourceInfo {
  readonly kind: string;
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
  readonly singular: string;
  readonly shortNames: readonly string[];
}

export const RESOURCES: Readonly<Record<string, ResourceInfo>> = {
  pods: { kind: 'Pod', group: '', version: 'v1', namespaced: true, singular: 'pod', shortNames: ['po'] },
  nodes: { kind: 'Node', group: '', version: 'v1', namespaced: false, singular: 'node', shortNames: ['no'] },
  services: { kind: 'Service', group: '', version: 'v1', namespaced: true, singular: 'service', shortNames: ['svc'] },
  endpoints: { kind: 'Endpoints', group: '', version: 'v1', namespaced: true, singular: 'endpoints', shortNames: ['ep'] },
  endpointslices: { kind: 'EndpointSlice', group: 'discovery.k8s.io', version: 'v1', namespaced: true, singular: 'endpointslice', shortNames: [] },
}; // prettier-ignore

export function status(code: number, reason: string, message: string): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}

export function apiVersionOf(info: ResourceInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** What kubectl asks before it lists: the API versions, groups and resources. */
export function discoveryDocument(path: string, serverUrl: string): unknown {
    const resources = (group: string) =>
      Object.entries(RESOURCES)
        .filter(([, info]) => info.group === group)
        .map(([name, info]) => ({
          name,
          singularName: info.singular,
          namespaced: info.namespaced,
          kind: info.kind,
          verbs: ['get', 'list', 'watch'],
          shortNames: info.shortNames,
        }));
    switch (path) {
      case '/api':
        return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: serverUrl.replace(/^https?:\/\//, '') }] };
      case '/apis':
        return {
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: [{ name: 'discovery.k8s.io', versions: [{ groupVersion: 'discovery.k8s.io/v1', version: 'v1' }], preferredVersion: { groupVersion: 'discovery.k8s.io/v1', version: 'v1' } }],
        };
      case '/api/v1':
        return { kind: 'APIResourceList', groupVersion: 'v1', resources: resources('') };
      case '/apis/discovery.k8s.io/v1':
        return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'discovery.k8s.io/v1', resources: resources('discovery.k8s.io') };
      case '/version':
        return { major: '1', minor: '29', gitVersion: 'v1.29.0-signet-stand-in', platform: 'linux/amd64' };
    }
    return undefined;
} // prettier-ignore
