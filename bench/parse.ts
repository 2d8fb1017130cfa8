/**
 * Exposition-parser benchmark: ns per sample line for the scrape loop's two
 * regimes, on bodies shaped like /work/shared/bench/exporter.mjs (one target:
 * 2000 series, classic histograms with 11 buckets, counters, gauges, 5-7
 * labels, ~180 bytes a line, values zero-padded to 14 characters).
 *
 *   npm run bench:parse               human-readable table (~30 s)
 *   npm run bench:parse -- --quick    a shorter, noisier run (~8 s)
 *   npm run bench:parse -- --json     one JSON object on stdout, nothing else
 *
 * - steady: every series is in the scrape cache; a line costs finding the end
 *   of its series text, one slice, one Map lookup, the value (Prometheus's
 *   design). The Map lookup hashes the whole text and is most of the cost.
 * - parser alone: the same with a sink that does nothing.
 * - first scrape: an empty cache; every line also pays parseSeriesLabels (and
 *   the strict check of its line), a detached key and a Map insert.
 * - regex baseline: the naive alternative (split into lines, one regex per
 *   line, Number() on the value) with the same cache lookup, for scale.
 *
 * Four bodies with different values rotate, as the exporter rewrites its
 * digits on every scrape. CPU time is reported beside wall time: on a shared
 * machine it is the steadier measure of the work itself.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  detach,
  parseExposition,
  parseSeriesLabels,
  type ExpositionFormat,
  type ParseSink,
} from '../src/sources/scrape/parse/index.js';
import type { Label } from '../src/model/labels.js';

const SERIES = 2000;
const VARIANTS = 4;
const WIDTH = 14;

// ---- bodies, laid out as exporter.mjs lays out one target ------------------

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const CODES = ['200', '404', '500'];
const RESOURCES = ['orders', 'users', 'carts', 'payments', 'invoices', 'products', 'sessions'];
const LE = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];
const POOLS = ['primary', 'replica', 'analytics'];
const STATES = ['idle', 'used', 'pending'];
const TOPICS = ['orders.created', 'orders.paid', 'users.signup', 'audit.log', 'billing.events'];

function route(k: number): string {
  const r = RESOURCES[k % RESOURCES.length] ?? '';
  const extra = Math.floor(k / RESOURCES.length);
  return `/api/v${1 + (k % 3)}/${r}${extra ? `/v${extra}` : ''}/{id}`;
}

/** Deterministic values (mulberry32), so every run parses the same digits. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Series texts and their kinds (true: fixed-point value), in exposition order. */
function layout(): { headers: Map<number, string>; series: string[]; fractional: boolean[] } {
  const base = `namespace="team-0",service="svc-0",pod="svc-0-7d9f8b6c5-9ix",container="app"`;
  const headers = new Map<number, string>();
  const series: string[] = [];
  const fractional: boolean[] = [];
  const family = (name: string, help: string, type: string): void => {
    headers.set(series.length, `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`);
  };
  const add = (text: string, frac = false): void => {
    series.push(text);
    fractional.push(frac);
  };
  const histUnits = Math.floor((SERIES * 0.5) / (LE.length + 2));
  let left = SERIES - histUnits * (LE.length + 2);
  const counters = Math.floor(SERIES * 0.3);
  left -= counters + 4;
  const poolGauges = Math.floor(left / 2);
  const lagGauges = left - poolGauges;

  family('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge');
  add(`process_resident_memory_bytes{${base},runtime="node"}`);
  family('process_open_fds', 'Number of open file descriptors.', 'gauge');
  add(`process_open_fds{${base},runtime="node"}`);
  family('nodejs_eventloop_lag_seconds', 'Lag of event loop in seconds.', 'gauge');
  add(`nodejs_eventloop_lag_seconds{${base},runtime="node"}`, true);
  family('process_cpu_seconds_total', 'Total user and system CPU time spent.', 'counter');
  add(`process_cpu_seconds_total{${base},runtime="node"}`);
  family('http_server_requests_total', 'Total HTTP requests handled.', 'counter');
  for (let i = 0; i < counters; i++) {
    const m = METHODS[i % METHODS.length] ?? '';
    const c = CODES[Math.floor(i / METHODS.length) % CODES.length] ?? '';
    const r = route(Math.floor(i / (METHODS.length * CODES.length)));
    add(`http_server_requests_total{${base},method="${m}",route="${r}",status_code="${c}"}`);
  }
  const h = 'http_server_request_duration_seconds';
  family(h, 'Duration of HTTP requests in seconds.', 'histogram');
  for (let u = 0; u < histUnits; u++) {
    const lbl = `${base},method="${METHODS[u % 2] ?? ''}",route="${route(Math.floor(u / 2))}"`;
    for (const le of LE) add(`${h}_bucket{${lbl},le="${le}"}`);
    add(`${h}_sum{${lbl}}`, true);
    add(`${h}_count{${lbl}}`);
  }
  family('db_client_connections_usage', 'Connections in the pool by state.', 'gauge');
  for (let i = 0; i < poolGauges; i++) {
    const p = `${POOLS[i % POOLS.length] ?? ''}-${Math.floor(i / 9)}`;
    const s = STATES[Math.floor(i / POOLS.length) % STATES.length] ?? '';
    add(`db_client_connections_usage{${base},pool_name="${p}",state="${s}"}`);
  }
  family('kafka_consumer_group_lag', 'Messages behind the partition head.', 'gauge');
  for (let i = 0; i < lagGauges; i++) {
    const topic = TOPICS[i % TOPICS.length] ?? '';
    const part = Math.floor(i / TOPICS.length) % 32;
    const grp = Math.floor(i / (TOPICS.length * 32));
    add(
      `kafka_consumer_group_lag{${base},topic="${topic}",partition="${part}",consumer_group="cg-${grp}"}`,
    );
  }
  return { headers, series, fractional };
}

/** One body; values zero-padded to 14 characters as the exporter writes them. */
function body(format: ExpositionFormat, seed: number): string {
  const { headers, series, fractional } = layout();
  const random = prng(seed);
  const parts: string[] = [];
  series.forEach((text, i) => {
    const header = headers.get(i);
    if (header !== undefined) {
      // OpenMetrics wants counter families named without `_total`, and no untyped.
      parts.push(
        format === 'openmetrics' ? header.replace(/_total (counter|Total)/g, ' $1') : header,
      );
    }
    const value = fractional[i]
      ? (random() * 1e6).toFixed(3).padStart(WIDTH, '0')
      : String(Math.floor(random() * 1e9)).padStart(WIDTH, '0');
    parts.push(`${text} ${value}\n`);
  });
  if (format === 'openmetrics') parts.push('# EOF\n');
  return parts.join('');
}

// ---- contenders -------------------------------------------------------------

/** What the scrape cache keeps per series text. */
interface Entry {
  readonly labels: Label[];
  value: number;
}

/** The scrape loop's sink, reduced to the cache. One class for every contender that parses. */
class CacheSink implements ParseSink {
  cache = new Map<string, Entry>();
  misses = 0;

  sample(seriesText: string, value: number): void {
    let entry = this.cache.get(seriesText);
    if (entry === undefined) {
      entry = { labels: parseSeriesLabels(seriesText), value };
      this.cache.set(detach(seriesText), entry);
      this.misses++;
    }
    entry.value = value;
  }
}

/** One thing measured: `run(n)` parses n bodies of SERIES lines. */
interface Contender {
  readonly name: string;
  /** Bodies a measured batch parses, sized so a batch takes ~100 ms here. */
  readonly bodies: number;
  readonly run: (n: number) => void;
}

/** The parser's own cost: a sink that does nothing. */
const NO_OP: ParseSink = { sample: () => undefined };

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?)\s+(\S+)(?:\s+(-?\d+))?\s*$/;

/** The naive parser: lines, a regex, Number(); no error positions, no quote-aware braces. */
function regexParse(text: string, sink: CacheSink): void {
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (m === null) throw new Error(`bad line ${line}`);
    const value = Number(m[2]);
    sink.sample(m[1] ?? '', value);
  }
}

function contenders(): { list: Contender[]; bytes: number } {
  const prom = Array.from({ length: VARIANTS }, (_, i) => body('prometheus-text', i + 1));
  const om = Array.from({ length: VARIANTS }, (_, i) => body('openmetrics', i + 1));
  const warm = (format: ExpositionFormat, bodies: readonly string[]): CacheSink => {
    const sink = new CacheSink();
    for (const b of bodies) parseExposition(b, format, sink);
    if (sink.cache.size !== SERIES)
      throw new Error(`expected ${SERIES} series, got ${sink.cache.size}`);
    sink.misses = 0;
    return sink;
  };
  const steadyProm = warm('prometheus-text', prom);
  const steadyOm = warm('openmetrics', om);
  const regexSink = warm('prometheus-text', prom);
  let k = 0;
  const next = (bodies: readonly string[]): string => bodies[k++ % VARIANTS] ?? '';
  const list: Contender[] = [
    {
      name: 'steady, text',
      bodies: 60,
      run: (n) => {
        for (let i = 0; i < n; i++) parseExposition(next(prom), 'prometheus-text', steadyProm);
        if (steadyProm.misses !== 0) throw new Error('steady state missed the cache');
      },
    },
    {
      name: 'steady, OpenMetrics',
      bodies: 60,
      run: (n) => {
        for (let i = 0; i < n; i++) parseExposition(next(om), 'openmetrics', steadyOm);
      },
    },
    {
      name: 'parser alone, text',
      bodies: 200,
      run: (n) => {
        for (let i = 0; i < n; i++) parseExposition(next(prom), 'prometheus-text', NO_OP);
      },
    },
    {
      name: 'first scrape, text',
      bodies: 4,
      run: (n) => {
        for (let i = 0; i < n; i++) parseExposition(next(prom), 'prometheus-text', new CacheSink());
      },
    },
    {
      name: 'regex baseline, steady',
      bodies: 30,
      run: (n) => {
        for (let i = 0; i < n; i++) regexParse(next(prom), regexSink);
      },
    },
  ];
  return { list, bytes: prom[0]?.length ?? 0 };
}

// ---- run and report ---------------------------------------------------------

interface Row {
  readonly name: string;
  /** Medians over rounds, ns per sample line. */
  readonly cpu: number;
  readonly wall: number;
}

function median(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Interleaved rounds, the order rotating each round, so drift and neighbours hit every contender alike. */
function measure(list: readonly Contender[], rounds: number): Row[] {
  const cpu = new Map<string, number[]>(list.map((c) => [c.name, []]));
  const wall = new Map<string, number[]>(list.map((c) => [c.name, []]));
  for (const c of list) c.run(c.bodies * 2);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < list.length; k++) {
      const c = list[(k + round) % list.length];
      if (c === undefined) continue;
      const cpu0 = process.cpuUsage();
      const wall0 = performance.now();
      c.run(c.bodies);
      const used = process.cpuUsage(cpu0);
      const lines = c.bodies * SERIES;
      wall.get(c.name)?.push(((performance.now() - wall0) * 1e6) / lines);
      cpu.get(c.name)?.push(((used.user + used.system) * 1e3) / lines);
    }
  }
  return list.map((c) => ({
    name: c.name,
    cpu: median(cpu.get(c.name) ?? []),
    wall: median(wall.get(c.name) ?? []),
  }));
}

function main(): void {
  const args = new Set(process.argv.slice(2));
  const quick = args.has('--quick');
  const { list, bytes } = contenders();
  const rows = measure(list, quick ? 7 : 25);
  if (args.has('--json')) {
    console.log(JSON.stringify({ series: SERIES, bodyBytes: bytes, node: process.version, rows }));
    return;
  }
  const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`exposition parser: ${SERIES} series a body, ${bytes} bytes`);
  console.log(
    `(${Math.round(bytes / SERIES)} bytes a line), node ${process.version}, ${cpuModel}\n`,
  );
  console.log('ns per sample line            cpu     wall');
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(26)} ${r.cpu.toFixed(0).padStart(7)} ${r.wall.toFixed(0).padStart(8)}`,
    );
  }
  const steady = rows[0]?.cpu ?? NaN;
  const share = ((500_000 / 5) * steady) / 1e9;
  console.log(
    `\nsteady text: 500k series every 5 s would take ${(share * 100).toFixed(0)}% of one core.`,
  );
}

main();
