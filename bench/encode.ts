/**
 * Remote-write encoding benchmark: the cost per sample of turning queued
 * samples into a request body, and the body's size, for 100,000 series shaped
 * like /work/shared/bench/exporter.mjs's (100 targets × 1000 series: request
 * counters, latency histograms, pool and lag gauges; 5–8 labels plus `job`
 * and `instance`).
 *
 *   npm run bench:encode               tables (~30 s)
 *   npm run bench:encode -- --quick    a shorter, noisier run
 *   npm run bench:encode -- --json     one JSON object on stdout
 *
 * One operation encodes one request of 500 samples, cycling through a whole
 * scrape, so label lookups see 100,000 series, not a cache-warm few:
 *   inline       SnappyWriteRequestEncoder: compressed output written directly (what the queue sends)
 *   plain+snappy WriteRequestEncoder (bench/lib/plain-encode.ts), then snappy.compressSync
 *   plain        WriteRequestEncoder alone (no compression), for scale
 *   protobufjs   message objects → protobufjs encode → snappy.compressSync: the baseline
 * Two orders: "1 shard" (samples as scraped) and "10 shards" (series id % 10
 * === k per request, as one of ten shards holds them). Then the whole path:
 * scrapes through a RemoteWriteQueue over HTTP, and the label store's memory.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import protobuf from 'protobufjs';
import { compressSync } from 'snappy';
import { createCredentialProvider } from '../src/aws/credentials/provider.js';
import { AwsClient } from '../src/aws/http/aws-client.js';
import { labelsFromRecord, type Labels } from '../src/model/labels.js';
import { SeriesTable } from '../src/model/series.js';
import { createRemoteWriteAgent } from '../src/sinks/remote-write/index.js';
import { LabelCache } from '../src/sinks/remote-write/label-cache.js';
import { RemoteWriteQueue } from '../src/sinks/remote-write/queue.js';
import { SampleColumns } from '../src/sinks/remote-write/sample-columns.js';
import { SnappyWriteRequestEncoder } from '../src/sinks/remote-write/snappy-encode.js';
import { runInterleaved, type Contender, type RunOptions } from './lib/interleave.js';
import { WriteRequestEncoder } from './lib/plain-encode.js';

const TARGETS = 100;
const SERIES_PER_TARGET = 1000;
const PER_SEND = 500;

// ---------------------------------------------------------------------------
// Series shaped as the exporter's (same names, label names and value sets).

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const CODES = ['200', '404', '500'];
const RESOURCES =
  'orders users carts payments invoices products sessions shipments reviews coupons accounts tokens reports events webhooks'.split(
    ' ',
  );
const LE = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];
const POOLS = ['primary', 'replica', 'analytics'];
const STATES = ['idle', 'used', 'pending'];
const TOPICS = ['orders.created', 'orders.paid', 'users.signup', 'audit.log', 'billing.events'];

function route(k: number): string {
  const extra = Math.floor(k / RESOURCES.length);
  return `/api/v${1 + (k % 3)}/${RESOURCES[k % RESOURCES.length]}${extra ? `/v${extra}` : ''}/{id}`;
}

function targetSeries(t: number): Labels[] {
  const base = {
    namespace: `team-${t % 8}`,
    service: `svc-${t}`,
    pod: `svc-${t}-7d9f8b6c5-${(t * 7919 + 12345).toString(36).slice(-5)}`,
    container: 'app',
    job: 'exporter',
    instance: `127.0.0.1:${20000 + t}`,
  };
  const out: Labels[] = [];
  const add = (name: string, extra: Record<string, string> = {}) =>
    out.push(labelsFromRecord({ __name__: name, ...base, ...extra }));
  const histUnits = Math.floor((SERIES_PER_TARGET * 0.5) / (LE.length + 2));
  let left = SERIES_PER_TARGET - histUnits * (LE.length + 2);
  const counters = Math.floor(SERIES_PER_TARGET * 0.3);
  left -= counters + 4;
  const pools = Math.floor(left / 2);
  const lags = left - pools;
  for (const name of ['process_resident_memory_bytes', 'process_open_fds'])
    add(name, { runtime: 'node' });
  for (const name of ['nodejs_eventloop_lag_seconds', 'process_cpu_seconds_total'])
    add(name, { runtime: 'node' });
  for (let i = 0; i < counters; i++) {
    add('http_server_requests_total', {
      method: METHODS[i % 4]!,
      route: route(Math.floor(i / 12)),
      status_code: CODES[Math.floor(i / 4) % 3]!,
    });
  }
  for (let u = 0; u < histUnits; u++) {
    const labels = { method: METHODS[u % 2]!, route: route(Math.floor(u / 2)) };
    for (const le of LE) add('http_server_request_duration_seconds_bucket', { ...labels, le });
    add('http_server_request_duration_seconds_sum', labels);
    add('http_server_request_duration_seconds_count', labels);
  }
  for (let i = 0; i < pools; i++) {
    add('db_client_connections_usage', {
      pool_name: `${POOLS[i % 3]}-${Math.floor(i / 9)}`,
      state: STATES[Math.floor(i / 3) % 3]!,
    });
  }
  for (let i = 0; i < lags; i++) {
    add('kafka_consumer_group_lag', {
      topic: TOPICS[i % 5]!,
      partition: String(Math.floor(i / 5) % 32),
      consumer_group: `cg-${Math.floor(i / 160)}`,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------

interface Scrape {
  readonly table: SeriesTable;
  readonly cache: LabelCache;
  /** One scrape of every series, in the order a shard's queue would hold them. */
  readonly columns: SampleColumns;
}

function buildScrape(shards: number): Scrape {
  const table = new SeriesTable();
  for (let t = 0; t < TARGETS; t++) for (const labels of targetSeries(t)) table.create(labels);
  const cache = new LabelCache((id) => table.get(id)?.labels);
  const count = table.nextId - 1;
  const columns = new SampleColumns(count);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++)
    values[i] = Math.floor(Math.random() * 1e6) / (i % 3 === 0 ? 1000 : 1);
  const words = new Uint32Array(values.buffer);
  for (let k = 0; k < shards; k++) {
    for (let id = 1 + k; id <= count; id += shards) {
      const t = columns.tail++;
      const target = Math.floor((id - 1) / SERIES_PER_TARGET);
      columns.ids[t] = id;
      columns.timestamps[t] = 1_700_000_000_000 + target * 37;
      columns.valueWords[2 * t] = words[2 * (id - 1)]!;
      columns.valueWords[2 * t + 1] = words[2 * (id - 1) + 1]!;
      cache.keep(id);
    }
  }
  return { table, cache, columns };
}

const PROTO = `syntax = "proto3"; package prometheus;
message WriteRequest { repeated TimeSeries timeseries = 1; }
message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; }
message Label { string name = 1; string value = 2; }
message Sample { double value = 1; int64 timestamp = 2; }`;
const root = protobuf.parse(PROTO).root;
const WriteRequest = root.lookupType('prometheus.WriteRequest');

let sink = 0;

type ContenderName = 'inline' | 'plain+snappy' | 'plain' | 'protobufjs';
const CONTENDERS: readonly ContenderName[] = ['inline', 'plain+snappy', 'plain', 'protobufjs'];

function contenders(s: Scrape, bytes: Map<ContenderName, number>): Contender[] {
  const total = s.columns.length;
  const requests = Math.ceil(total / PER_SEND);
  const inline = new SnappyWriteRequestEncoder();
  const plain = new WriteRequestEncoder();
  const values = new Float64Array(s.columns.valueWords.buffer);
  const encoders: Record<ContenderName, (start: number, end: number) => number> = {
    inline: (a, b) => inline.encode(s.cache, s.columns, a, b).body.length,
    'plain+snappy': (a, b) => plain.encodeCompressed(s.cache, s.columns, a, b).body.length,
    plain: (a, b) => plain.encode(s.cache, s.columns, a, b).body.length,
    protobufjs: (a, b) => {
      const timeseries = [];
      for (let i = a; i < b; i++) {
        const labels = s.table.get(s.columns.ids[i]!)!.labels;
        timeseries.push({
          labels,
          samples: [{ value: values[i], timestamp: s.columns.timestamps[i] }],
        });
      }
      return compressSync(WriteRequest.encode({ timeseries }).finish()).length;
    },
  };
  return CONTENDERS.map((name) => {
    const encode = encoders[name];
    let sum = 0;
    for (let r = 0; r < requests; r++)
      sum += encode(r * PER_SEND, Math.min((r + 1) * PER_SEND, s.columns.length));
    bytes.set(name, sum / s.columns.length);
    let next = 0;
    return {
      name,
      batch: (n: number) => {
        for (let i = 0; i < n; i++) {
          const start = next * PER_SEND;
          sink += encode(start, Math.min(start + PER_SEND, s.columns.length));
          next = (next + 1) % requests;
        }
      },
    };
  });
}

// ---------------------------------------------------------------------------
// Memory of the label store: the LabelCache's shared pairs against keeping
// each series' encoded labels (one Buffer per series, or one arena).

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heldBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function measureStores(): Record<string, number> {
  const table = new SeriesTable();
  for (let t = 0; t < TARGETS; t++) for (const labels of targetSeries(t)) table.create(labels);
  const count = table.nextId - 1;
  const base = heldBytes();
  const cache = new LabelCache((id) => table.get(id)?.labels);
  for (let id = 1; id <= count; id++) cache.keep(id);
  const pairsBytes = heldBytes() - base;
  const encoded: Buffer[] = [];
  for (let id = 1; id <= count; id++) {
    const at = cache.seriesAt[id]!;
    const buffer = Buffer.allocUnsafe(cache.records[at]!);
    let p = 0;
    for (let k = at + 2; k < at + 2 + cache.records[at + 1]!; k++) {
      const pair = cache.records[k]!;
      const offset = cache.pairOffset[pair]!;
      p += cache.pairBytes.copy(buffer, p, offset, offset + cache.pairLength[pair]!);
    }
    encoded.push(buffer);
  }
  const withBuffers = heldBytes() - base - pairsBytes;
  const labelBytes = encoded.reduce((n, b) => n + b.length, 0);
  sink += encoded.length + cache.memory().series;
  return {
    series: count,
    'pair store (LabelCache) bytes/series': pairsBytes / count,
    'a Buffer per series bytes/series': withBuffers / count,
    'one arena + offsets bytes/series (computed)': labelBytes / count + 8,
  };
}

// ---------------------------------------------------------------------------
// End to end: scrapes through a RemoteWriteQueue to a receiver in a child
// process, counting this process's CPU only (enqueue, encode, HTTP client,
// and with `aws` SigV4 signing).

async function endToEnd(
  scrapes: number,
  signed: boolean,
): Promise<Record<'first' | 'steady', { cpuNs: number; wallMs: number }>> {
  const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString()))),
  );
  const table = new SeriesTable();
  for (let t = 0; t < TARGETS; t++) for (const labels of targetSeries(t)) table.create(labels);
  const batches = Array.from({ length: TARGETS }, (_, t) => {
    const ids = Uint32Array.from(
      { length: SERIES_PER_TARGET },
      (_, i) => 1 + t * SERIES_PER_TARGET + i,
    );
    const values = Float64Array.from(ids, (id) => id * 1.5);
    return { count: ids.length, ids, timestamps: new Float64Array(ids.length), values };
  });
  const aws = new AwsClient({
    service: 'aps',
    region: 'us-east-1',
    credentials: createCredentialProvider({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
    }),
    dispatcher: createRemoteWriteAgent(10),
  });
  const queue = new RemoteWriteQueue<number>({
    url: `http://127.0.0.1:${port}/workspaces/ws-bench/api/v1/remote_write`,
    ...(signed ? { aws } : {}),
    series: (id) => table.get(id)?.labels,
    compareTokens: (a, b) => a - b,
    // A partial batch is never left waiting: every scrape is 100 full batches of 1000.
    queueConfig: { minShards: 10, maxShards: 10 },
  });
  let n = 0;
  const sendScrapes = async (count: number) => {
    const wallStart = performance.now();
    const cpuStart = process.cpuUsage();
    const sentBefore = queue.stats.samplesSent;
    for (let s = 0; s < count; s++) {
      for (const batch of batches) {
        batch.timestamps.fill(1_700_000_000_000 + n * 15);
        while (!queue.enqueue(batch, ++n)) await queue.waitForRoom();
      }
    }
    // Everything sent: partial batches wait for the deadline, which the bench does not want to time.
    await new Promise<void>((resolve) => {
      const check = () => (queue.stats.samplesPending === 0 ? resolve() : setImmediate(check));
      check();
    });
    const cpu = process.cpuUsage(cpuStart);
    const sent = queue.stats.samplesSent - sentBefore;
    if (sent !== count * TARGETS * SERIES_PER_TARGET) throw new Error('lost samples');
    return {
      cpuNs: ((cpu.user + cpu.system) * 1000) / sent,
      wallMs: performance.now() - wallStart,
    };
  };
  // The first scrape also encodes every series' labels once; later ones are the steady state.
  const first = await sendScrapes(1);
  const steady = await sendScrapes(scrapes);
  await queue.close();
  child.kill();
  return { first, steady };
}

const RECEIVER = `require('http').createServer((q, s) => { q.resume(); q.on('end', () => s.writeHead(204).end()); })
  .listen(0, '127.0.0.1', function () { process.stdout.write(String(this.address().port)); });`;

// ---------------------------------------------------------------------------

function parseArgs(argv: readonly string[]): { json: boolean; run: RunOptions; mode: string } {
  let json = false;
  let quick = false;
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg === '--quick') quick = true;
    else {
      process.stderr.write(`Unknown option ${arg}\nUsage: encode.js [--quick] [--json]\n`);
      process.exit(2);
    }
  }
  const run: RunOptions = quick
    ? { rounds: 15, batchMs: 40, warmupMs: 200 }
    : { rounds: 40, batchMs: 60, warmupMs: 500 };
  return { json, run, mode: quick ? 'quick' : 'full' };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const log = options.json ? () => {} : (line = '') => process.stdout.write(line + '\n');
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  log(`Node ${process.version} on ${cpu} (${os.cpus().length} CPUs)`);
  log(
    `${TARGETS * SERIES_PER_TARGET} series, requests of ${PER_SEND} samples; ${options.mode}: median of ${options.run.rounds} interleaved rounds`,
  );
  type Result = { nsPerSample: number; bytesPerSample: number };
  const results: Record<string, Record<string, Result>> = {};
  for (const shards of [1, 10]) {
    const scrape = buildScrape(shards);
    const bytes = new Map<ContenderName, number>();
    const stats = await runInterleaved(contenders(scrape, bytes), options.run);
    const label = `${shards} shard${shards > 1 ? 's' : ''}`;
    results[label] = {};
    log();
    log(
      `${label}:  ${'encoder'.padEnd(13)} ${'ns/sample'.padStart(10)} ${'p25–p75'.padStart(13)} ${'bytes/sample'.padStart(13)}`,
    );
    for (const name of CONTENDERS) {
      const s = stats.get(name)!;
      const ns = (x: number) => (x * 1000) / PER_SEND;
      const b = bytes.get(name)!;
      results[label][name] = {
        nsPerSample: Math.round(ns(s.median)),
        bytesPerSample: Math.round(b * 10) / 10,
      };
      log(
        `          ${name.padEnd(13)} ${ns(s.median).toFixed(0).padStart(10)} ${`${ns(s.p25).toFixed(0)}–${ns(s.p75).toFixed(0)}`.padStart(13)} ${b.toFixed(1).padStart(13)}`,
      );
    }
  }
  const scrapes = options.run.rounds > 20 ? 10 : 3;
  const e2e: Record<string, number> = {};
  log();
  log(
    `End to end through a queue of 10 shards to a receiver in another process (this process's CPU):`,
  );
  for (const signed of [false, true]) {
    const { first, steady } = await endToEnd(scrapes, signed);
    const name = signed ? 'SigV4-signed (AMP)' : 'unsigned';
    e2e[`${name}, first scrape`] = Math.round(first.cpuNs);
    e2e[`${name}, steady`] = Math.round(steady.cpuNs);
    log(
      `  ${name.padEnd(19)} first scrape ${first.cpuNs.toFixed(0).padStart(5)} ns/sample, next ${scrapes}: ${steady.cpuNs.toFixed(0).padStart(5)} ns/sample (${steady.wallMs.toFixed(0)} ms wall)`,
    );
  }
  const memory = measureStores();
  log();
  log('Label store, measured as heap + ArrayBuffers after GC:');
  for (const [name, value] of Object.entries(memory))
    log(`  ${name.padEnd(44)} ${value.toFixed(0).padStart(8)}`);
  if (options.json)
    process.stdout.write(JSON.stringify({ results, e2e, memory, sink: sink > 0 }) + '\n');
}

await main();
