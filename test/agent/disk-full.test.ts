import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from '../../src/agent/agent.js';
import { parseAgentConfig } from '../../src/config/agent/load.js';
import { SIGNET_BIN } from '../helpers/run-cli.js';
import { fillUp, mountTmpfs } from '../helpers/tmpfs.js';
import { Receiver } from '../sinks/remote-write/receiver.js';
import {
  acceptedValues,
  apiTargets,
  counterTarget,
  LogCapture,
  tempDir,
  waitFor,
  type TestTarget,
  metricsPipelines,
} from './harness.js';

/** A counter whose value is the number of the scrape serving it, plus some padding series. */
let target: TestTarget;
before(async () => {
  target = await counterTarget('diskfull_scrape_number', 40);
});
after(() => target.close());

function config(wal: string, receiver: Receiver): string {
  return `server: { log_level: info, http_listen_port: 0 }
metrics:
  wal_directory: ${wal}
  global: { scrape_interval: 100ms, scrape_timeout: 100ms }
  configs:
    - name: disk
      scrape_configs:
        - job_name: counter
          static_configs: [{ targets: ['${target.address}'] }]
      remote_write:
        - name: rx
          url: ${receiver.url}
          queue_config: { min_backoff: 10ms, max_backoff: 100ms, batch_send_deadline: 50ms }
`;
}

/** Values of diskfull_scrape_number the receiver accepted. */
function accepted(receiver: Receiver): Set<number> {
  return acceptedValues(receiver, 'diskfull_scrape_number').values;
}

/** Waits until every value in from..to has reached the receiver. */
function allArrive(receiver: Receiver, from: number, to: number, what: string): Promise<true> {
  return waitFor(what, () => {
    const got = accepted(receiver);
    for (let v = from; v <= to; v++) if (!got.has(v)) return undefined;
    return true;
  });
}

function walBytes(dir: string): number {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.wal'))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

const walLogLines = (lines: readonly string[]) =>
  lines.filter((l) => l.includes('cannot write the WAL'));

async function startOn(mnt: string, receiver: Receiver, logs: LogCapture): Promise<Agent> {
  const { config: parsed } = parseAgentConfig(config(join(mnt, 'wal'), receiver), 'disk.yaml');
  return Agent.start(parsed, [], {
    logStream: logs,
    env: {},
    segmentBytes: 4096,
    // Truncation would free space by itself; these tests decide when space returns.
    truncateEveryMs: 600_000,
  });
}

describe('a full disk under the running agent', () => {
  test('tmpfs wal_directory fills up: one clear error, scraping and sending go on from memory, recovery is logged', async (t) => {
    const mnt = mountTmpfs(t);
    if (!mnt) return;
    const receiver = new Receiver();
    await receiver.start();
    const walDir = join(mnt.path, 'wal', 'disk');
    const logs = new LogCapture();
    const agent = await startOn(mnt.path, receiver, logs);
    const filler = join(mnt.path, 'filler');
    try {
      const first = target.scrapes + 1;
      await allArrive(receiver, first, first + 4, 'samples while the disk has room');
      assert.deepEqual(walLogLines(logs.lines), []);

      fillUp(filler);
      const error = await waitFor('the WAL error in the log', () => walLogLines(logs.lines)[0]);
      assert.match(error, /level=error/);
      assert.match(error, /disk is full \(ENOSPC\)/);
      assert.match(error, /code=ENOSPC/);
      assert.match(error, /hint="free space on the volume/);
      assert.match(error, /still sent from memory/);

      // Full: scraping goes on and every new value still reaches the receiver.
      const fullFrom = target.scrapes + 1;
      const bytesWhileFull = walBytes(walDir);
      await waitFor('more scrapes while full', () =>
        target.scrapes >= fullFrom + 10 ? true : undefined,
      );
      const fullTo = target.scrapes - 1;
      await allArrive(receiver, fullFrom, fullTo, 'samples scraped while the disk is full');
      assert.equal(walBytes(walDir), bytesWhileFull, 'nothing reached the full disk');
      const failed = metricsPipelines(agent)[0]!.storage.walErrors;
      assert.ok(failed >= 10, `every scrape's append failed and was counted (${failed})`);
      assert.equal(walLogLines(logs.lines).length, 1, 'logged once, not once per append');
      const metrics = await (await fetch(`${agent.server.url}/metrics`)).text();
      const counted = Number(/^signet_wal_write_errors_total (\d+)/m.exec(metrics)?.[1]);
      assert.ok(counted >= failed, `signet_wal_write_errors_total ${counted}`);
      assert.deepEqual(
        (await apiTargets(agent.server.url)).map((x) => x.health),
        ['up'],
      );
      assert.ok(!logs.lines.some((l) => l.includes('writable again')));

      // Space returns: the agent says so and the WAL grows again.
      rmSync(filler);
      await waitFor('the recovery in the log', () =>
        logs.lines.some((l) => /level=info .*the WAL is writable again/.test(l)) ? true : undefined,
      );
      const backFrom = target.scrapes + 1;
      await allArrive(receiver, backFrom, backFrom + 5, 'samples after space returned');
      assert.ok(walBytes(walDir) > bytesWhileFull, 'appends reach the WAL again');
      assert.equal(walLogLines(logs.lines).length, 1);
      assert.equal(metricsPipelines(agent)[0]!.queues[0]!.stats().samplesFailed, 0);
    } catch (error) {
      t.diagnostic(logs.lines.join('\n'));
      throw error;
    } finally {
      rmSync(filler, { force: true });
      await agent.stop(1000).finally(async () => {
        await receiver.stop();
        mnt.unmount();
      });
    }
  });

  test('stopped while the disk is still full: the WAL is closed, the unsaved progress is a warning', async (t) => {
    const mnt = mountTmpfs(t);
    if (!mnt) return;
    const receiver = new Receiver();
    await receiver.start();
    const logs = new LogCapture();
    const agent = await startOn(mnt.path, receiver, logs);
    try {
      const first = target.scrapes + 1;
      await allArrive(receiver, first, first + 2, 'samples while the disk has room');
      fillUp(join(mnt.path, 'filler'));
      await waitFor('the WAL error', () => walLogLines(logs.lines)[0]);
      // Sent samples move the saved position on, so stop has progress to save.
      const sentBefore = receiver.received.length;
      await waitFor('a send after the error', () =>
        receiver.received.length > sentBefore + 1 ? true : undefined,
      );
      await agent.stop(1000);
      const warning = logs.lines.find((l) => l.includes('progress'));
      assert.match(warning ?? '', /level=warn .*disk is full \(ENOSPC\).*resen/);
    } finally {
      await receiver.stop();
      // Fails with EBUSY if stop left a WAL segment open.
      mnt.unmount();
    }
  });

  test('RLIMIT_FSIZE on a `signet run` child: EFBIG logged once, sending goes on, lifting the limit recovers', async (t) => {
    if (spawnSync('prlimit', ['--version']).status !== 0) {
      t.skip('prlimit is not installed');
      return;
    }
    const dir = tempDir('signet-agent-fsize-');
    const receiver = new Receiver();
    await receiver.start();
    const file = join(dir.path, 'agent.yaml');
    writeFileSync(file, config(join(dir.path, 'wal'), receiver));
    // The first segment may grow to 16 KiB: a few dozen scrapes.
    const child = spawn(
      'prlimit',
      ['--fsize=16384:unlimited', process.execPath, SIGNET_BIN, 'run', `-config.file=${file}`],
      {
        env: { PATH: process.env.PATH ?? '', HOME: dir.path, AWS_EC2_METADATA_DISABLED: 'true' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    const lines: string[] = [];
    child.stderr.setEncoding('utf8').on('data', (s: string) => lines.push(...s.split('\n')));
    let exit: number | string | null | undefined;
    child.on('exit', (code, signal) => (exit = code ?? signal));
    try {
      const error = await waitFor('the EFBIG error in the log', () => walLogLines(lines)[0]);
      assert.match(error, /file size limit was reached/);
      assert.match(error, /code=EFBIG/);
      assert.match(error, /ulimit -f/);
      const limitedFrom = target.scrapes + 1;
      await waitFor('scrapes under the limit', () =>
        target.scrapes >= limitedFrom + 8 ? true : undefined,
      );
      await allArrive(receiver, limitedFrom, target.scrapes - 1, 'samples under the limit');
      assert.equal(exit, undefined, 'the agent is still running');
      assert.equal(walLogLines(lines).length, 1, 'logged once');

      const lifted = spawnSync('prlimit', ['--pid', String(child.pid), '--fsize=unlimited']);
      assert.equal(lifted.status, 0, String(lifted.stderr));
      await waitFor('the recovery in the log', () =>
        lines.some((l) => l.includes('the WAL is writable again')) ? true : undefined,
      );
      const backFrom = target.scrapes + 1;
      await allArrive(receiver, backFrom, backFrom + 5, 'samples after the limit was lifted');
      assert.equal(walLogLines(lines).length, 1);
    } finally {
      child.kill('SIGTERM');
      if (exit === undefined) await new Promise((r) => child.once('exit', r));
      await receiver.stop();
      dir.remove();
    }
    assert.equal(exit, 0, lines.join('\n'));
  });
});
