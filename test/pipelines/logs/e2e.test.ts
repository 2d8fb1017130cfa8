/**
 * The logs pipeline end to end: `signet run` as a child tails real files and
 * pushes to a Loki receiver whose bodies are decoded independently (protobufjs
 * from Loki's .proto, snappy's own decoder). What arrives is checked line by
 * line; positions are read from the file Promtail would read.
 */
import assert from 'node:assert/strict';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  renameSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';
import { startSignet } from '../../helpers/signet-child.js';
import { tempDir, waitFor } from '../../agent/harness.js';
import { startReceiver, type ScriptedReceiver } from '../../sinks/loki/receiver.js';
import { decodePush } from '../../sinks/loki/wire.js';
import { startVerifyingServer } from '../../helpers/verifying-server.js';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

interface Got {
  readonly labels: string;
  readonly line: string;
}

/** The entries Loki accepted (2xx answers), in the order they arrived. */
function accepted(receiver: ScriptedReceiver): Got[] {
  return receiver.pushes
    .filter((p) => p.status < 300)
    .flatMap((p) => decodePush(p.body))
    .flatMap((s) => s.entries.map((e) => ({ labels: s.labels, line: e.line })));
}

function lines(prefix: string, from: number, count: number): string {
  return Array.from({ length: count }, (_, i) => `${prefix} ${from + i}\n`).join('');
}

const dirs: { remove(): void }[] = [];
after(() => dirs.forEach((d) => d.remove()));

function workDir(): string {
  const d = tempDir('signet-logs-e2e-');
  dirs.push(d);
  return d.path;
}

describe('logs: tail → stages → Loki', () => {
  test('files are tailed with their labels, positions are saved in Promtail’s format, and a restart resumes there', async () => {
    const dir = workDir();
    const receiver = await startReceiver();
    const log = join(dir, 'app.log');
    writeFileSync(log, lines('line', 1, 3));
    const yaml = `logs:
  positions_directory: ${dir}/positions
  configs:
  - name: default
    clients:
    - url: ${receiver.url}
      name: local-loki
      batchwait: 100ms
      batchsize: 64KB
      timeout: 5s
      headers: { X-Test: e2e }
    positions: { sync_period: 200ms }
    target_config: { sync_period: 200ms }
    scrape_configs:
    - job_name: app
      static_configs:
      - targets: [localhost]
        labels: { job: app, __path__: "${dir}/*.log" }
      pipeline_stages:
      - static_labels: { env: dev }
`;
    let agent = await startSignet(dir, yaml);
    await waitFor('the first lines', () => (accepted(receiver).length >= 3 ? true : undefined));
    appendFileSync(log, lines('line', 4, 2));
    await waitFor('the appended lines', () => (accepted(receiver).length >= 5 ? true : undefined));
    assert.equal(await agent.stop(), 0);
    const got = accepted(receiver);
    assert.deepEqual(
      got.map((g) => g.line),
      ['line 1', 'line 2', 'line 3', 'line 4', 'line 5'],
    );
    assert.equal(got[0]!.labels, `{env="dev", filename="${log}", job="app"}`);
    assert.equal(receiver.pushes[0]!.headers['x-test'], 'e2e');
    const positions = readFileSync(join(dir, 'positions', 'default.yml'), 'utf8');
    const size = readFileSync(log).length;
    assert.match(positions, new RegExp(`^positions:\\n  ${log}: "${size}"`, 'm'));

    appendFileSync(log, lines('line', 6, 2));
    agent = await startSignet(dir, yaml);
    await waitFor('the lines written while stopped', () =>
      accepted(receiver).length >= 7 ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 300));
    await agent.stop();
    assert.deepEqual(
      accepted(receiver)
        .slice(5)
        .map((g) => g.line),
      ['line 6', 'line 7'],
      'nothing before the saved position is sent again',
    );
    await receiver.close();
  });

  test('without a WAL, a line’s position moves only once Loki took it: an outage and a SIGKILL lose nothing', async () => {
    const dir = workDir();
    const receiver = await startReceiver();
    const log = join(dir, 'app.log');
    const yaml = `logs:
  positions_directory: ${dir}/positions
  global:
    clients:
    - url: ${receiver.url}
      batchwait: 50ms
      backoff_config: { min_period: 50ms, max_period: 200ms, max_retries: 0 }
    file_watch_config: { min_poll_frequency: 50ms, max_poll_frequency: 100ms }
  configs:
  - name: outage
    positions: { sync_period: 100ms }
    scrape_configs:
    - job_name: app
      static_configs:
      - labels: { job: app, __path__: "${log}" }
`;
    // Loki is down: every push is refused with 503 until the script runs out.
    for (let i = 0; i < 1000; i++) receiver.script.push({ status: 503 });
    writeFileSync(log, lines('down', 1, 20));
    let agent = await startSignet(dir, yaml);
    await waitFor('retries', () => (receiver.pushes.length >= 5 ? true : undefined));
    // Several saves of the positions file later, a crash.
    await new Promise((r) => setTimeout(r, 400));
    await agent.kill();
    const positions = readFileSync(join(dir, 'positions', 'outage.yml'), 'utf8');
    assert.doesNotMatch(positions, /"[1-9]\d*"/, 'no position moved past an unsent line');
    receiver.script.length = 0;
    agent = await startSignet(dir, yaml);
    await waitFor('every line after the restart', () =>
      accepted(receiver).length >= 20 ? true : undefined,
    );
    await agent.stop();
    assert.deepEqual(
      accepted(receiver).map((g) => g.line),
      lines('down', 1, 20).trimEnd().split('\n'),
    );
    await receiver.close();
  });

  test('with wal_config, lines are safe once in the WAL: sent after a restart even if their file is gone', async () => {
    const dir = workDir();
    const receiver = await startReceiver();
    const log = join(dir, 'app.log');
    const yaml = `server: { http_listen_address: 127.0.0.1, http_listen_port: 0, graceful_shutdown_timeout: 1s }
logs:
  positions_directory: ${dir}/positions
  configs:
  - name: walled
    wal_config: { dir: ${dir}/wal }
    positions: { sync_period: 100ms }
    clients:
    - url: ${receiver.url}
      batchwait: 50ms
      backoff_config: { min_period: 50ms, max_period: 100ms, max_retries: 0 }
    scrape_configs:
    - job_name: app
      static_configs:
      - labels: { job: app, __path__: "${log}" }
`;
    for (let i = 0; i < 1000; i++) receiver.script.push({ status: 500 });
    writeFileSync(log, lines('walled', 1, 10));
    let agent = await startSignet(dir, yaml);
    const size = readFileSync(log).length;
    const saved = join(dir, 'positions', 'walled.yml');
    await waitFor('the position to pass every line (they are in the WAL)', () =>
      existsSync(saved) && readFileSync(saved, 'utf8').includes(`"${size}"`) ? true : undefined,
    );
    await agent.stop();
    rmSync(log);
    receiver.script.length = 0;
    agent = await startSignet(dir, yaml);
    await waitFor('the lines, from the WAL', () =>
      accepted(receiver).length >= 10 ? true : undefined,
    );
    await agent.stop();
    assert.deepEqual(
      accepted(receiver).map((g) => g.line),
      lines('walled', 1, 10).trimEnd().split('\n'),
    );
    await receiver.close();
  });

  test('encoding and decompression: a UTF-16 file and a gzipped one arrive as text', async () => {
    const dir = workDir();
    const receiver = await startReceiver();
    writeFileSync(join(dir, 'win.log'), Buffer.from('grüße 1\r\ngrüße 2\r\n', 'utf16le'));
    writeFileSync(join(dir, 'old.log.gz'), gzipSync('packed 1\npacked 2\n'));
    const agent = await startSignet(
      dir,
      `logs:
  positions_directory: ${dir}/positions
  configs:
  - name: decode
    positions: { filename: ${dir}/decode-positions.yaml }
    clients: [{ url: ${receiver.url}, batchwait: 50ms }]
    scrape_configs:
    - job_name: windows
      encoding: UTF-16LE
      static_configs: [{ labels: { job: win, __path__: "${dir}/win.log" } }]
    - job_name: archives
      decompression: { enabled: true, format: gz }
      static_configs: [{ labels: { job: gz, __path__: "${dir}/*.gz" } }]
`,
    );
    await waitFor('both files', () => (accepted(receiver).length >= 4 ? true : undefined));
    await agent.stop();
    assert.match(readFileSync(join(dir, 'decode-positions.yaml'), 'utf8'), /win\.log: "36"/);
    assert.deepEqual(
      accepted(receiver)
        .map((g) => g.line)
        .sort(),
      ['grüße 1', 'grüße 2', 'packed 1', 'packed 2'],
    );
    await receiver.close();
  });

  test('a client with sigv4 signs every push (checked with @smithy/signature-v4)', async () => {
    const dir = workDir();
    const server = await startVerifyingServer(new Map([[KEY_ID, SECRET]]));
    writeFileSync(join(dir, 'app.log'), 'signed 1\nsigned 2\n');
    const agent = await startSignet(
      dir,
      `logs:
  positions_directory: ${dir}/positions
  configs:
  - name: signed
    clients:
    - url: ${server.url}/loki/api/v1/push
      batchwait: 50ms
      sigv4: { region: eu-west-1 }
    scrape_configs:
    - job_name: app
      static_configs: [{ labels: { job: app, __path__: "${dir}/app.log" } }]
`,
      { AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET },
    );
    await waitFor('a signed push', () => (server.received.length >= 1 ? true : undefined));
    await agent.stop();
    const push = server.received[0]!;
    assert.equal(push.verified, true);
    assert.match(
      String(push.headers.authorization),
      new RegExp(`Credential=${KEY_ID}/\\d{8}/eu-west-1/execute-api/aws4_request`),
    );
    assert.deepEqual(
      decodePush(push.body).flatMap((s) => s.entries.map((e) => e.line)),
      ['signed 1', 'signed 2'],
    );
    assert.doesNotMatch(agent.log(), new RegExp(SECRET));
    await server.close();
  });

  test('CRI files laid out as the kubelet writes them: cri gives the stream label, the original timestamps and joins partial lines', async () => {
    const dir = workDir();
    const receiver = await startReceiver();
    const container = join(
      dir,
      'pods',
      'default_web-7d4b9_0f3c1e2a-1111-2222-3333-444455556666',
      'nginx',
    );
    mkdirSync(container, { recursive: true });
    writeFileSync(
      join(container, '0.log'),
      [
        '2026-12-03T10:00:00.123456789Z stdout F GET / 200',
        '2026-12-03T10:00:01.000000001Z stderr P first half, ',
        '2026-12-03T10:00:01.000000002Z stderr F second half',
        '',
      ].join('\n'),
    );
    const agent = await startSignet(
      dir,
      `logs:
  positions_directory: ${dir}/positions
  configs:
  - name: pods
    clients: [{ url: ${receiver.url}, batchwait: 50ms }]
    scrape_configs:
    - job_name: kubernetes-pods
      pipeline_stages: [{ cri: {} }]
      static_configs: [{ labels: { job: pods, __path__: "${dir}/pods/*/*/*.log" } }]
`,
    );
    await waitFor('both entries', () =>
      receiver.pushes
        .filter((p) => p.status < 300)
        .flatMap((p) => decodePush(p.body))
        .flatMap((s) => s.entries).length >= 2
        ? true
        : undefined,
    );
    await agent.stop();
    const streams = receiver.pushes
      .filter((p) => p.status < 300)
      .flatMap((p) => decodePush(p.body));
    const got = streams.flatMap((s) => s.entries.map((e) => [s.labels, e.ts, e.line]));
    const file = join(container, '0.log');
    assert.deepEqual(
      got.sort(),
      [
        [
          `{filename="${file}", job="pods", stream="stderr"}`,
          '1796292001000000002',
          'first half, second half',
        ],
        [`{filename="${file}", job="pods", stream="stdout"}`, '1796292000123456789', 'GET / 200'],
      ].sort(),
    );
    await receiver.close();
  });

  test('a file created after the start is tailed at once, not at the next sync, so a quick rotation loses nothing', async () => {
    const dir = workDir();
    const receiver = await startReceiver();
    mkdirSync(join(dir, 'logs'));
    const agent = await startSignet(
      dir,
      `logs:
  positions_directory: ${dir}/positions
  configs:
  - name: quick
    clients: [{ url: ${receiver.url}, batchwait: 50ms }]
    target_config: { sync_period: 30s }
    scrape_configs:
    - job_name: app
      static_configs: [{ labels: { job: app, __path__: "${dir}/logs/*.log" } }]
`,
    );
    const log = join(dir, 'logs', 'app.log');
    writeFileSync(log, lines('first', 1, 100));
    await new Promise((r) => setTimeout(r, 500));
    renameSync(log, `${log}.1`);
    writeFileSync(log, lines('second', 1, 100));
    await waitFor('both files', () => (accepted(receiver).length >= 200 ? true : undefined));
    await agent.stop();
    assert.equal(new Set(accepted(receiver).map((g) => g.line)).size, 200);
    await receiver.close();
  });
});
