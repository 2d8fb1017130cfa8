/**
 * A metrics scrape job whose targets come from `kubernetes_sd_configs`, end
 * to end: the config loader, discovery against the API stand-in, the guides'
 * relabeling of pod meta labels, and real scrapes of a pod whose IP is
 * 127.0.0.1 and whose container port is a test target's; the target goes
 * when its pod is deleted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAgentConfig } from '../../../src/config/agent/load.js';
import { formatSeries, labelsKey, type Labels } from '../../../src/model/labels.js';
import { SeriesTable, type SampleBatch } from '../../../src/model/series.js';
import type { SampleAppender } from '../../../src/sources/scrape/appender.js';
import { ScrapeManager } from '../../../src/sources/scrape/manager.js';
import { KubeApiServer } from '../../helpers/kube-apiserver.js';
import { waitFor } from '../../agent/harness.js';
import { simplePod } from '../discovery/kubernetes/fixtures.js';

/** The series text of every sample appended. */
class SeriesSeen implements SampleAppender {
  readonly table = new SeriesTable();
  readonly series_ = new Set<string>();
  series(labels: Labels): number {
    return this.table.idOf(labelsKey(labels)) ?? this.table.create(labels).id;
  }
  append(batch: SampleBatch): void {
    for (let i = 0; i < batch.count; i++)
      this.series_.add(formatSeries(this.table.get(batch.ids[i]!)!.labels));
  }
}

describe('scrape_configs with kubernetes_sd_configs', () => {
  let api: KubeApiServer;
  let target: Server;
  let port = 0;
  const logs: string[] = [];
  before(async () => {
    api = await KubeApiServer.start({ tokens: ['scrape-token'] });
    api.setBasicAuth('agent', 's3cret');
    target = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end('# TYPE demo_requests_total counter\ndemo_requests_total 7\n');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    port = (target.address() as AddressInfo).port;
  });
  after(async () => {
    await api.stop();
    await new Promise((r) => target.close(r));
  });

  function manager(sd: string, appender: SampleAppender): ScrapeManager {
    const yaml = `metrics:
  configs:
    - name: k
      scrape_configs:
        - job_name: kubernetes-pods
          scrape_interval: 100ms
          scrape_timeout: 100ms
          kubernetes_sd_configs:
${sd}
          relabel_configs:
            - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
              action: keep
              regex: "true"
            - source_labels: [__meta_kubernetes_namespace]
              target_label: namespace
            - source_labels: [__meta_kubernetes_pod_name]
              target_label: pod
            - source_labels: [__meta_kubernetes_pod_container_name]
              target_label: container
`;
    const { config } = parseAgentConfig(yaml, 'agent.yaml');
    return new ScrapeManager({
      instance: config.instances[0]!,
      appender,
      awsClientFor: () => undefined,
      userAgent: 'Signet/test',
      log: (level, message) => logs.push(`${level}: ${message}`),
    });
  }

  function scrapedPod(name: string, node: string, scrape: string) {
    const pod = simplePod(name, { namespace: 'apps', node, ip: '127.0.0.1', port, labels: { app: 'demo' } });
    return { ...pod, metadata: { ...pod.metadata, annotations: { 'prometheus.io/scrape': scrape } } };
  } // prettier-ignore

  test('a pod discovered through the API is scraped with its relabeled meta labels, and dropped when deleted', async () => {
    api.add('pods', scrapedPod('demo', 'node-a', 'true'));
    api.add('pods', scrapedPod('not-annotated', 'node-a', 'false'));
    api.add('pods', scrapedPod('other-node', 'node-b', 'true'));
    const seen = new SeriesSeen();
    const m = manager(
      `            - role: pod
              api_server: ${api.url}
              authorization: { type: Bearer, credentials: scrape-token }
              namespaces: { names: [apps] }
              selectors:
                - role: pod
                  field: spec.nodeName=node-a
                  label: app=demo`,
      seen,
    );
    m.start();
    try {
      const series = `demo_requests_total{container="main", instance="127.0.0.1:${port}", job="kubernetes-pods", namespace="apps", pod="demo"}`;
      await waitFor(`${series} (logs: ${logs.join(' | ')})`, () => (seen.series_.has(series) ? true : undefined));
      assert.deepEqual(m.targets().map((t) => t.labels.pod), ['demo']);
      const dropped = m.dropped().map((d) => d.discoveredLabels.__meta_kubernetes_pod_name);
      assert.deepEqual(dropped, ['not-annotated'], 'dropped by relabeling; the other node’s pod never discovered');
      const discovered = m.targets()[0]!.discoveredLabels;
      assert.equal(discovered.__meta_kubernetes_pod_node_name, 'node-a');
      assert.equal(discovered.__meta_kubernetes_pod_container_port_number, String(port));
      assert.ok(api.requests.every((r) => r.authorization === 'Bearer scrape-token'));

      api.remove('pods', 'apps', 'demo');
      await waitFor('the deleted pod’s target to stop', () => (m.targets().length === 0 ? true : undefined));
    } finally {
      await m.stop();
      api.remove('pods', 'apps', 'not-annotated');
      api.remove('pods', 'apps', 'other-node');
    }
  }); // prettier-ignore

  test('a burst of pod events is applied in a few target syncs, not one per event', async () => {
    const seen = new SeriesSeen();
    const m = manager(`            - { role: pod, api_server: "${api.url}", bearer_token: scrape-token, namespaces: { names: [burst] } }`, seen);
    m.start();
    try {
      await waitFor('the first sync', () => m.counts.syncs.get('kubernetes-pods'));
      const before = m.counts.syncs.get('kubernetes-pods')!;
      for (let i = 0; i < 50; i++) api.add('pods', { ...scrapedPod(`b${i}`, 'node-a', 'true'), metadata: { name: `b${i}`, namespace: 'burst', annotations: { 'prometheus.io/scrape': 'true' } } });
      await waitFor('all 50 targets', () => (m.targets().length === 50 ? true : undefined));
      const syncs = m.counts.syncs.get('kubernetes-pods')! - before;
      assert.ok(syncs >= 1 && syncs <= 5, `${syncs} syncs for 50 events`);
    } finally {
      await m.stop();
      for (let i = 0; i < 50; i++) api.remove('pods', 'burst', `b${i}`);
    }
  }); // prettier-ignore

  test('api_server with basic_auth; a bad connection is logged, not fatal', async () => {
    api.add('pods', scrapedPod('basic', 'node-a', 'true'));
    const seen = new SeriesSeen();
    const m = manager(
      `            - role: pod
              api_server: ${api.url}
              basic_auth: { username: agent, password: s3cret }
            - role: pod
              api_server: ${api.url.replace(/:\d+$/, ':1')}`,
      seen,
    );
    m.start();
    try {
      await waitFor('the pod scraped with basic auth', () => (m.targets().some((t) => t.labels.pod === 'basic') ? true : undefined));
      const basic = `Basic ${Buffer.from('agent:s3cret').toString('base64')}`;
      assert.ok(api.requests.some((r) => r.authorization === basic));
      await waitFor('the unreachable API server logged', () => logs.find((l) => /kubernetes_sd_configs\[1\]: .*ECONNREFUSED|kubernetes_sd_configs\[1\]: .*connect/.test(l)));
      assert.ok(m.counts.kubernetesSdFailures >= 1, 'counted in prometheus_sd_kubernetes_failures_total');
    } finally {
      await m.stop();
      api.remove('pods', 'apps', 'basic');
    }
  }); // prettier-ignore
});
