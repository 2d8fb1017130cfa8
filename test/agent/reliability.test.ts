import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from '../../src/agent/agent.js';
import { parseAgentConfig } from '../../src/config/agent/load.js';
import { SIGNET_BIN } from '../helpers/run-cli.js';
import { Receiver } from '../sinks/remote-write/receiver.js';
import {
  acceptedValues,
  counterTarget,
  LogCapture,
  tempDir,
  waitFor,
  type TestTarget,
  metricsPipelines,
} from './harness.js';

let target: TestTarget;
before(async () => {
  target = await counterTarget('reliability_scrape_number');
});
after(() => target.close());

function config(wal: string, receiver: Receiver, extra = ''): string {
  return `server: { log_level: info, http_listen_port: 0 }
metrics:
  wal_directory: ${wal}
  global: { scrape_interval: 200ms, scrape_timeout: 200ms }
  configs:
    - name: rel
      scrape_configs:
        - job_name: counter
          static_configs: [{ targets: ['${target.address}'] }]
${extra}
      remote_write:
        - name: rx
          url: ${receiver.url}
          queue_config: { min_backoff: 10ms, max_backoff: 100ms, batch_send_deadline: 100ms }
`;
}

/** Values of reliability_scrape_number the receiver accepted (2xx). */
function acceptedNumbers(receiver: Receiver): Set<number> {
  return acceptedValues(receiver, 'reliability_scrape_number').values;
}

function missing(values: Set<number>, from: number, to: number): number[] {
  const gaps: number[] = [];
  for (let v = from; v <= to; v++) if (!values.has(v)) gaps.push(v);
  return gaps;
}

describe('nothing is lost', () => {
  test('the endpoint refuses connections, then answers 503, then 429, for many backoff cycles; then everything arrives', async () => {
    const wal = tempDir('signet-rel-wal-');
    let phase: 'refuse' | '503' | '429' | 'ok' = 'refuse';
    const receiver = new Receiver(() => ({
      status: phase === '503' ? 503 : phase === '429' ? 429 : 200,
    }));
    await receiver.start();
    await receiver.stop();
    const { config: parsed } = parseAgentConfig(config(wal.path, receiver), 'rel.yaml');
    const first = target.scrapes + 1;
    const agent = await Agent.start(parsed, [], { logStream: new LogCapture(), env: {} });
    try {
      await waitFor('scrapes while refused', () =>
        target.scrapes >= first + 5 ? true : undefined,
      );
      phase = '503';
      await receiver.start();
      await waitFor('503s', () =>
        receiver.received.filter((r) => r.status === 503).length >= 10 ? true : undefined,
      );
      phase = '429';
      await waitFor('429s', () =>
        receiver.received.filter((r) => r.status === 429).length >= 10 ? true : undefined,
      );
      phase = 'ok';
      const last = target.scrapes;
      await waitFor(
        'every scraped value',
        () => (missing(acceptedNumbers(receiver), first, last).length === 0 ? true : undefined),
        300,
      );
      const stats = metricsPipelines(agent)[0]!.queues[0]!.stats();
      assert.equal(stats.samplesFailed, 0, 'nothing dropped');
      assert.ok(stats.samplesRetried > 0);
    } finally {
      await agent.stop(1000);
      await receiver.stop();
      wal.remove();
    }
  });

  test('killed with SIGKILL mid-send, WAL tail corrupted, restarted: every value scraped before the kill arrives', async () => {
    const wal = tempDir('signet-rel-wal-');
    const receiver = new Receiver(() => ({ status: 503 }));
    await receiver.start();
    const file = join(wal.path, 'agent.yaml');
    writeFileSync(file, config(join(wal.path, 'wal'), receiver));
    const run = (): { child: ChildProcess; stderr: string[] } => {
      const stderr: string[] = [];
      const child = spawn(process.execPath, [SIGNET_BIN, 'run', `-config.file=${file}`], {
        env: { PATH: process.env.PATH ?? '', HOME: wal.path, AWS_EC2_METADATA_DISABLED: 'true' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr.on('data', (c: Buffer) => stderr.push(c.toString('utf8')));
      return { child, stderr };
    };
    const first = target.scrapes + 1;
    const one = run();
    await waitFor('the agent sending into 503s', () =>
      receiver.received.length >= 5 && target.scrapes >= first + 5 ? true : undefined,
    );
    one.child.kill('SIGKILL');
    await new Promise((r) => one.child.once('exit', r));
    // The last scrape may have been served but not appended when the kill landed.
    const scrapedBeforeKill = target.scrapes - 1;
    assert.equal(acceptedNumbers(receiver).size, 0, 'nothing was accepted before the kill');
    const segments = readdirSync(join(wal.path, 'wal', 'rel'))
      .filter((f) => f.endsWith('.wal'))
      .sort();
    appendFileSync(
      join(wal.path, 'wal', 'rel', segments.at(-1)!),
      Buffer.from([0x02, 0xff, 0xff, 0x00, 0x10, 0xde, 0xad]),
    );
    receiver.script = () => ({ status: 200 });
    const two = run();
    try {
      await waitFor(
        'the values scraped before the kill',
        () =>
          missing(acceptedNumbers(receiver), first, scrapedBeforeKill).length === 0
            ? true
            : undefined,
        300,
      );
      const log = two.stderr.join('');
      assert.match(log, /restored series from the WAL/);
      assert.match(log, /(cut|repair|torn|corrupt)/i, 'the corrupt tail is reported');
    } finally {
      two.child.kill('SIGTERM');
      await new Promise((r) => two.child.once('exit', r));
      await receiver.stop();
      wal.remove();
    }
  });
});
