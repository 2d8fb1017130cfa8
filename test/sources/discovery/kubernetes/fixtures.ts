/**
 * Shared by the Kubernetes discovery tests: pods as the API server stores
 * them, and a collector of the groups a discoverer announced.
 */
import type { DiscoveredGroup } from '../../../../src/sources/discovery/types.js';
import type { KubernetesSdSettings } from '../../../../src/sources/discovery/kubernetes/index.js';
import type { KubeObject } from '../../../helpers/kube-apiserver.js';
import { waitFor } from '../../../agent/harness.js';

/** Prometheus's makeMultiPortPods (discovery/kubernetes/pod_test.go). */
export function multiPortPod(): KubeObject {
  return {
    metadata: {
      name: 'testpod',
      namespace: 'default',
      labels: { 'test/label': 'testvalue' },
      annotations: { 'test/annotation': 'testannotationvalue' },
      uid: 'abc123',
      ownerReferences: [
        { kind: 'testcontrollerkind', name: 'testcontrollername', controller: true },
      ],
    },
    spec: {
      nodeName: 'testnode',
      containers: [
        {
          name: 'testcontainer0',
          image: 'testcontainer0:latest',
          ports: [
            { name: 'testport0', protocol: 'TCP', containerPort: 9000 },
            { name: 'testport1', protocol: 'UDP', containerPort: 9001 },
          ],
        },
        { name: 'testcontainer1', image: 'testcontainer1:latest' },
      ],
    },
    status: {
      podIP: '1.2.3.4',
      hostIP: '2.3.4.5',
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'testcontainer0', containerID: 'docker://a1b2c3d4e5f6' },
        { name: 'testcontainer1', containerID: 'containerd://6f5e4d3c2b1a' },
      ],
    },
  };
}

/** A running pod with one container listening on `port` at `ip`. */
export function simplePod(
  name: string,
  opts: {
    namespace?: string;
    node?: string;
    port?: number;
    ip?: string;
    labels?: Record<string, string>;
  } = {},
): KubeObject {
  return {
    metadata: {
      name,
      namespace: opts.namespace ?? 'default',
      uid: `uid-${name}`,
      labels: opts.labels ?? { app: name },
    },
    spec: {
      nodeName: opts.node ?? 'node-a',
      containers: [
        { name: 'main', image: 'example/app:1', ports: [{ name: 'http-metrics', containerPort: opts.port ?? 8080, protocol: 'TCP' }] },
      ],
    },
    status: {
      phase: 'Running',
      podIP: opts.ip ?? '10.0.0.1',
      hostIP: '192.168.0.1',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'main', containerID: `containerd://${name}` }],
    },
  }; // prettier-ignore
}

export function settings(overrides: Partial<KubernetesSdSettings> = {}): KubernetesSdSettings {
  return {
    role: 'pod',
    namespaces: { names: [], own_namespace: false },
    selectors: [],
    follow_redirects: true,
    enable_http2: true,
    ...overrides,
  };
}

/** The latest group of each source, and every update in order. */
export class GroupCollector {
  readonly current = new Map<string, DiscoveredGroup>();
  readonly updates: DiscoveredGroup[][] = [];
  readonly errors: string[] = [];
  readonly onUpdate = (groups: readonly DiscoveredGroup[]): void => {
    this.updates.push([...groups]);
    for (const g of groups) this.current.set(g.source, g);
  };
  readonly onError = (message: string): void => {
    this.errors.push(message);
  };

  /** Waits until `source`'s group passes `check`. */
  until(
    what: string,
    source: string,
    check: (g: DiscoveredGroup) => boolean,
  ): Promise<DiscoveredGroup> {
    return waitFor(
      what,
      () => {
        const g = this.current.get(source);
        return g && check(g) ? g : undefined;
      },
      100,
      50,
    );
  }
}
