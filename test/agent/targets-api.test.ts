/**
 * Why a target is down, and why one is not scraped at all, are served and
 * logged: Grafana Agent's targets API with scrape_error and discovered
 * labels, Prometheus's /api/v1/targets with the dropped targets' reasons, and
 * a log line each time a target's health changes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Agent } from '../../src/agent/agent.js';
import { parseAgentConfig } from '../../src/config/agent/load.js';
import { Receiver } from '../sinks/remote-write/receiver.js';
import { LogCapture, TestTarget, tempDir, waitFor } from './harness.js';

interface AgentTarget {
  instance: string;
  target_group: string;
  endpoint: string;
  state: string;
  labels: Record<string, string>;
  discovered_labels: Record<string, string>;
  last_scrape: string | null;
  scrape_duration_ms: number;
  scrape_error: string;
}

test('the targets APIs say why a target is down and why one was dropped; health changes are logged', async (t) => {
  const dir = tempDir('signet-targets-');
  t.after(() => dir.remove());
  const target = await TestTarget.start('up_metric 1\n');
  t.after(() => target.close());
  const receiver = new Receiver(() => ({ status: 200 }));
  await receiver.start();
  t.after(() => receiver.stop());
  const { config } = parseAgentConfig(
    `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${join(dir.path, 'wal')}
  global: { scrape_interval: 100ms, scrape_timeout: 100ms }
  configs:
    - name: main
      scrape_configs:
        - job_name: app
          static_configs:
            - targets: ['${target.address}', 'ignored.example:9100']
              labels: { team: a }
          relabel_configs:
            - source_labels: [__address__]
              regex: ignored\\.example:.*
              action: drop
      remote_write:
        - url: ${receiver.url}
`,
    'targets.yaml',
  );
  const logs = new LogCapture();
  const agent = await Agent.start(config, [], { logStream: logs, env: {} });
  t.after(() => agent.stop(500));
  const targets = async (): Promise<AgentTarget[]> =>
    (
      (await (await fetch(`${agent.server.url}/agent/api/v1/metrics/targets`)).json()) as {
        data: AgentTarget[];
      }
    ).data;

  await waitFor('the target up', async () =>
    (await targets())[0]?.state === 'up' ? true : undefined,
  );
  const [up] = await targets();
  assert.equal(up!.instance, 'main');
  assert.equal(up!.target_group, 'app');
  assert.equal(up!.endpoint, `http://${target.address}/metrics`);
  assert.equal(up!.discovered_labels.__address__, target.address);
  assert.equal(up!.discovered_labels.team, 'a');
  assert.equal(up!.labels.instance, target.address);
  assert.equal(up!.scrape_error, '');
  assert.ok(up!.last_scrape && !Number.isNaN(Date.parse(up!.last_scrape)));

  target.status = 503;
  await waitFor('the target down', async () =>
    (await targets())[0]?.state === 'down' ? true : undefined,
  );
  const [down] = await targets();
  assert.match(down!.scrape_error, /503/);
  await waitFor('the down line', () =>
    logs.lines.some((l) => /is down.*503/.test(l)) ? true : undefined,
  );
  target.status = 200;
  await waitFor('the up-again line', () =>
    logs.lines.some((l) => /is up again/.test(l)) ? true : undefined,
  );

  const prom = (await (await fetch(`${agent.server.url}/api/v1/targets`)).json()) as {
    data: {
      activeTargets: { scrapeUrl: string; health: string }[];
      droppedTargets: { discoveredLabels: Record<string, string>; dropReason: string }[];
    };
  };
  assert.equal(prom.data.activeTargets.length, 1);
  assert.deepEqual(
    prom.data.droppedTargets.map((d) => [d.discoveredLabels.__address__, d.dropReason]),
    [['ignored.example:9100', 'dropped by relabel_configs']],
  );
  assert.ok(
    logs.lines.some((l) =>
      /job app: 1 of its discovered targets are dropped: 1 × dropped by relabel_configs/.test(l),
    ),
    logs.lines.join('\n'),
  );
});
