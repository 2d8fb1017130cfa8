/**
 * wal_cleanup_period sets how often the WAL is truncated, seen where it
 * shows: segments every remote_write has sent are deleted within a short
 * period, and are still there when the period is long. A test's own
 * truncation interval (AgentOptions.truncateEveryMs) still wins.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, type AgentOptions } from '../../../src/agent/agent.js';
import { parseAgentConfig } from '../../../src/config/agent/load.js';
import { segmentFileName } from '../../../src/buffer/wal/format.js';
import type { TestTarget } from '../../agent/harness.js';
import { LogCapture, counterTarget, tempDir, waitFor } from '../../agent/harness.js';
import { Receiver } from '../../sinks/remote-write/receiver.js';

let target: TestTarget;
let receiver: Receiver;
before(async () => {
  // Enough series that 4 KiB segments fill in a few scrapes.
  target = await counterTarget('wal_period_total', 50);
  receiver = new Receiver();
  await receiver.start();
});
after(async () => {
  await target.close();
  await receiver.stop();
});

/** Runs the agent until a few segments exist; tells whether the first one is gone by then. */
async function firstSegmentDeleted(
  period: string,
  options: Pick<AgentOptions, 'truncateEveryMs'> = {},
): Promise<boolean> {
  const wal = tempDir('signet-wal-period-');
  const { config } = parseAgentConfig(
    `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${wal.path}
  wal_cleanup_period: ${period}
  global: { scrape_interval: 50ms, scrape_timeout: 50ms }
  configs:
    - name: period
      scrape_configs:
        - job_name: counter
          static_configs: [{ targets: ['${target.address}'] }]
      remote_write:
        - { url: '${receiver.url}', queue_config: { batch_send_deadline: 20ms } }
`,
    'wal-period.yaml',
  );
  const agent = await Agent.start(config, [], {
    logStream: new LogCapture(),
    env: {},
    segmentBytes: 4096,
    ...options,
  });
  const dir = join(wal.path, 'period');
  const first = join(dir, segmentFileName(1));
  try {
    await waitFor('the first segment', () => (existsSync(first) ? true : undefined));
    // Several segments written and sent: truncation has had something to delete.
    await waitFor('five segments written', () =>
      readdirSync(dir).some((f) => f === segmentFileName(6)) ? true : undefined,
    );
    await waitFor('samples at the receiver', () =>
      receiver.received.length > 0 ? true : undefined,
    );
    // Give a short period several turns; a long one none.
    await new Promise((r) => setTimeout(r, 1000));
    return !existsSync(first);
  } finally {
    await agent.stop(1000);
    wal.remove();
  }
}

describe('metrics.wal_cleanup_period', () => {
  test('a short period truncates sent segments; a long one leaves them', async () => {
    assert.equal(await firstSegmentDeleted('200ms'), true, 'deleted within a 200ms period');
    assert.equal(await firstSegmentDeleted('1h'), false, 'kept under a 1h period');
  });

  test("a test's truncateEveryMs still wins over the file", async () => {
    assert.equal(await firstSegmentDeleted('1h', { truncateEveryMs: 200 }), true);
  });
});
