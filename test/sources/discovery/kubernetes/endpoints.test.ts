/**
 * The endpoints and endpointslice roles against the API stand-in: targets
 * per address and port, the service's labels, the referenced pod's labels
 * and container port labels, and uncovered container ports as extra
 * targets. Expected groups are written from Prometheus's endpoints_test.go
 * and its documentation, not from Signet's output.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KubernetesDiscoverer } from '../../../../src/sources/discovery/kubernetes/index.js';
import { KubeApiServer, type KubeObject } from '../../../helpers/kube-apiserver.js';
import { GroupCollector, settings } from './fixtures.js';

/** Prometheus's makeEndpoints("default"). */
const ENDPOINTS: KubeObject = {
  metadata: { name: 'testendpoints', namespace: 'default', annotations: { 'test.annotation': 'test' } },
  subsets: [
    { addresses: [{ ip: '1.2.3.4', hostname: 'testendpoint1', nodeName: 'foobar' }], ports: [{ name: 'testport', port: 9000, protocol: 'TCP' }] },
    { addresses: [{ ip: '2.3.4.5' }], notReadyAddresses: [{ ip: '2.3.4.5' }], ports: [{ name: 'testport', port: 9001, protocol: 'TCP' }] },
    { addresses: [{ ip: '6.7.8.9', targetRef: { kind: 'Node', name: 'barbaz' } }], ports: [{ name: 'testport', port: 9002, protocol: 'TCP' }] },
  ],
}; // prettier-ignore

/** The pod of TestEndpointsDiscoveryAdd. */
const POD: KubeObject = {
  metadata: { name: 'testpod', namespace: 'default', uid: 'deadbeef' },
  spec: {
    nodeName: 'testnode',
    containers: [
      { name: 'c1', image: 'c1:latest', ports: [{ name: 'mainport', containerPort: 9000, protocol: 'TCP' }] },
      { name: 'c2', image: 'c2:latest', ports: [{ name: 'sideport', containerPort: 9001, protocol: 'TCP' }] },
    ],
  },
  status: { hostIP: '2.3.4.5', podIP: '1.2.3.4' },
}; // prettier-ignore

const POD_LABELS = {
  __meta_kubernetes_pod_name: 'testpod',
  __meta_kubernetes_pod_ip: '1.2.3.4',
  __meta_kubernetes_pod_ready: 'unknown',
  __meta_kubernetes_pod_phase: '',
  __meta_kubernetes_pod_node_name: 'testnode',
  __meta_kubernetes_pod_host_ip: '2.3.4.5',
  __meta_kubernetes_pod_uid: 'deadbeef',
};

describe('kubernetes_sd_configs roles: endpoints and endpointslice', () => {
  let api: KubeApiServer;
  before(async () => {
    api = await KubeApiServer.start();
  });
  after(() => api.stop());

  const start = async (role: 'endpoints' | 'endpointslice') => {
    const c = new GroupCollector();
    const d = new KubernetesDiscoverer({
      settings: settings({ role, api_server: api.url, namespaces: { names: ['default'], own_namespace: false } }),
      path: 'test',
      onError: c.onError,
      backoff: { initialMs: 50, maxMs: 200 },
    });
    await d.start(c.onUpdate);
    return { c, d };
  }; // prettier-ignore

  test('endpoints: addresses × ports with ready, hostname, node and target labels; the service’s labels follow its updates', async () => {
    api.add('endpoints', ENDPOINTS);
    api.add('services', { metadata: { name: 'testendpoints', namespace: 'default', labels: { 'app/name': 'test' } }, spec: { type: 'ClusterIP' } });
    const { c, d } = await start('endpoints');
    try {
      const tp = { __meta_kubernetes_endpoint_port_name: 'testport', __meta_kubernetes_endpoint_port_protocol: 'TCP' };
      const targets = [
        { __address__: '1.2.3.4:9000', __meta_kubernetes_endpoint_hostname: 'testendpoint1', __meta_kubernetes_endpoint_node_name: 'foobar', ...tp, __meta_kubernetes_endpoint_ready: 'true' },
        { __address__: '2.3.4.5:9001', ...tp, __meta_kubernetes_endpoint_ready: 'true' },
        { __address__: '2.3.4.5:9001', ...tp, __meta_kubernetes_endpoint_ready: 'false' },
        { __address__: '6.7.8.9:9002', __meta_kubernetes_endpoint_address_target_kind: 'Node', __meta_kubernetes_endpoint_address_target_name: 'barbaz', ...tp, __meta_kubernetes_endpoint_ready: 'true' },
      ];
      const common = {
        __meta_kubernetes_namespace: 'default',
        __meta_kubernetes_endpoints_name: 'testendpoints',
        __meta_kubernetes_endpoints_annotation_test_annotation: 'test',
        __meta_kubernetes_endpoints_annotationpresent_test_annotation: 'true',
        __meta_kubernetes_service_name: 'testendpoints',
      };
      // TestEndpointsDiscoveryWithService
      assert.deepEqual(c.current.get('endpoints/default/testendpoints'), {
        source: 'endpoints/default/testendpoints',
        targets,
        labels: { ...common, __meta_kubernetes_service_label_app_name: 'test', __meta_kubernetes_service_labelpresent_app_name: 'true' },
      });
      // TestEndpointsDiscoveryWithServiceUpdate: a service update rebuilds the endpoints' group.
      api.update('services', { metadata: { name: 'testendpoints', namespace: 'default', labels: { 'app/name': 'svc', component: 'testing' } }, spec: { type: 'ClusterIP' } });
      const g = await c.until('the service labels updated', 'endpoints/default/testendpoints', (g) => g.labels.__meta_kubernetes_service_label_component === 'testing');
      assert.deepEqual(g.labels, {
        ...common,
        __meta_kubernetes_service_label_app_name: 'svc',
        __meta_kubernetes_service_labelpresent_app_name: 'true',
        __meta_kubernetes_service_label_component: 'testing',
        __meta_kubernetes_service_labelpresent_component: 'true',
      });
      api.remove('endpoints', 'default', 'testendpoints');
      await c.until('the endpoints removed', 'endpoints/default/testendpoints', (g) => g.targets.length === 0);
    } finally {
      await d.stop();
      api.remove('services', 'default', 'testendpoints');
    }
  }); // prettier-ignore

  test('endpoints pointing at a pod carry its labels; its uncovered container ports are targets too (TestEndpointsDiscoveryAdd)', async () => {
    api.add('pods', POD);
    const { c, d } = await start('endpoints');
    try {
      api.add('endpoints', {
        metadata: { name: 'testendpoints', namespace: 'default' },
        subsets: [{ addresses: [{ ip: '4.3.2.1', targetRef: { kind: 'Pod', name: 'testpod', namespace: 'default' } }], ports: [{ name: 'testport', port: 9000, protocol: 'TCP' }] }],
      });
      const g = await c.until('the endpoints added', 'endpoints/default/testendpoints', (g) => g.targets.length > 0);
      assert.deepEqual(g, {
        source: 'endpoints/default/testendpoints',
        targets: [
          {
            __address__: '4.3.2.1:9000',
            __meta_kubernetes_endpoint_port_name: 'testport',
            __meta_kubernetes_endpoint_port_protocol: 'TCP',
            __meta_kubernetes_endpoint_ready: 'true',
            __meta_kubernetes_endpoint_address_target_kind: 'Pod',
            __meta_kubernetes_endpoint_address_target_name: 'testpod',
            ...POD_LABELS,
            __meta_kubernetes_pod_container_name: 'c1',
            __meta_kubernetes_pod_container_image: 'c1:latest',
            __meta_kubernetes_pod_container_port_name: 'mainport',
            __meta_kubernetes_pod_container_port_number: '9000',
            __meta_kubernetes_pod_container_port_protocol: 'TCP',
            __meta_kubernetes_pod_container_init: 'false',
          },
          {
            __address__: '1.2.3.4:9001',
            ...POD_LABELS,
            __meta_kubernetes_pod_container_name: 'c2',
            __meta_kubernetes_pod_container_image: 'c2:latest',
            __meta_kubernetes_pod_container_port_name: 'sideport',
            __meta_kubernetes_pod_container_port_number: '9001',
            __meta_kubernetes_pod_container_port_protocol: 'TCP',
            __meta_kubernetes_pod_container_init: 'false',
          },
        ],
        labels: { __meta_kubernetes_endpoints_name: 'testendpoints', __meta_kubernetes_namespace: 'default' },
      });
      // A pod update reaches the endpoints that point at it.
      api.update('pods', { ...POD, metadata: { ...POD.metadata, labels: { team: 'a' } } });
      await c.until('the pod label on the endpoints target', 'endpoints/default/testendpoints', (g) => g.targets[0]?.__meta_kubernetes_pod_label_team === 'a');
    } finally {
      await d.stop();
      api.remove('endpoints', 'default', 'testendpoints');
      api.remove('pods', 'default', 'testpod');
    }
  }); // prettier-ignore

  test('endpointslice: per endpoint, port and address, with conditions, zone, topology, service and pod labels', async () => {
    api.add('pods', POD);
    api.add('services', { metadata: { name: 'testendpoints', namespace: 'default', labels: { 'app/name': 'test' } }, spec: { type: 'ClusterIP' } });
    api.add('endpointslices', {
      metadata: { name: 'testendpoints-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'testendpoints' } },
      addressType: 'IPv4',
      endpoints: [
        { addresses: ['1.2.3.4'], conditions: { ready: true, serving: true, terminating: false }, hostname: 'testendpoint1', nodeName: 'foobar', zone: 'us-east-1a', deprecatedTopology: { topology: 'value' } },
        { addresses: ['4.3.2.1'], conditions: { ready: false }, targetRef: { kind: 'Pod', name: 'testpod', namespace: 'default' } },
      ],
      ports: [{ name: 'testport', port: 9000, protocol: 'TCP', appProtocol: 'http' }],
    });
    const { c, d } = await start('endpointslice');
    try {
      const g = c.current.get('endpointslice/default/testendpoints-abc');
      const port = { __meta_kubernetes_endpointslice_port_name: 'testport', __meta_kubernetes_endpointslice_port_protocol: 'TCP', __meta_kubernetes_endpointslice_port: '9000', __meta_kubernetes_endpointslice_port_app_protocol: 'http' };
      assert.deepEqual(g?.targets[0], {
        __address__: '1.2.3.4:9000',
        ...port,
        __meta_kubernetes_endpointslice_endpoint_conditions_ready: 'true',
        __meta_kubernetes_endpointslice_endpoint_conditions_serving: 'true',
        __meta_kubernetes_endpointslice_endpoint_conditions_terminating: 'false',
        __meta_kubernetes_endpointslice_endpoint_hostname: 'testendpoint1',
        __meta_kubernetes_endpointslice_endpoint_node_name: 'foobar',
        __meta_kubernetes_endpointslice_endpoint_zone: 'us-east-1a',
        __meta_kubernetes_endpointslice_endpoint_topology_topology: 'value',
        __meta_kubernetes_endpointslice_endpoint_topology_present_topology: 'true',
      });
      assert.equal(g?.targets[1]?.__meta_kubernetes_endpointslice_address_target_name, 'testpod');
      assert.equal(g?.targets[1]?.__meta_kubernetes_pod_container_name, 'c1');
      assert.equal(g?.targets[2]?.__address__, '1.2.3.4:9001', 'the pod’s uncovered port');
      assert.deepEqual(g?.labels, {
        __meta_kubernetes_namespace: 'default',
        __meta_kubernetes_endpointslice_address_type: 'IPv4',
        __meta_kubernetes_endpointslice_name: 'testendpoints-abc',
        __meta_kubernetes_endpointslice_label_kubernetes_io_service_name: 'testendpoints',
        __meta_kubernetes_endpointslice_labelpresent_kubernetes_io_service_name: 'true',
        __meta_kubernetes_service_name: 'testendpoints',
        __meta_kubernetes_service_label_app_name: 'test',
        __meta_kubernetes_service_labelpresent_app_name: 'true',
      });
      const paths = new Set(api.requests.map((r) => r.path));
      assert.ok(paths.has('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices'));
    } finally {
      await d.stop();
    }
  }); // prettier-ignore
});
