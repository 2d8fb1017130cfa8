/**
 * What must never happen to a log line, tried with real processes: the agent
 * SIGKILLed again and again while its file is written and rotated, its WAL's
 * disk full, its positions file corrupt, and lines no parser expects (10 MB,
 * invalid UTF-8, a binary file). Each ends with counts: what was written,
 * what arrived, how often.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Random, seedFromEnv } from '../../helpers/random.js';
import { startSignet } from '../../helpers/signet-child.js';
import { fillUp, mountTmpfs } from '../../helpers/tmpfs.js';
import { tempDir, waitFor } from '../../agent/harness.js';
import { startReceiver, type ScriptedReceiver } from '../../sinks/loki/receiver.js';
import { decodePush } from '../../sinks/loki/wire.js';

const dirs: { remove(): void }[] = [];
after(() => dirs.forEach((d) => d.remove()));

function workDir(): string {
  const d = tempDir('signet-logs-rel-');
  dirs.push(d);
  return d.path;
}

function acceptedLines(receiver: ScriptedReceiver): string[] {
  return receiver.pushes
    .filter((p) => p.status < 300)
    .flatMap((p) => decodePush(p.body))
    .flatMap((s) => s.entries.map((e) => e.line));
}

function config(dir: string, url: string, extra = ''): string {
  return `server: { http_listen_address: 127.0.0.1, http_listen_port: 0, graceful_shutdown_timeout: 2s }
logs:
  positions_directory: ${dir}/positions
  global:
    file_watch_config: { min_poll_frequency: 25ms, max_poll_frequency: 100ms }
  configs:
  - name: rel
    positions: { sync_period: 50ms }
    target_config: { sync_period: 100ms }
    clients:
    - url: ${url}
      batchwait: 20ms
      backoff_config: { min_period: 20ms, max_period: 200ms, max_retries: 0 }
    scrape_configs:
    - job_name: app
      static_configs: [{ labels: { job: app, __path__: "${dir}/app.log" } }]
${extra}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('logs reliability', () => {
  test('SIGKILLed 10 times at random moments while the file is written and rotated: no line lost', async () => {
    const random = new Random(seedFromEnv(12));
    const dir = workDir();
    const receiver = await startReceiver();
    const log = join(dir, 'app.log');
    writeFileSync(log, '');
    let written = 0;
    let rotations = 0;
    let writing = true;
    // About 2,000 lines a second, appended while the agent runs, dies and restarts.
    const writer = (async () => {
      while (writing) {
        let chunk = '';
        for (let i = 0; i < 20; i++) chunk += `seq ${++written}\n`;
        appendFileSync(log, chunk);
        await sleep(10);
      }
    })();
    const rotate = (): void => {
      renameSync(log, `${log}.${++rotations}`);
      writeFileSync(log, '');
    };
    const yaml = config(dir, receiver.url);
    for (let kill = 0; kill < 10; kill++) {
      const agent = await startSignet(dir, yaml);
      await sleep(200 + random.int(700));
      // Rename rotations while it runs and while it is down, each at most once a cycle
      // (logrotate rotates hourly or daily; two rotations inside one restart would need
      // the rotated files' order, which device and inode do not give).
      if (kill % 2 === 0) rotate();
      await sleep(random.int(300));
      await agent.kill();
      if (kill % 3 === 1) rotate();
    }
    writing = false;
    await writer;
    const agent = await startSignet(dir, yaml);
    const missing = (): string => {
      const got = new Set(acceptedLines(receiver));
      const ranges: string[] = [];
      for (let n = 1; n <= written; n++) {
        if (got.has(`seq ${n}`)) continue;
        let m = n;
        while (m < written && !got.has(`seq ${m + 1}`)) m++;
        ranges.push(m > n ? `${n}-${m}` : String(n));
        n = m;
      }
      return ranges.join(', ');
    };
    try {
      await waitFor('every line', () => (missing() === '' ? true : undefined), 300, 50);
    } catch {
      assert.fail(`lines missing: ${missing()}\n${agent.log()}`);
    }
    await agent.stop();
    const arrived = acceptedLines(receiver);
    const duplicates = arrived.length - new Set(arrived).size;
    console.log(
      `wrote ${written} lines with ${rotations} rotations and 10 SIGKILLs: ${arrived.length} arrived, ${duplicates} duplicates (the unacknowledged tails)`,
    );
    await receiver.close();
  });

  test('a corrupt positions file stops the start with its name; ignore_invalid_yaml starts afresh', async () => {
    const dir = workDir();
    const receiver = await startReceiver();
    writeFileSync(join(dir, 'app.log'), 'fresh 1\n');
    const positions = join(dir, 'positions', 'rel.yml');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'positions'));
    writeFileSync(positions, 'positions: [this is: not, {a mapping\n');
    await assert.rejects(startSignet(dir, config(dir, receiver.url)), (error: Error) => {
      assert.match(error.message, new RegExp(`positions file ${positions}`));
      assert.match(error.message, /ignore_invalid_yaml/);
      return true;
    });
    const yaml = config(dir, receiver.url).replace(
      'positions: { sync_period: 50ms }',
      'positions: { sync_period: 50ms, ignore_invalid_yaml: true }',
    );
    const agent = await startSignet(dir, yaml);
    await waitFor('the line, read from the start', () =>
      acceptedLines(receiver).includes('fresh 1') ? true : undefined,
    );
    await agent.stop();
    assert.match(agent.log(), /ignored \(ignore_invalid_yaml\)/);
    assert.match(readFileSync(positions, 'utf8'), /app\.log: "8"/);
    await receiver.close();
  });

  test('a 10 MB line, invalid UTF-8 and a binary file: no crash, the long line cut and counted', async () => {
    const dir = workDir();
    const receiver = await startReceiver();
    const log = join(dir, 'app.log');
    writeFileSync(
      log,
      Buffer.concat([
        Buffer.from('before\n'),
        Buffer.alloc(10 * 1024 * 1024, 'x'),
        Buffer.from('\nbad \xff\xfe utf8\n', 'latin1'),
        Buffer.from('after\n'),
      ]),
    );
    const binary = Buffer.alloc(256 * 1024);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) & 0xff;
    writeFileSync(join(dir, 'blob.log'), binary);
    const yaml = config(dir, receiver.url)
      .replace('app.log"', '*.log"')
      .replace(
        '    clients:',
        '    limits_config: { max_line_size: 1MB, max_line_size_truncate: true }\n    clients:',
      );
    const agent = await startSignet(dir, yaml);
    await waitFor('the line after the long one', () =>
      acceptedLines(receiver).includes('after') ? true : undefined,
    );
    const metrics = await (await fetch(`${agent.url}/metrics`)).text();
    await agent.stop();
    const lines = acceptedLines(receiver);
    assert.ok(lines.includes('before'));
    const long = lines.find((l) => l.startsWith('xxx'));
    assert.equal(long?.length, 1024 * 1024, 'cut at max_line_size');
    assert.ok(lines.includes('bad \uFFFD\uFFFD utf8'), 'invalid bytes replaced, the line kept');
    assert.match(metrics, new RegExp(`signet_logs_truncated_lines_total\\{path="${log}"\\} [1-9]`));
    assert.match(metrics, /promtail_read_lines_total\{path="[^"]*blob\.log"\} [1-9]/);
    await receiver.close();
  });

  test('a full disk under the logs WAL: a clear error, reading waits, nothing lost once space returns', async (t) => {
    const mnt = mountTmpfs(t);
    if (mnt === undefined) return;
    try {
      const dir = workDir();
      const receiver = await startReceiver();
      const log = join(dir, 'app.log');
      writeFileSync(log, 'before full 1\n');
      const yaml = config(dir, receiver.url).replace(
        '    positions:',
        `    wal_config: { dir: ${mnt.path}/wal }\n    positions:`,
      );
      const agent = await startSignet(dir, yaml);
      await waitFor('the first line', () =>
        acceptedLines(receiver).includes('before full 1') ? true : undefined,
      );
      const filler = join(mnt.path, 'filler');
      fillUp(filler);
      let n = 0;
      const big = 'y'.repeat(200);
      let chunk = '';
      for (; n < 2000; n++) chunk += `full ${n} ${big}\n`;
      appendFileSync(log, chunk);
      await waitFor('the error', () =>
        /cannot write the logs WAL/.test(agent.log()) ? true : undefined,
      );
      const positionsBefore = readFileSync(join(dir, 'positions', 'rel.yml'), 'utf8');
      const { rmSync } = await import('node:fs');
      rmSync(filler);
      await waitFor('every line after space returned', () => {
        const got = new Set(acceptedLines(receiver));
        for (let i = 0; i < n; i++) if (!got.has(`full ${i} ${big}`)) return undefined;
        return true;
      });
      await agent.stop();
      assert.match(agent.log(), /the logs WAL is writable again/);
      assert.ok(existsSync(join(mnt.path, 'wal')));
      assert.doesNotMatch(
        positionsBefore,
        /"[0-9]{5,}"/,
        'positions did not pass lines the WAL refused',
      );
      await receiver.close();
    } finally {
      mnt.unmount();
    }
  });
});
