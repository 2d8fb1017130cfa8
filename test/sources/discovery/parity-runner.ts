/**
 * Runs inside a user, mount and network namespace made by parity.test.ts
 * (`unshare -rnm`), where /etc/resolv.conf says `nameserver 127.0.0.1` and
 * port 53 of the namespace's own loopback is free: the DNS stand-in listens
 * there, so Prometheus 2.42 (which always asks resolv.conf's servers on port
 * 53) and Signet ask the same server. Both run the same DNS and HTTP SD jobs;
 * this prints, as JSON on stdout, each one's discovered labels per job for
 * three phases of the stand-ins' answers, and their SD counters.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNET_BIN } from '../../helpers/run-cli.js';
import { startDnsStandIn, type ZoneEntry } from '../../helpers/dns-server.js';

const dir = process.argv[2]!;
const PROMETHEUS = '127.0.0.1:19090';
const SIGNET = '127.0.0.1:19091';
const AUTH = `Basic ${Buffer.from('sd:parity').toString('base64')}`;

const ZONES: Record<string, ZoneEntry>[] = [
  {
    '_node._tcp.sd.test': {
      SRV: [
        { priority: 10, weight: 5, port: 9100, target: 'node-a.sd.test' },
        { priority: 20, weight: 1, port: 9101, target: 'node-b.sd.test' },
      ],
    },
    'hosts.sd.test': {
      A: ['10.0.0.1', '10.0.0.2'],
      AAAA: ['2001:db8::7', '::ffff:10.1.2.3'],
      MX: [{ preference: 10, exchange: 'mail.sd.test' }],
    },
    'other.sd.test': { A: ['10.0.0.3'] },
  },
  {
    '_node._tcp.sd.test': {
      SRV: [{ priority: 10, weight: 5, port: 9200, target: 'node-c.sd.test' }],
    },
    // A failing name keeps its last good targets in both.
    'hosts.sd.test': { fail: true },
    'other.sd.test': { A: ['10.0.0.4'] },
  },
  {
    '_node._tcp.sd.test': {
      SRV: [{ priority: 10, weight: 5, port: 9200, target: 'node-c.sd.test' }],
    },
    'hosts.sd.test': { fail: true },
    'other.sd.test': { A: ['10.0.0.5'] },
  },
];
const HTTP_GROUPS: unknown[] = [
  [
    { targets: ['10.1.0.1:9100', '10.1.0.2:9100'], labels: { env: 'prod', __meta_rack: 'r1' } },
    { targets: ['10.1.0.3:9100'] },
  ],
  // Go's JSON decoder takes keys in any case.
  [{ Targets: ['10.1.0.9:9100'], Labels: { env: 'staging' } }],
  // An unknown field is refused (DisallowUnknownFields): the last good list stays.
  [{ targets: ['10.1.0.10:9100'], label: { env: 'x' } }],
];
/** The `__address__`es each job has in each phase, to know when both have caught up. */
const EXPECTED: Record<string, string[]>[] = [
  {
    'dns-srv': ['node-a.sd.test:9100', 'node-b.sd.test:9101'],
    'dns-a': ['10.0.0.1:9100', '10.0.0.2:9100', '10.0.0.3:9100'],
    'dns-aaaa': ['10.1.2.3:9100', '[2001:db8::7]:9100'],
    'dns-mx': ['mail.sd.test:25'],
    http: ['10.1.0.1:9100', '10.1.0.2:9100', '10.1.0.3:9100'],
  },
  {
    'dns-srv': ['node-c.sd.test:9200'],
    'dns-a': ['10.0.0.1:9100', '10.0.0.2:9100', '10.0.0.4:9100'],
    'dns-aaaa': ['10.1.2.3:9100', '[2001:db8::7]:9100'],
    'dns-mx': ['mail.sd.test:25'],
    http: ['10.1.0.9:9100'],
  },
  {
    'dns-srv': ['node-c.sd.test:9200'],
    'dns-a': ['10.0.0.1:9100', '10.0.0.2:9100', '10.0.0.5:9100'],
    'dns-aaaa': ['10.1.2.3:9100', '[2001:db8::7]:9100'],
    'dns-mx': ['mail.sd.test:25'],
    http: ['10.1.0.9:9100'],
  },
];

type Snapshot = Record<string, Record<string, string>[]>;

async function main(): Promise<void> {
  let phase = 0;
  const dns = await startDnsStandIn(ZONES[0], 53);
  const http = createServer((req, res) => {
    if (req.headers.authorization !== AUTH) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(HTTP_GROUPS[phase]));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const sdUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/sd`;

  const jobs = `
  - job_name: dns-srv
    dns_sd_configs: [{ names: [_node._tcp.sd.test], refresh_interval: 1s }]
  - job_name: dns-a
    dns_sd_configs: [{ names: [hosts.sd.test, other.sd.test], type: A, port: 9100, refresh_interval: 1s }]
  - job_name: dns-aaaa
    dns_sd_configs: [{ names: [hosts.sd.test], type: AAAA, port: 9100, refresh_interval: 1s }]
  - job_name: dns-mx
    dns_sd_configs: [{ names: [hosts.sd.test], type: mx, port: 25, refresh_interval: 1s }]
  - job_name: http
    http_sd_configs:
      - url: ${sdUrl}
        refresh_interval: 1s
        basic_auth: { username: sd, password: parity }
`;
  const global = 'global: { scrape_interval: 15s, scrape_timeout: 10s }';
  writeFileSync(join(dir, 'prometheus.yml'), `${global}\nscrape_configs:${jobs}`);
  const indented = jobs.replace(/\n/g, '\n    ');
  writeFileSync(
    join(dir, 'agent.yaml'),
    `server: { http_listen_address: 127.0.0.1, http_listen_port: ${SIGNET.split(':')[1]} }
metrics:
  wal_directory: ${join(dir, 'wal')}
  ${global}
  configs:
    - name: parity
      scrape_configs:${indented}
`,
  );
  mkdirSync(join(dir, 'prom'), { recursive: true });
  const children: ChildProcess[] = [
    spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'prom')}`,
        `--web.listen-address=${PROMETHEUS}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    ),
    spawn(process.execPath, [SIGNET_BIN, 'run', `-config.file=${join(dir, 'agent.yaml')}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: dir, AWS_EC2_METADATA_DISABLED: 'true' },
    }),
  ];
  const logs = ['', ''];
  children.forEach((c, i) => c.stderr?.on('data', (b: Buffer) => (logs[i] += b.toString())));
  try {
    const phases: { prometheus: Snapshot; signet: Snapshot; empties: string[] }[] = [];
    for (phase = 0; phase < ZONES.length; phase++) {
      dns.setZone(ZONES[phase]!);
      const [prometheus, signet] = await Promise.all([
        settle(`http://${PROMETHEUS}`, EXPECTED[phase]!),
        settle(`http://${SIGNET}`, EXPECTED[phase]!),
      ]);
      phases.push({
        prometheus: prometheus.labels,
        signet: signet.labels,
        empties: prometheus.empties,
      });
    }
    const counters = await Promise.all(
      [PROMETHEUS, SIGNET].map(async (at) => sdCounters(await text(`http://${at}/metrics`))),
    );
    process.stdout.write(
      JSON.stringify({
        phases,
        counters: { prometheus: counters[0], signet: counters[1] },
        // What Signet said about discovery: failures are rate-limited, and nothing else is expected.
        signetSdLog: logs[1]!.split('\n').filter((l) => l.includes('_sd_configs')),
      }),
    );
  } catch (error) {
    process.stdout.write(JSON.stringify({ error: String(error), logs }));
  } finally {
    for (const c of children) c.kill('SIGKILL');
    http.close();
    await dns.close();
  }
}

async function text(url: string): Promise<string> {
  const res = await fetch(url);
  return res.text();
}

interface ApiTarget {
  scrapePool: string;
  discoveredLabels: Record<string, string>;
}

/** Polls /api/v1/targets until every job has its expected addresses; empty labels left out. */
async function settle(
  base: string,
  expected: Record<string, string[]>,
): Promise<{ labels: Snapshot; empties: string[] }> {
  const deadline = Date.now() + 40_000;
  let last = '';
  for (;;) {
    try {
      const body = JSON.parse(await text(`${base}/api/v1/targets`)) as {
        data?: { activeTargets: ApiTarget[] };
        activeTargets?: ApiTarget[];
      };
      const active = body.data?.activeTargets ?? body.activeTargets ?? [];
      const labels: Snapshot = {};
      const empties = new Set<string>();
      for (const t of active) {
        const kept: Record<string, string> = {};
        for (const name of Object.keys(t.discoveredLabels).sort()) {
          const value = t.discoveredLabels[name]!;
          if (value === '') empties.add(name);
          else kept[name] = value;
        }
        (labels[t.scrapePool] ??= []).push(kept);
      }
      for (const list of Object.values(labels))
        list.sort((a, b) => (a.__address__! < b.__address__! ? -1 : 1));
      const addresses = Object.fromEntries(
        Object.keys(expected).map((job) => [job, (labels[job] ?? []).map((l) => l.__address__)]),
      );
      last = JSON.stringify(addresses);
      if (last === JSON.stringify(expected)) return { labels, empties: [...empties].sort() };
    } catch (error) {
      last = String(error);
    }
    if (Date.now() > deadline) throw new Error(`${base} did not settle: ${last}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function sdCounters(exposition: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of [
    'prometheus_sd_dns_lookups_total',
    'prometheus_sd_dns_lookup_failures_total',
    'prometheus_sd_http_failures_total',
  ]) {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(exposition);
    if (m) out[name] = Number(m[1]);
  }
  return out;
}

await main();
