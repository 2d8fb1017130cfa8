import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AwsClient } from '../../../src/aws/http/aws-client.js';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import { labelsFromRecord } from '../../../src/model/labels.js';
import { SeriesTable } from '../../../src/model/series.js';
import { RemoteWriteQueue } from '../../../src/sinks/remote-write/queue.js';
import {
  batchOf,
  compareTokens,
  token,
  type SampleSpec,
  type Token,
  ampClient,
} from './helpers.js';
import { until } from './receiver.js';

const SERIES = 30;
const SAMPLES = 12;
const STEP_MS = 10;
const T0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;

type Expected = number | 'stale';

/** Sample k of series i: distinct values, with NaN, ±Inf and staleness markers sprinkled in. */
function valueOf(i: number, k: number): Expected {
  if (k === 5 && i % 3 === 0) return 'stale';
  if (k === 3 && i % 4 === 1) return NaN;
  if (k === 7 && i % 5 === 2) return i % 2 ? Infinity : -Infinity;
  return i * 1000 + k + 0.25 - (i % 2) * 1e6;
}

/** `"NaN"`, `"+Inf"`, `"1.25"` as the Prometheus API writes values. */
function parseApiValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

describe('remote write to AMP (signet local), signed with SigV4', () => {
  let local: LocalStack;
  let aws: AwsClient;
  before(async () => {
    local = await startLocal();
    aws = ampClient(local);
  });
  after(async () => {
    await local.close();
  });

  async function api(workspace: string, path: string): Promise<unknown> {
    const response = await aws.send({
      method: 'GET',
      url: `${local.url}/workspaces/${workspace}/api/v1/${path}`,
    });
    const parsed = JSON.parse(response.body.toString('utf8')) as { status: string; data: unknown };
    assert.equal(parsed.status, 'success');
    return parsed.data;
  }

  test('every value, timestamp and staleness marker reads back exactly', async () => {
    const workspace = 'ws-values';
    const table = new SeriesTable();
    const labels = Array.from({ length: SERIES }, (_, i) =>
      labelsFromRecord({
        __name__: 'signet_rw_test',
        series: String(i),
        job: 'amp',
        ...(i === 7 ? { note: 'ünïcødé ☕ "quoted"' } : {}),
      }),
    );
    for (const l of labels) table.create(l);
    const progress: Token[] = [];
    const queue = new RemoteWriteQueue<Token>({
      url: `${local.url}/workspaces/${workspace}/api/v1/remote_write`,
      aws,
      series: (id) => table.get(id)?.labels,
      compareTokens,
      onProgress: (t) => progress.push(t),
      queueConfig: { minShards: 2, maxShards: 2, maxSamplesPerSend: 50, batchSendDeadlineMs: 10 },
    });
    for (let k = 0; k < SAMPLES; k++) {
      const specs: SampleSpec[] = [];
      for (let i = 0; i < SERIES; i++) specs.push([i + 1, T0 + k * STEP_MS, valueOf(i, k)]);
      assert.equal(queue.enqueue(batchOf(specs), token(k + 1)), true);
    }
    await until(() => progress.at(-1)?.offset === SAMPLES, 'everything sent');
    assert.equal(queue.stats.samplesSent, SERIES * SAMPLES);
    assert.equal(queue.stats.samplesFailed, 0);
    await queue.close();

    const series = (await api(
      workspace,
      `series?match[]=signet_rw_test&start=${T0 / 1000}&end=${(T0 + SAMPLES * STEP_MS) / 1000}`,
    )) as Record<string, string>[];
    const expectedSeries = labels.map((l) => Object.fromEntries(l.map((x) => [x.name, x.value])));
    const key = (o: Record<string, string>) => JSON.stringify(Object.entries(o).sort());
    assert.deepEqual(series.map(key).sort(), expectedSeries.map(key).sort());

    // Every millisecond of the range: a sample shows where the value changes (or appears),
    // a staleness marker where the series disappears; samples' values all differ.
    const end = T0 + SAMPLES * STEP_MS + 5;
    const matrix = (await api(
      workspace,
      `query_range?query=signet_rw_test&start=${(T0 - 5) / 1000}&end=${end / 1000}&step=0.001`,
    )) as { result: { metric: Record<string, string>; values: [number, string][] }[] };
    assert.equal(matrix.result.length, SERIES);
    for (const { metric, values } of matrix.result) {
      const i = Number(metric['series']);
      const present = new Map(values.map(([t, v]) => [Math.round(t * 1000), v]));
      const events: [number, Expected][] = [];
      let previous: string | undefined;
      for (let t = T0 - 5; t <= end; t++) {
        const now = present.get(t);
        if (now !== previous) events.push([t, now === undefined ? 'stale' : parseApiValue(now)]);
        previous = now;
      }
      const expected: [number, Expected][] = [];
      for (let k = 0; k < SAMPLES; k++) expected.push([T0 + k * STEP_MS, valueOf(i, k)]);
      assert.deepEqual(events, expected, `series ${i}`);
    }
  });
});
