/**
 * Pod logs as a DaemonSet reads them: `kubernetes_sd_configs` with role pod
 * restricted to this node, the guides' relabeling to the pod's log directory,
 * against the Kubernetes API stand-in. Pods added, changed and removed
 * through its watch start and stop their tails within one sync_period.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { KubeApiServer } from '../../helpers/kube-apiserver.js';
import { startSignet } from '../../helpers/signet-child.js';
import { simplePod } from '../../sources/discovery/kubernetes/fixtures.js';
import { tempDir, waitFor } from '../../agent/harness.js';
import { startReceiver, type ScriptedReceiver } from '../../sinks/loki/receiver.js';
import { decodePush } from '../../sinks/loki/wire.js';

const dirs: { remove(): void }[] = [];
after(() => dirs.forEach((d) => d.remove()));

function received(receiver: ScriptedReceiver): { labels: string; line: string }[] {
  return receiver.pushes
    .filter((p) => p.status < 300)
    .flatMap((p) => decodePush(p.body))
    .flatMap((s) => s.entries.map((e) => ({ labels: s.labels, line: e.line })));
}

/** The kubelet's layout: <root>/<namespace>_<pod>_<uid>/<container>/0.log, CRI lines. */
function podLog(root: string, ns: string, pod: string, line: string): string {
  const dir = join(root, `${ns}_${pod}_uid-${pod}`, 'main');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, '0.log');
  appendFileSync(file, `2026-12-03T10:00:00.000000001Z stdout F ${line}\n`);
  return file;
}

describe('logs from Kubernetes pods', () => {
  test('pods added, changed and removed through the watch start and stop their tails', async (t) => {
    const d = tempDir('signet-logs-k8s-');
    dirs.push(d);
    const dir = d.path;
    const pods = join(dir, 'pods');
    const api = await KubeApiServer.start({ tokens: ['daemonset-token'] });
    t.after(() => api.stop());
    const receiver = await startReceiver();
    api.add('pods', simplePod('web', { node: 'node-a', labels: { app: 'web' } }));
    api.add('pods', simplePod('elsewhere', { node: 'node-b' }));
    podLog(pods, 'default', 'web', 'web 1');
    podLog(pods, 'default', 'elsewhere', 'never read');
    const agent = await startSignet(
      dir,
      `logs:
  positions_directory: ${dir}/positions
  configs:
  - name: pods
    clients: [{ url: ${receiver.url}, batchwait: 50ms }]
    target_config: { sync_period: 500ms }
    scrape_configs:
    - job_name: kubernetes-pods
      pipeline_stages: [{ cri: {} }]
      kubernetes_sd_configs:
      - role: pod
        api_server: ${api.url}
        authorization: { credentials: daemonset-token }
        selectors: [{ role: pod, field: spec.nodeName=node-a }]
      relabel_configs:
      - source_labels: [__meta_kubernetes_pod_uid, __meta_kubernetes_pod_container_name]
        separator: /
        target_label: __path__
        replacement: ${pods}/*$1/*.log
      - source_labels: [__meta_kubernetes_namespace]
        target_label: namespace
      - source_labels: [__meta_kubernetes_pod_name]
        target_label: pod
      - source_labels: [__meta_kubernetes_pod_label_app]
        target_label: app
`,
    );
    await waitFor('the first pod', () =>
      received(receiver).some((r) => r.line === 'web 1') ? true : undefined,
    );
    const web = received(receiver).find((r) => r.line === 'web 1')!;
    assert.equal(
      web.labels,
      `{app="web", filename="${join(pods, 'default_web_uid-web', 'main', '0.log')}", namespace="default", pod="web", stream="stdout"}`,
    );

    // A pod added on this node is tailed within a sync period.
    const addedAt = Date.now();
    api.add('pods', simplePod('api', { node: 'node-a', labels: { app: 'api' } }));
    podLog(pods, 'default', 'api', 'api 1');
    await waitFor('the added pod', () =>
      received(receiver).some((r) => r.line === 'api 1') ? true : undefined,
    );
    assert.ok(Date.now() - addedAt < 2000, 'within a sync period of the watch event');

    // A changed label reaches the stream's labels.
    api.update('pods', simplePod('api', { node: 'node-a', labels: { app: 'api-v2' } }));
    await new Promise((r) => setTimeout(r, 1000));
    podLog(pods, 'default', 'api', 'api 2');
    await waitFor(
      'the changed pod',
      () => received(receiver).find((r) => r.line === 'api 2') ?? undefined,
    );
    assert.match(received(receiver).find((r) => r.line === 'api 2')!.labels, /app="api-v2"/);

    // A removed pod's file is released: what is written after is not read.
    api.remove('pods', 'default', 'web');
    await new Promise((r) => setTimeout(r, 1000));
    podLog(pods, 'default', 'web', 'web after removal');
    podLog(pods, 'default', 'api', 'api 3');
    await waitFor('the remaining pod', () =>
      received(receiver).some((r) => r.line === 'api 3') ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 300));
    await agent.stop();
    const lines = received(receiver).map((r) => r.line);
    assert.ok(!lines.includes('web after removal'), 'the removed pod is no longer tailed');
    assert.ok(!lines.includes('never read'), 'pods of other nodes are not tailed');
    await receiver.close();
  });
});
