/**
 * The pod role against the API stand-in (test/helpers/kube-apiserver.ts),
 * over real sockets: the groups and meta labels Prometheus gives, pods
 * added/changed/removed through the watch, re-listing after 410 Gone, the
 * node field selector a Promtail DaemonSet uses, errors with backoff.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KubernetesDiscoverer } from '../../../../src/sources/discovery/kubernetes/index.js';
import { KubeApiServer } from '../../../helpers/kube-apiserver.js';
import { GroupCollector, multiPortPod, settings, simplePod } from './fixtures.js';
import { waitFor } from '../../../agent/harness.js';

const FAST = { backoff: { initialMs: 50, maxMs: 200 } };

describe('kubernetes_sd_configs role: pod', () => {
  let api: KubeApiServer;
  before(async () => {
    api = await KubeApiServer.start();
  });
  after(() => api.stop());

  function discoverer(c: GroupCollector, extra: Partial<Parameters<typeof settings>[0]> = {}) {
    return new KubernetesDiscoverer({
      settings: settings({ api_server: api.url, ...extra }),
      path: 'test.kubernetes_sd_configs[0]',
      onError: c.onError,
      ...FAST,
    });
  }

  test("a sample pod's targets and meta labels are Prometheus's (pod_test.go TestPodDiscoveryBeforeRun)", async () => {
    api.add('pods', multiPortPod());
    const c = new GroupCollector();
    const d = discoverer(c);
    try {
      await d.start(c.onUpdate);
      const group = c.current.get('pod/default/testpod');
      // Written from Prometheus's expected target group, not from Signet's output.
      assert.deepEqual(group, {
        source: 'pod/default/testpod',
        targets: [
          {
            __address__: '1.2.3.4:9000',
            __meta_kubernetes_pod_container_name: 'testcontainer0',
            __meta_kubernetes_pod_container_image: 'testcontainer0:latest',
            __meta_kubernetes_pod_container_port_name: 'testport0',
            __meta_kubernetes_pod_container_port_number: '9000',
            __meta_kubernetes_pod_container_port_protocol: 'TCP',
            __meta_kubernetes_pod_container_init: 'false',
            __meta_kubernetes_pod_container_id: 'docker://a1b2c3d4e5f6',
          },
          {
            __address__: '1.2.3.4:9001',
            __meta_kubernetes_pod_container_name: 'testcontainer0',
            __meta_kubernetes_pod_container_image: 'testcontainer0:latest',
            __meta_kubernetes_pod_container_port_name: 'testport1',
            __meta_kubernetes_pod_container_port_number: '9001',
            __meta_kubernetes_pod_container_port_protocol: 'UDP',
            __meta_kubernetes_pod_container_init: 'false',
            __meta_kubernetes_pod_container_id: 'docker://a1b2c3d4e5f6',
          },
          {
            __address__: '1.2.3.4',
            __meta_kubernetes_pod_container_name: 'testcontainer1',
            __meta_kubernetes_pod_container_image: 'testcontainer1:latest',
            __meta_kubernetes_pod_container_init: 'false',
            __meta_kubernetes_pod_container_id: 'containerd://6f5e4d3c2b1a',
          },
        ],
        labels: {
          __meta_kubernetes_pod_name: 'testpod',
          __meta_kubernetes_namespace: 'default',
          __meta_kubernetes_pod_label_test_label: 'testvalue',
          __meta_kubernetes_pod_labelpresent_test_label: 'true',
          __meta_kubernetes_pod_annotation_test_annotation: 'testannotationvalue',
          __meta_kubernetes_pod_annotationpresent_test_annotation: 'true',
          __meta_kubernetes_pod_node_name: 'testnode',
          __meta_kubernetes_pod_ip: '1.2.3.4',
          __meta_kubernetes_pod_host_ip: '2.3.4.5',
          __meta_kubernetes_pod_ready: 'true',
          __meta_kubernetes_pod_phase: 'Running',
          __meta_kubernetes_pod_uid: 'abc123',
          __meta_kubernetes_pod_controller_kind: 'testcontrollerkind',
          __meta_kubernetes_pod_controller_name: 'testcontrollername',
        },
      });
      // Init containers are targets too, flagged (TestPodDiscoveryInitContainer).
      const withInit = multiPortPod() as ReturnType<typeof multiPortPod> & { spec: { initContainers?: unknown[] } };
      withInit.spec.initContainers = [{ name: 'initcontainer', image: 'initcontainer:latest' }];
      (withInit.status as { initContainerStatuses?: unknown[] }).initContainerStatuses = [
        { name: 'initcontainer', containerID: 'containerd://6f5e4d3c2b1a' },
      ];
      api.update('pods', withInit);
      const updated = await c.until('the init container', 'pod/default/testpod', (g) => g.targets.length === 4);
      assert.deepEqual(updated.targets[3], {
        __address__: '1.2.3.4',
        __meta_kubernetes_pod_container_name: 'initcontainer',
        __meta_kubernetes_pod_container_image: 'initcontainer:latest',
        __meta_kubernetes_pod_container_init: 'true',
        __meta_kubernetes_pod_container_id: 'containerd://6f5e4d3c2b1a',
      });
    } finally {
      await d.stop();
      api.remove('pods', 'default', 'testpod');
    }
  }); // prettier-ignore

  test('pods added, changed and removed through the watch produce, replace and remove their groups promptly', async () => {
    const c = new GroupCollector();
    const d = discoverer(c, { namespaces: { names: ['team-a'], own_namespace: false } });
    try {
      await d.start(c.onUpdate);
      assert.equal(c.current.size, 0);
      const started = Date.now();
      api.add('pods', simplePod('web', { namespace: 'team-a', port: 8080 }));
      api.add('pods', simplePod('elsewhere', { namespace: 'team-b' }));
      let g = await c.until('web added', 'pod/team-a/web', (g) => g.targets.length === 1);
      assert.equal(g.targets[0]!.__address__, '10.0.0.1:8080');
      assert.ok(Date.now() - started < 1000, 'the watch delivered the pod within a second');

      // A new port and a label: the group is replaced, not added to.
      const changed = simplePod('web', { namespace: 'team-a', port: 9090, labels: { app: 'web', tier: 'front' } });
      api.update('pods', changed);
      g = await c.until('web changed', 'pod/team-a/web', (g) => g.targets[0]?.__address__ === '10.0.0.1:9090');
      assert.equal(g.targets.length, 1);
      assert.equal(g.labels.__meta_kubernetes_pod_label_tier, 'front');

      api.remove('pods', 'team-a', 'web');
      g = await c.until('web removed', 'pod/team-a/web', (g) => g.targets.length === 0);
      assert.deepEqual(g, { source: 'pod/team-a/web', targets: [], labels: {} });
      // Only the namespace asked for was listed and watched.
      assert.ok(!c.current.has('pod/team-b/elsewhere'));
      const paths = new Set(api.requests.filter((r) => r.status === 200).map((r) => r.path));
      assert.ok(paths.has('/api/v1/namespaces/team-a/pods'), [...paths].join(' '));
      const watches = api.requests.filter((r) => r.query.get('watch') === '1');
      assert.ok(watches.every((r) => r.query.get('allowWatchBookmarks') === 'true'));
      assert.ok(watches.every((r) => Number(r.query.get('resourceVersion')) > 0));
    } finally {
      await d.stop();
      api.remove('pods', 'team-b', 'elsewhere');
    }
  }); // prettier-ignore

  test('a 410 Gone on the watch makes discovery list again: pods deleted meanwhile are removed, new ones added', async () => {
    api.add('pods', simplePod('stays', { namespace: 'gone' }));
    api.add('pods', simplePod('goes', { namespace: 'gone' }));
    const c = new GroupCollector();
    const d = discoverer(c, { namespaces: { names: ['gone'], own_namespace: false } });
    try {
      await d.start(c.onUpdate);
      assert.equal(c.current.get('pod/gone/goes')?.targets.length, 1);
      const lists = () => api.requests.filter((r) => r.path === '/api/v1/namespaces/gone/pods' && r.query.get('watch') !== '1').length;
      const listsBefore = lists();
      // The client is cut off; while it cannot watch, pods change and the history is compacted.
      api.holdWatches();
      api.closeWatches();
      api.remove('pods', 'gone', 'goes');
      api.add('pods', simplePod('new', { namespace: 'gone' }));
      api.expireWatches();
      api.releaseWatches();
      await c.until('the deleted pod removed', 'pod/gone/goes', (g) => g.targets.length === 0);
      await c.until('the new pod added', 'pod/gone/new', (g) => g.targets.length === 1);
      assert.equal(c.current.get('pod/gone/stays')?.targets.length, 1);
      assert.equal(lists(), listsBefore + 1, 'one re-list after the 410');

      // A bookmark moves the resourceVersion on; the next watch resumes from it.
      api.bookmark();
      const rvAtBookmark = Number(api.resourceVersion);
      await new Promise((r) => setTimeout(r, 100));
      api.closeWatches();
      const resumed = await waitForWatch(api, rvAtBookmark);
      assert.equal(Number(resumed), rvAtBookmark);
    } finally {
      await d.stop();
      for (const name of ['stays', 'new']) api.remove('pods', 'gone', name);
    }
  }); // prettier-ignore

  test('a 410 Gone answered as the watch response status (not as an event) makes discovery list again too', async () => {
    const strict = await KubeApiServer.start({ goneWatchAs: 'status' });
    strict.add('pods', simplePod('a'));
    const c = new GroupCollector();
    const d = new KubernetesDiscoverer({ settings: settings({ api_server: strict.url }), path: 'test', onError: c.onError, ...FAST });
    try {
      await d.start(c.onUpdate);
      strict.holdWatches();
      strict.closeWatches();
      strict.remove('pods', 'default', 'a');
      strict.expireWatches();
      strict.releaseWatches();
      await c.until('the pod deleted while cut off', 'pod/default/a', (g) => g.targets.length === 0);
      assert.ok(strict.requests.some((r) => r.status === 410 && r.query.get('watch') === '1'));
      assert.deepEqual(c.errors, [], 'a 410 is not a failure, only a reason to list again');
    } finally {
      await d.stop();
      await strict.stop();
    }
  }); // prettier-ignore

  test('selectors: field spec.nodeName restricts to this node, as a Promtail DaemonSet does; label selectors too', async () => {
    api.add('pods', simplePod('on-a', { namespace: 'sel', node: 'node-a' }));
    api.add('pods', simplePod('on-b', { namespace: 'sel', node: 'node-b' }));
    api.add('pods', simplePod('on-a-canary', { namespace: 'sel', node: 'node-a', labels: { track: 'canary' } }));
    const c = new GroupCollector();
    const d = discoverer(c, {
      namespaces: { names: ['sel'], own_namespace: false },
      selectors: [{ role: 'pod', field: 'spec.nodeName=node-a', label: 'track!=canary' }],
    });
    try {
      await d.start(c.onUpdate);
      assert.deepEqual([...c.current.keys()], ['pod/sel/on-a']);
      // A pod scheduled to this node later arrives; one moving away is removed.
      api.add('pods', simplePod('late', { namespace: 'sel', node: 'node-a' }));
      await c.until('the late pod on node-a', 'pod/sel/late', (g) => g.targets.length === 1);
      api.update('pods', simplePod('on-a', { namespace: 'sel', node: 'node-b' }));
      await c.until('on-a gone from node-a', 'pod/sel/on-a', (g) => g.targets.length === 0);
      assert.ok(!c.current.has('pod/sel/on-b'));
      const sent = api.requests.filter((r) => r.path === '/api/v1/namespaces/sel/pods');
      assert.ok(sent.every((r) => r.query.get('fieldSelector') === 'spec.nodeName=node-a'));
      assert.ok(sent.every((r) => r.query.get('labelSelector') === 'track!=canary'));
    } finally {
      await d.stop();
      for (const name of ['on-a', 'on-b', 'on-a-canary', 'late']) api.remove('pods', 'sel', name);
    }
  }); // prettier-ignore

  test('a watch the server ends at its timeoutSeconds is renewed from the last resourceVersion, with no error', async () => {
    api.add('pods', simplePod('steady', { namespace: 'quiet' }));
    const c = new GroupCollector();
    const d = new KubernetesDiscoverer({
      settings: settings({ api_server: api.url, namespaces: { names: ['quiet'], own_namespace: false } }),
      path: 'test',
      onError: c.onError,
      watchTimeoutSeconds: 1,
      ...FAST,
    });
    try {
      await d.start(c.onUpdate);
      const watches = () => api.requests.filter((r) => r.path === '/api/v1/namespaces/quiet/pods' && r.query.get('watch') === '1');
      const first = await waitFor('the first watch', () => watches()[0]);
      assert.equal(first.query.get('timeoutSeconds'), '1');
      api.add('pods', simplePod('later', { namespace: 'quiet' }));
      await c.until('the later pod', 'pod/quiet/later', (g) => g.targets.length === 1);
      const renewed = await waitFor('a renewed watch', () => watches()[1], 60, 50);
      assert.equal(renewed.query.get('resourceVersion'), api.get('pods', 'quiet', 'later')!.metadata.resourceVersion);
      assert.deepEqual(c.errors, []);
      assert.equal(api.requests.filter((r) => r.path === '/api/v1/namespaces/quiet/pods' && r.query.get('watch') !== '1').length, 1, 'no re-list');
    } finally {
      await d.stop();
      for (const name of ['steady', 'later']) api.remove('pods', 'quiet', name);
    }
  }); // prettier-ignore

  test('a large namespace is listed in pages of 500 with continue tokens, all of it delivered at once', async () => {
    for (let i = 0; i < 1203; i++) api.add('pods', simplePod(`p${i}`, { namespace: 'big' }));
    const c = new GroupCollector();
    const d = discoverer(c, { namespaces: { names: ['big'], own_namespace: false } });
    try {
      await d.start(c.onUpdate);
      assert.equal(c.current.size, 1203);
      assert.equal(c.updates.length, 1, 'one update for the whole list');
      const lists = api.requests.filter((r) => r.path === '/api/v1/namespaces/big/pods' && r.query.get('watch') !== '1');
      assert.deepEqual(lists.map((r) => [r.query.get('limit'), r.query.get('continue')]), [['500', null], ['500', '500'], ['500', '1000']]);
    } finally {
      await d.stop();
      for (let i = 0; i < 1203; i++) api.remove('pods', 'big', `p${i}`);
    }
  }); // prettier-ignore

  test('failures are reported and retried with backoff; the first list that works delivers the groups', async () => {
    api.add('pods', simplePod('later', { namespace: 'flaky' }));
    const c = new GroupCollector();
    const d = discoverer(c, { namespaces: { names: ['flaky'], own_namespace: false } });
    api.failNext(3, 503);
    try {
      await d.start(c.onUpdate);
      assert.match(c.errors[0] ?? '', /\/api\/v1\/namespaces\/flaky\/pods: HTTP 503/);
      await c.until('the pod after the failures', 'pod/flaky/later', (g) => g.targets.length === 1);
      assert.equal(c.errors.length, 3);
    } finally {
      await d.stop();
      api.remove('pods', 'flaky', 'later');
    }
  });
});

/** The resourceVersion of the next watch request made from `from` on. */
async function waitForWatch(api: KubeApiServer, atLeast: number): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const w = api.requests.filter((r) => r.query.get('watch') === '1').at(-1);
    const rv = w?.query.get('resourceVersion');
    if (rv && Number(rv) >= atLeast) return rv;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no watch resumed');
}
