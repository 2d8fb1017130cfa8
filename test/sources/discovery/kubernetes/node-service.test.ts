/**
 * The node and service roles against the API stand-in; the expected groups
 * are written from Prometheus's documentation of the roles' meta labels and
 * its node_test.go / service_test.go fixtures, not from Signet's output.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KubernetesDiscoverer } from '../../../../src/sources/discovery/kubernetes/index.js';
import { KubeApiServer } from '../../../helpers/kube-apiserver.js';
import { GroupCollector, settings } from './fixtures.js';

describe('kubernetes_sd_configs roles: node and service', () => {
  let api: KubeApiServer;
  before(async () => {
    api = await KubeApiServer.start();
  });
  after(() => api.stop());

  const start = async (role: 'node' | 'service', extra = {}) => {
    const c = new GroupCollector();
    const d = new KubernetesDiscoverer({
      settings: settings({ role, api_server: api.url, ...extra }),
      path: 'test',
      onError: c.onError,
      backoff: { initialMs: 50, maxMs: 200 },
    });
    await d.start(c.onUpdate);
    return { c, d };
  };

  test('node: the kubelet address by Prometheus’s address priority, instance the node name, its meta labels', async () => {
    api.add('nodes', {
      metadata: { name: 'test', labels: { 'test-label': 'testvalue' }, annotations: { 'test-annotation': 'testannotationvalue' } },
      spec: { providerID: 'aws:///de-west-3a/i-abc123' },
      status: {
        addresses: [
          { type: 'Hostname', address: 'ip-1-2-3-4' },
          { type: 'InternalIP', address: '1.2.3.4' },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      },
    });
    const { c, d } = await start('node');
    try {
      assert.deepEqual(c.current.get('node/test'), {
        source: 'node/test',
        targets: [
          {
            __address__: '1.2.3.4:10250',
            instance: 'test',
            __meta_kubernetes_node_address_InternalIP: '1.2.3.4',
            __meta_kubernetes_node_address_Hostname: 'ip-1-2-3-4',
          },
        ],
        labels: {
          __meta_kubernetes_node_name: 'test',
          __meta_kubernetes_node_provider_id: 'aws:///de-west-3a/i-abc123',
          __meta_kubernetes_node_label_test_label: 'testvalue',
          __meta_kubernetes_node_labelpresent_test_label: 'true',
          __meta_kubernetes_node_annotation_test_annotation: 'testannotationvalue',
          __meta_kubernetes_node_annotationpresent_test_annotation: 'true',
        },
      });
      api.remove('nodes', undefined, 'test');
      await c.until('the node removed', 'node/test', (g) => g.targets.length === 0);
    } finally {
      await d.stop();
    }
  }); // prettier-ignore

  test('service: one target per port at <name>.<namespace>.svc, cluster IP or external name by type', async () => {
    api.add('services', {
      metadata: { name: 'testservice', namespace: 'default', labels: { 'test-label': 'testvalue' }, annotations: { 'test-annotation': 'testannotationvalue' } },
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.0.0.1',
        ports: [
          { name: 'testport0', protocol: 'TCP', port: 30900 },
          { name: 'testport1', protocol: 'UDP', port: 30901 },
        ],
      },
    });
    const { c, d } = await start('service', { namespaces: { names: ['default'], own_namespace: false } });
    try {
      const common = { __meta_kubernetes_service_type: 'ClusterIP', __meta_kubernetes_service_cluster_ip: '10.0.0.1' };
      assert.deepEqual(c.current.get('svc/default/testservice'), {
        source: 'svc/default/testservice',
        targets: [
          { __address__: 'testservice.default.svc:30900', __meta_kubernetes_service_port_name: 'testport0', __meta_kubernetes_service_port_number: '30900', __meta_kubernetes_service_port_protocol: 'TCP', ...common },
          { __address__: 'testservice.default.svc:30901', __meta_kubernetes_service_port_name: 'testport1', __meta_kubernetes_service_port_number: '30901', __meta_kubernetes_service_port_protocol: 'UDP', ...common },
        ],
        labels: {
          __meta_kubernetes_namespace: 'default',
          __meta_kubernetes_service_name: 'testservice',
          __meta_kubernetes_service_label_test_label: 'testvalue',
          __meta_kubernetes_service_labelpresent_test_label: 'true',
          __meta_kubernetes_service_annotation_test_annotation: 'testannotationvalue',
          __meta_kubernetes_service_annotationpresent_test_annotation: 'true',
        },
      });
      api.update('services', {
        metadata: { name: 'testservice', namespace: 'default' },
        spec: { type: 'ExternalName', externalName: 'longer-string.example.com', ports: [{ name: 'testport', protocol: 'TCP', port: 31900 }] },
      });
      const g = await c.until('the service changed', 'svc/default/testservice', (g) => g.targets.length === 1);
      assert.deepEqual(g.targets[0], {
        __address__: 'testservice.default.svc:31900',
        __meta_kubernetes_service_port_name: 'testport',
        __meta_kubernetes_service_port_number: '31900',
        __meta_kubernetes_service_port_protocol: 'TCP',
        __meta_kubernetes_service_type: 'ExternalName',
        __meta_kubernetes_service_external_name: 'longer-string.example.com',
      });
    } finally {
      await d.stop();
    }
  }); // prettier-ignore
});
