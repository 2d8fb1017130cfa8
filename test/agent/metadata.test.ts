import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from '../../src/agent/agent.js';
import { parseAgentConfig } from '../../src/config/agent/load.js';
import { Receiver } from '../sinks/remote-write/receiver.js';
import { LogCapture, TestTarget, tempDir, waitFor } from './harness.js';

test("metadata_config: the targets' TYPE, HELP and UNIT reach the endpoint every send_interval; send: false sends none", async (t) => {
  const a = await TestTarget.start(
    '# HELP jobs_total Jobs done.\n# TYPE jobs_total counter\njobs_total 3\n' +
      '# HELP queue_depth Jobs waiting.\n# TYPE queue_depth gauge\nqueue_depth 1\n',
  );
  const b = await TestTarget.start(
    '# HELP jobs_total Jobs done.\n# TYPE jobs_total counter\njobs_total 9\n' +
      '# TYPE untyped_thing untyped\nuntyped_thing 1\n',
  );
  const withMeta = new Receiver();
  const without = new Receiver();
  await withMeta.start();
  await without.start();
  const wal = tempDir('signet-meta-wal-');
  t.after(async () => {
    await Promise.all([a.close(), b.close(), withMeta.stop(), without.stop()]);
    wal.remove();
  });
  const yaml = `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${wal.path}
  global: { scrape_interval: 200ms, scrape_timeout: 200ms }
  configs:
    - name: meta
      scrape_configs:
        - job_name: apps
          static_configs: [{ targets: ['${a.address}', '${b.address}'] }]
      remote_write:
        - name: with
          url: ${withMeta.url}
          metadata_config: { send_interval: 300ms, max_samples_per_send: 2 }
        - name: without
          url: ${without.url}
          metadata_config: { send: false }
`;
  const { config } = parseAgentConfig(yaml, 'meta.yaml');
  const agent = await Agent.start(config, [], { logStream: new LogCapture(), env: {} });
  try {
    const rounds = await waitFor('two rounds of metadata', () => {
      const requests = withMeta.received.filter((r) => r.metadata.length > 0);
      return requests.length >= 4 ? requests : undefined;
    });
    // Three distinct families over two targets, at most two per request.
    assert.ok(rounds.every((r) => r.metadata.length <= 2 && r.series.length === 0));
    const families = new Map(
      rounds.flatMap((r) => r.metadata).map((m) => [m.metric_family_name, m]),
    );
    assert.deepEqual(
      [...families.values()]
        .map((m) => `${m.metric_family_name} ${m.type} ${JSON.stringify(m.help)}`)
        .sort(),
      [
        'jobs_total COUNTER "Jobs done."',
        'queue_depth GAUGE "Jobs waiting."',
        'untyped_thing UNKNOWN ""',
      ],
    );
    const firstRound = rounds.slice(0, 2).flatMap((r) => r.metadata);
    assert.equal(
      firstRound.length,
      3,
      'jobs_total, the same on both targets, is sent once a round',
    );
    await waitFor('samples at the other endpoint', () =>
      without.received.some((r) => r.series.length > 0) ? true : undefined,
    );
    assert.ok(without.received.every((r) => r.metadata.length === 0));
    const body = await (await fetch(`${agent.server.url}/metrics`)).text();
    assert.match(body, /prometheus_remote_storage_metadata_total\{remote_name="with"[^}]*\} [1-9]/);
  } finally {
    await agent.stop();
  }
});
