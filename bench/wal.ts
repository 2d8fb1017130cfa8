/**
 * WAL throughput: appending scrape-sized batches and reading them back.
 *
 *   npm run bench:wal                 100 batches of 100,000 samples
 *   npm run bench:wal -- --batches 20 --samples 10000
 *
 * The batches look like scrapes: ascending series ids, one timestamp per
 * batch, varied values with a staleness marker now and then. Appends go to
 * the page cache (the WAL's contract); the fsync cost is paid at close and
 * reported separately.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WalWriter, readWal, recordOf } from '../src/buffer/wal/index.js';
import { markStale, type SampleBatch } from '../src/model/series.js';
import { METRICS_RECORDS, SAMPLES_RECORD } from '../src/pipelines/metrics/records/index.js';

const { values: args } = parseArgs({
  options: {
    batches: { type: 'string', default: '100' },
    samples: { type: 'string', default: '100000' },
    dir: { type: 'string' },
  },
});
const batches = Number(args.batches);
const samples = Number(args.samples);

function scrape(seq: number): SampleBatch {
  const ids = new Uint32Array(samples);
  const timestamps = new Float64Array(samples).fill(1_700_000_000_000 + seq * 15_000);
  const values = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    ids[i] = 1 + i;
    values[i] = i % 3 === 0 ? seq * 1000 + i : Math.sin(seq + i) * 1e6;
  }
  for (let i = 0; i < samples; i += 997) markStale(values, i);
  return { count: samples, ids, timestamps, values };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const dir = args.dir ?? mkdtempSync(join(tmpdir(), 'signet-bench-wal-'));
try {
  // Built ahead: the benchmark measures the WAL, not the batch generator.
  const input = Array.from({ length: batches }, (_, seq) => scrape(seq));
  const wal = await WalWriter.open({ dir });
  wal.append(SAMPLES_RECORD, scrape(batches)); // warm-up: JIT, first segment
  const start = wal.diskBytes();
  const times: number[] = [];
  const t0 = performance.now();
  for (const batch of input) {
    const a = performance.now();
    wal.append(SAMPLES_RECORD, batch);
    times.push(performance.now() - a);
  }
  const appendMs = performance.now() - t0;
  const bytes = wal.diskBytes() - start;
  const c0 = performance.now();
  await wal.close();
  const closeMs = performance.now() - c0;

  const r0 = performance.now();
  let read = 0;
  for await (const { record } of readWal(dir, undefined, { kinds: METRICS_RECORDS })) {
    read += recordOf(record, SAMPLES_RECORD)?.count ?? 0;
  }
  const readMs = performance.now() - r0;

  times.sort((a, b) => a - b);
  const total = batches * samples;
  const mb = bytes / 1e6;
  console.log(
    `append: ${batches} batches × ${samples} samples (${(bytes / total).toFixed(2)} B/sample)`,
  );
  console.log(
    `  ${(appendMs / batches).toFixed(2)} ms/batch (median ${quantile(times, 0.5).toFixed(2)}, ` +
      `p90 ${quantile(times, 0.9).toFixed(2)}), ${(mb / (appendMs / 1000)).toFixed(0)} MB/s, ` +
      `${(((total / appendMs) * 1000) / 1e6).toFixed(1)} M samples/s`,
  );
  console.log(`  close (fsync): ${closeMs.toFixed(1)} ms`);
  console.log(
    `read: ${read} samples in ${readMs.toFixed(0)} ms, ` +
      `${(((read / readMs) * 1000) / 1e6).toFixed(1)} M samples/s, ${(mb / (readMs / 1000)).toFixed(0)} MB/s`,
  );
} finally {
  if (args.dir === undefined) rmSync(dir, { recursive: true, force: true });
}
