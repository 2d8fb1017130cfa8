import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Agent } from '../../src/agent/agent.js';
import { parseAgentConfig } from '../../src/config/agent/load.js';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  startLocal,
  type LocalStack,
} from '../../src/local/index.js';
import { LogCapture, TestTarget, instantQuery, tempDir, waitFor } from './harness.js';

const PROMETHEUS = '/usr/bin/prometheus';
const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
const absent = [PROMETHEUS, NODE_EXPORTER].filter((p) => !existsSync(p));
// CI installs both from Debian (.ci/run); there a missing binary is a failure, not a skip.
const skip =
  absent.length > 0 && process.env.CI !== 'true'
    ? `not installed: ${absent.join(', ')} (apt-get install prometheus prometheus-node-exporter)`
    : false;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const children: ChildProcess[] = [];
function start(bin: string, args: string[]): ChildProcess {
  const child = spawn(bin, args, { stdio: 'ignore' });
  children.push(child);
  return child;
}

async function ready(url: string): Promise<void> {
  await waitFor(url, async () => {
    try {
      return (await fetch(url)).ok ? true : undefined;
    } catch {
      return undefined;
    }
  });
}

const dir = tempDir('signet-interop-');
let promUrl = '';
let exporter = '';
let east: LocalStack;
let west: LocalStack;
let target: TestTarget;

before(async () => {
  if (skip) return;
  const promPort = await freePort();
  const exporterPort = await freePort();
  writeFileSync(join(dir.path, 'prometheus.yml'), 'global: {}\n');
  start(PROMETHEUS, [
    `--config.file=${join(dir.path, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir.path, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
    '--web.enable-remote-write-receiver',
  ]);
  start(NODE_EXPORTER, [`--web.listen-address=127.0.0.1:${exporterPort}`]);
  promUrl = `http://127.0.0.1:${promPort}`;
  exporter = `127.0.0.1:${exporterPort}`;
  await ready(`${promUrl}/-/ready`);
  await ready(`http://${exporter}/metrics`);
  east = await startLocal({ region: 'us-east-1' });
  west = await startLocal({ region: 'eu-west-1' });
  target = await TestTarget.start('interop_value{kind="a"} 42.5\ninterop_value{kind="b"} -7\n');
});

after(async () => {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(
    children.map((c) =>
      c.exitCode === null ? new Promise((r) => c.once('exit', r)) : Promise.resolve(),
    ),
  );
  if (!skip) await Promise.all([east.close(), west.close(), target.close()]);
  dir.remove();
});

describe('interop with Debian Prometheus 2.42 and node_exporter', { skip }, () => {
  test('node_exporter is scraped; Prometheus (remote-write receiver) and two signed AMP regions get the same values', async () => {
    const wal = join(dir.path, 'wal');
    const aws = `sigv4: { region: REGION, access_key: ${DEMO_ACCESS_KEY_ID}, secret_key: ${DEMO_SECRET_ACCESS_KEY} }`;
    const yaml = `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${wal}
  global: { scrape_interval: 1s, scrape_timeout: 1s }
  configs:
    - name: interop
      scrape_configs:
        - job_name: node
          static_configs: [{ targets: ['${exporter}'] }]
        - job_name: app
          static_configs: [{ targets: ['${target.address}'] }]
      remote_write:
        - { name: prometheus, url: '${promUrl}/api/v1/write', queue_config: { batch_send_deadline: 200ms } }
        - { name: east, url: '${east.url}/workspaces/ws-1/api/v1/remote_write', ${aws.replace('REGION', 'us-east-1')}, queue_config: { batch_send_deadline: 200ms } }
        - { name: west, url: '${west.url}/workspaces/ws-1/api/v1/remote_write', ${aws.replace('REGION', 'eu-west-1')}, queue_config: { batch_send_deadline: 200ms } }
`;
    const { config } = parseAgentConfig(yaml, 'interop.yaml');
    const agent = await Agent.start(config, [], { logStream: new LogCapture(), env: {} });
    try {
      const served = await (await fetch(`http://${exporter}/metrics`)).text();
      const memTotal = Number(/^node_memory_MemTotal_bytes (\S+)$/m.exec(served)?.[1]);
      assert.ok(memTotal > 0, 'node_exporter serves MemTotal');
      const sources: [string, string | undefined][] = [
        [promUrl, undefined],
        [`${east.url}/workspaces/ws-1`, 'us-east-1'],
        [`${west.url}/workspaces/ws-1`, 'eu-west-1'],
      ];
      for (const [base, region] of sources) {
        const mem = await waitFor(
          `MemTotal at ${base}`,
          async () => (await instantQuery(base, 'node_memory_MemTotal_bytes', region))[0],
        );
        assert.equal(mem.value, memTotal);
        assert.equal(mem.metric.job, 'node');
        assert.equal(mem.metric.instance, exporter);
        const app = await waitFor(`app values at ${base}`, async () => {
          const r = await instantQuery(base, 'interop_value', region);
          return r.length === 2 ? r : undefined;
        });
        assert.deepEqual(app.map((s) => `${s.metric.kind}=${s.value}`).sort(), ['a=42.5', 'b=-7']);
        const up = await waitFor(`up at ${base}`, async () => {
          const r = await instantQuery(base, 'up', region);
          return r.length === 2 ? r : undefined;
        });
        assert.deepEqual(
          up.map((s) => s.value),
          [1, 1],
        );
      }
      const unverified = [...east.log.list(), ...west.log.list()].filter(
        (r) => r.service === 'aps' && r.signature !== 'verified',
      );
      assert.deepEqual(unverified, []);
    } finally {
      await agent.stop(1000);
    }
  });
});
