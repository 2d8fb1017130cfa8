/**
 * The WAL behind the queues: when a queue is full the delivery switches to
 * reading the WAL and goes live again once caught up, with nothing skipped;
 * sent segments are truncated; and wal_cleanup_age bounds how long unsent
 * segments are kept for a destination that never recovers, saying what it
 * dropped.
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { Agent } from '../../src/agent/agent.js';
import { parseAgentConfig } from '../../src/config/agent/load.js';
import { Receiver } from '../sinks/remote-write/receiver.js';
import {
  acceptedValues,
  counterTarget,
  LogCapture,
  metricsPipelines,
  tempDir,
  waitFor,
} from './harness.js';

const segments = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.wal'));

test('a full queue hands over to the WAL and back: every value arrives, and sent segments are truncated', async (t) => {
  const dir = tempDir('signet-backpressure-');
  t.after(() => dir.remove());
  const target = await counterTarget('bp_scrape_number', 100);
  t.after(() => target.close());
  let down = true;
  const receiver = new Receiver(() => ({ status: down ? 503 : 200 }));
  await receiver.start();
  t.after(() => receiver.stop());
  const { config } = parseAgentConfig(
    `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${join(dir.path, 'wal')}
  global: { scrape_interval: 200ms, scrape_timeout: 200ms }
  configs:
    - name: bp
      scrape_configs:
        - job_name: counter
          static_configs: [{ targets: ['${target.address}'] }]
      remote_write:
        - name: rx
          url: ${receiver.url}
          queue_config:
            { capacity: 500, max_shards: 1, min_shards: 1, max_samples_per_send: 500,
              batch_send_deadline: 50ms, min_backoff: 10ms, max_backoff: 50ms }
`,
    'bp.yaml',
  );
  const logs = new LogCapture();
  const first = target.scrapes + 1;
  const agent = await Agent.start(config, [], {
    logStream: logs,
    env: {},
    segmentBytes: 16 * 1024,
    truncateEveryMs: 200,
  });
  t.after(() => agent.stop(500));
  await waitFor('the queue behind, reading the WAL', () =>
    logs.lines.some((l) => /is behind; reading from the WAL/.test(l)) ? true : undefined,
  );
  const walDir = join(dir.path, 'wal', 'bp');
  await waitFor('several segments while the endpoint is down', () =>
    segments(walDir).length >= 4 ? true : undefined,
  );
  const downTo = target.scrapes - 1;
  down = false;
  await waitFor(
    'every value scraped while down',
    () => {
      const values = acceptedValues(receiver, 'bp_scrape_number').values;
      for (let v = first; v <= downTo; v++) if (!values.has(v)) return undefined;
      return true;
    },
    900,
  );
  const [pipeline] = metricsPipelines(agent);
  assert.ok(pipeline!.deliveries[0]!.walReadSamples > 0, 'samples were read back from the WAL');
  await waitFor('sent segments truncated', () => (segments(walDir).length <= 2 ? true : undefined));
  assert.equal(pipeline!.queues[0]!.stats().samplesFailed, 0);
});

/** An agent whose only endpoint answers 503 for good, with `bound` in its metrics block. */
async function neverRecovering(
  t: TestContext,
  name: string,
  bound: string,
  tuning: { segmentBytes: number; truncateEveryMs: number; intervalMs: number },
): Promise<{ agent: Agent; logs: LogCapture; walDir: string }> {
  const dir = tempDir(`signet-${name}-`);
  t.after(() => dir.remove());
  const target = await counterTarget(`${name}_scrape_number`, 300);
  t.after(() => target.close());
  const receiver = new Receiver(() => ({ status: 503 }));
  await receiver.start();
  t.after(() => receiver.stop());
  const { config } = parseAgentConfig(
    `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${join(dir.path, 'wal')}
  ${bound}
  global: { scrape_interval: ${tuning.intervalMs}ms, scrape_timeout: ${tuning.intervalMs}ms }
  configs:
    - name: ${name}
      scrape_configs:
        - job_name: counter
          static_configs: [{ targets: ['${target.address}'] }]
      remote_write:
        - name: rx
          url: ${receiver.url}
          queue_config: { batch_send_deadline: 50ms, min_backoff: 10ms, max_backoff: 50ms }
`,
    `${name}.yaml`,
  );
  const logs = new LogCapture();
  const agent = await Agent.start(config, [], {
    logStream: logs,
    env: {},
    segmentBytes: tuning.segmentBytes,
    truncateEveryMs: tuning.truncateEveryMs,
  });
  t.after(() => agent.stop(500));
  return { agent, logs, walDir: join(dir.path, 'wal', name) };
}

test('wal_cleanup_age drops unsent segments of a destination that never recovers, and says so', async (t) => {
  const { agent, logs, walDir } = await neverRecovering(t, 'age', 'wal_cleanup_age: 1s', {
    segmentBytes: 64 * 1024,
    truncateEveryMs: 200,
    intervalMs: 100,
  });
  await waitFor('unsent segments dropped for age', () =>
    logs.lines.some((l) => /older than wal_cleanup_age or beyond wal_max_size .*lost/.test(l))
      ? true
      : undefined,
  );
  const metrics = await (await fetch(`${agent.server.url}/metrics`)).text();
  const dropped = /signet_wal_segments_dropped_unsent_total (\d+)/.exec(metrics)?.[1];
  assert.ok(Number(dropped) > 0, `dropped segments counted: ${dropped}`);
  // Scraping goes on at ~30 KB a second; what stays is about a second's worth.
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok(segments(walDir).length <= 4, `${segments(walDir).length} segments kept`);
});

test('wal_max_size bounds the WAL of a destination that never recovers', async (t) => {
  const { logs, walDir } = await neverRecovering(t, 'size', 'wal_max_size: 256KiB', {
    segmentBytes: 32 * 1024,
    truncateEveryMs: 100,
    intervalMs: 50,
  });
  await waitFor('unsent segments dropped for size', () =>
    logs.lines.some((l) => /beyond wal_max_size .*lost/.test(l)) ? true : undefined,
  );
  const bytes = (): number =>
    segments(walDir).reduce((n, f) => n + statSync(join(walDir, f)).size, 0);
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 200));
    // The bound plus the segment being written and one truncation period's growth.
    assert.ok(bytes() <= 256 * 1024 + 2 * 32 * 1024, `${bytes()} bytes on disk`);
  }
});
