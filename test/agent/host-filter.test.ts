import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNET_BIN } from '../helpers/run-cli.js';
import { TestTarget, apiTargets, tempDir, waitFor, type ApiTarget } from './harness.js';

/** The name the agent child believes it runs on (Grafana Agent reads $HOSTNAME first). */
const HOST = 'signet-node-a';
const OTHER = 'signet-node-b';

/**
 * One candidate target per way Grafana Agent's host filter can decide: the
 * discovered `__address__` (loopback always kept), the node labels of service
 * discovery, and `__host__` set by host_filter_relabel_configs. Every address
 * is rewritten to 127.0.0.1 by the job's relabel_configs, which run after the
 * filter, so a filtered-out target is one a real server here never hears from.
 */
const CANDIDATES: {
  name: string;
  address: (port: number) => string;
  labels?: string;
  kept: boolean;
}[] = [
  { name: 'loopback', address: (p) => `127.0.0.1:${p}`, kept: true },
  { name: 'localhost', address: (p) => `localhost:${p}`, kept: true },
  { name: 'by-address', address: (p) => `${HOST}:${p}`, kept: true },
  { name: 'other-address', address: (p) => `${OTHER}:${p}`, kept: false },
  {
    name: 'pod-node',
    address: (p) => `10.1.2.3:${p}`,
    labels: `__meta_kubernetes_pod_node_name: ${HOST}`,
    kept: true,
  },
  {
    name: 'k8s-node',
    address: (p) => `10.1.2.4:${p}`,
    labels: `__meta_kubernetes_node_name: ${HOST}`,
    kept: true,
  },
  {
    name: 'consul-node',
    address: (p) => `10.1.2.5:${p}`,
    labels: `__meta_consul_node: ${HOST}`,
    kept: true,
  },
  {
    name: 'other-pod-node',
    address: (p) => `10.1.2.6:${p}`,
    labels: `__meta_kubernetes_pod_node_name: ${OTHER}`,
    kept: false,
  },
  { name: 'host-label', address: (p) => `10.1.2.7:${p}`, labels: `node: ${HOST}`, kept: true },
  {
    name: 'other-host-label',
    address: (p) => `10.1.2.8:${p}`,
    labels: `node: ${OTHER}`,
    kept: false,
  },
];

/** Each candidate's server, and the paths it was scraped on. */
const servers = new Map<string, { target: TestTarget; paths: string[] }>();
before(async () => {
  for (const c of CANDIDATES) {
    const target = await TestTarget.start(`host_filter_candidate 1\n`);
    const paths: string[] = [];
    const serve = target.server.listeners('request')[0] as (...a: unknown[]) => void;
    target.server.removeAllListeners('request');
    target.server.on('request', (req: { url?: string }, res: unknown) => {
      paths.push(req.url ?? '');
      serve(req, res);
    });
    servers.set(c.name, { target, paths });
  }
});
after(() => Promise.all([...servers.values()].map((s) => s.target.close())));

function port(name: string): number {
  return Number(servers.get(name)!.target.address.split(':')[1]);
}

/** The same job in two instances; only the first filters, and the two scrape different paths. */
function config(wal: string): string {
  const statics = CANDIDATES.map(
    (c) =>
      `            - { targets: ['${c.address(port(c.name))}'], labels: { candidate: ${c.name}${c.labels ? `, ${c.labels}` : ''} } }`,
  ).join('\n');
  const job = (path: string) => `        - job_name: hosts
          metrics_path: ${path}
          static_configs:
${statics}
          relabel_configs:
            - { source_labels: [__address__], regex: '.*:(\\d+)', target_label: __address__, replacement: '127.0.0.1:$1' }`;
  return `server: { log_level: info, http_listen_port: 0 }
metrics:
  wal_directory: ${wal}
  global: { scrape_interval: 200ms, scrape_timeout: 200ms }
  configs:
    - name: filtered
      host_filter: true
      host_filter_relabel_configs:
        - { source_labels: [node], target_label: __host__ }
      scrape_configs:
${job('/filtered')}
    - name: everything
      scrape_configs:
${job('/all')}
`;
}

describe('host_filter', () => {
  test('keeps the targets on this host by address, node labels and __host__; never scrapes the others', async () => {
    const dir = tempDir('signet-host-filter-');
    const file = join(dir.path, 'agent.yaml');
    writeFileSync(file, config(join(dir.path, 'wal')));
    const child = spawn(process.execPath, [SIGNET_BIN, 'run', `-config.file=${file}`], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir.path,
        HOSTNAME: HOST,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    let exit: number | string | null | undefined;
    child.on('exit', (code, signal) => (exit = code ?? signal));
    try {
      const url = await waitFor('the agent URL', () => /url=(http:\S+)/.exec(stderr)?.[1]);
      const byInstance = (all: ApiTarget[], instance: string) =>
        all
          .filter((x) => x.instance === instance)
          .map((x) => x.labels.candidate)
          .sort();
      const kept = CANDIDATES.filter((c) => c.kept)
        .map((c) => c.name)
        .sort();
      // Every target either instance runs is scraped and up.
      const all = await waitFor('every target up', async () => {
        const targets = await apiTargets(url);
        return byInstance(targets, 'everything').length === CANDIDATES.length &&
          targets.every((x) => x.health === 'up')
          ? targets
          : undefined;
      });
      assert.deepEqual(byInstance(all, 'filtered'), kept);
      assert.deepEqual(
        byInstance(all, 'everything'),
        CANDIDATES.map((c) => c.name).sort(),
        'every candidate is reachable: only the filter keeps the others out',
      );
      // Let the filtered-out ones have their chances to be (wrongly) scraped.
      await waitFor('a few rounds of scrapes', () =>
        [...servers.values()].every((s) => s.paths.filter((p) => p === '/all').length >= 3)
          ? true
          : undefined,
      );
      for (const c of CANDIDATES) {
        const paths = servers.get(c.name)!.paths;
        const filtered = paths.filter((p) => p === '/filtered').length;
        if (c.kept) assert.ok(filtered >= 1, `${c.name} is scraped by the filtering instance`);
        else assert.equal(filtered, 0, `${c.name} is never scraped by the filtering instance`);
      }
      assert.equal(exit, undefined, stderr);
    } finally {
      child.kill('SIGTERM');
      if (exit === undefined) await new Promise((r) => child.once('exit', r));
      dir.remove();
    }
    assert.equal(exit, 0, stderr);
  });
});
