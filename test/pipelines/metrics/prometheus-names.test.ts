import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Agent } from '../../../src/agent/agent.js';
import { loadAgentConfig } from '../../../src/config/agent/load.js';
import { Receiver } from '../../sinks/remote-write/receiver.js';
import { counterTarget, LogCapture, tempDir, waitFor } from '../../agent/harness.js';
import { parseExposition, type Exposition } from './exposition.js';

const PROMETHEUS = '/usr/bin/prometheus';
// CI installs it from Debian (.ci/run); there a missing binary is a failure, not a skip.
const skip =
  !existsSync(PROMETHEUS) && process.env.CI !== 'true'
    ? `${PROMETHEUS} is not installed (apt-get install prometheus)`
    : false;

/** Signet's names that Prometheus 2.42 in agent mode does not expose, and why. */
const NOT_IN_PROMETHEUS_2_42: Readonly<Record<string, string>> = {
  prometheus_tsdb_wal_storage_size_bytes: 'added in Prometheus 2.43',
  prometheus_sd_kubernetes_failures_total:
    'Prometheus registers it once a kubernetes_sd_configs runs (this comparison has none); Signet always shows it, 0 without one',
};

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function exposition(url: string): Promise<Exposition | undefined> {
  try {
    const res = await fetch(url);
    return res.ok ? parseExposition(await res.text()) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the exposition has observed a send and a scrape interval: every family is there. */
function warmedUp(e: Exposition | undefined): Exposition | undefined {
  const count = (name: string): number =>
    [...(e?.families.get(name)?.samples ?? [])]
      .filter((s) => s.name.endsWith('_count'))
      .reduce((n, s) => n + s.value, 0);
  return count('prometheus_remote_storage_sent_batch_duration_seconds') > 0 &&
    count('prometheus_target_interval_length_seconds') > 0
    ? e
    : undefined;
}

/** Each family's label names (over all its samples), sorted. */
function labelNames(e: Exposition, family: string): string[] {
  const names = new Set<string>();
  for (const s of e.families.get(family)?.samples ?? [])
    for (const n of Object.keys(s.labels)) names.add(n);
  return [...names].sort();
}

test(
  "Signet's prometheus_* self-metrics have the types and label names of Prometheus 2.42's in agent mode",
  {
    skip,
  },
  async (t) => {
    const a = await counterTarget('names_a_total', 3);
    const receiver = new Receiver();
    await receiver.start();
    const dir = tempDir('signet-prom-names-');
    const port = await freePort();
    const prometheus = spawn(
      PROMETHEUS,
      [
        '--enable-feature=agent',
        `--config.file=${join(dir.path, 'prometheus.yml')}`,
        `--storage.agent.path=${join(dir.path, 'prom-agent')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    t.after(async () => {
      // Stopped while the receiver still answers, or it waits out its flush deadline (1 min).
      if (prometheus.exitCode === null && prometheus.signalCode === null) {
        const exited = new Promise((r) => prometheus.once('exit', r));
        prometheus.kill('SIGTERM');
        await exited;
      }
      await Promise.all([a.close(), receiver.stop()]);
      dir.remove();
    });
    writeFileSync(join(dir.path, 'targets.json'), '[{"targets": ');
    // The same jobs for both: a target, one over its sample_limit, a broken file_sd file.
    const jobs = `    - job_name: counted
      static_configs: [{ targets: ['${a.address}'] }]
    - job_name: limited
      sample_limit: 1
      static_configs: [{ targets: ['${a.address}'] }]
    - job_name: from-files
      file_sd_configs: [{ files: ['${join(dir.path, 'targets.json')}'], refresh_interval: 1s }]
`;
    const remoteWrite = `    - name: rx
      url: ${receiver.url}
      metadata_config: { send_interval: 1s }
      queue_config: { batch_send_deadline: 100ms }
`;
    writeFileSync(
      join(dir.path, 'prometheus.yml'),
      `global: { scrape_interval: 200ms, scrape_timeout: 200ms }
scrape_configs:
${jobs.replace(/^ {4}/gm, '  ')}remote_write:
${remoteWrite.replace(/^ {4}/gm, '  ')}`,
    );
    writeFileSync(
      join(dir.path, 'agent.yaml'),
      `server: { log_level: warn, http_listen_port: 0 }
metrics:
  wal_directory: ${join(dir.path, 'wal')}
  global: { scrape_interval: 200ms, scrape_timeout: 200ms }
  configs:
    - name: one
      scrape_configs:
    ${jobs.replace(/\n(?=.)/g, '\n    ')}      remote_write:
    ${remoteWrite.replace(/\n(?=.)/g, '\n    ')}`,
    );
    const loaded = loadAgentConfig(join(dir.path, 'agent.yaml'));
    const agent = await Agent.start(loaded.config, loaded.warnings, {
      logStream: new LogCapture(),
      env: {},
    });
    try {
      const theirs = await waitFor('Prometheus to send and scrape', async () =>
        warmedUp(await exposition(`http://127.0.0.1:${port}/metrics`)),
      );
      const ours = await waitFor('Signet to send and scrape', async () =>
        warmedUp(await exposition(`${agent.server.url}/metrics`)),
      );
      const shared: string[] = [];
      const missing: string[] = [];
      for (const f of ours.families.values()) {
        if (!f.name.startsWith('prometheus_')) continue;
        const peer = theirs.families.get(f.name);
        if (!peer) {
          missing.push(f.name);
          continue;
        }
        shared.push(f.name);
        assert.equal(f.type, peer.type, `${f.name}: the type`);
        assert.deepEqual(labelNames(ours, f.name), labelNames(theirs, f.name), `${f.name}: labels`);
      }
      assert.deepEqual(missing.sort(), Object.keys(NOT_IN_PROMETHEUS_2_42).sort());
      assert.ok(shared.length >= 30, `only ${shared.length} names shared: ${shared.join(' ')}`);
    } finally {
      await agent.stop(0);
    }
  },
);
