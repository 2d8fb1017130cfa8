/**
 * AMP's own refusals from `signet local`: 503 episodes made with the faults
 * API are retried and said once each with their recovery; a series AMP
 * refuses (an invalid label name, 400 ValidationException) is split out of
 * its batches and dropped, and the other series in the same batches arrive.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AwsClient } from '../../../src/aws/http/aws-client.js';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import { labelsFromRecord } from '../../../src/model/labels.js';
import { SeriesTable } from '../../../src/model/series.js';
import { RemoteWriteQueue } from '../../../src/sinks/remote-write/queue.js';
import { clearFaults, postFaults } from '../../helpers/local-stack.js';
import { batchOf, compareTokens, token, type LogLine, type Token, ampClient } from './helpers.js';
import { until } from './receiver.js';

const T0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;

describe('remote write to AMP (signet local): faults and refused series', () => {
  let local: LocalStack;
  let aws: AwsClient;
  before(async () => {
    local = await startLocal();
    aws = ampClient(local);
  });
  after(async () => {
    await local.close();
  });

  function queueFor(workspace: string, table: SeriesTable, extra: { splitMinSamples?: number }) {
    const progress: Token[] = [];
    const logs: LogLine[] = [];
    const queue = new RemoteWriteQueue<Token>({
      url: `${local.url}/workspaces/${workspace}/api/v1/remote_write`,
      aws,
      name: workspace,
      series: (id) => table.get(id)?.labels,
      compareTokens,
      onProgress: (t) => progress.push(t),
      log: (level, message, fields) => logs.push({ level, message, fields }),
      failureLogIntervalMs: 60_000,
      ...extra,
      queueConfig: {
        maxSamplesPerSend: 20,
        batchSendDeadlineMs: 5,
        minBackoffMs: 2,
        maxBackoffMs: 20,
      },
    });
    return { queue, progress, logs };
  }

  /** The `series` label of every series AMP stored with a sample in the window, with its values. */
  async function stored(workspace: string, samples: number): Promise<Map<string, number[]>> {
    const query = `query={job="amp"}&start=${T0 / 1000}&end=${(T0 + (samples - 1) * 1000) / 1000}&step=1`;
    const answer = await aws.send({
      method: 'GET',
      url: `${local.url}/workspaces/${workspace}/api/v1/query_range?${query}`,
    });
    const parsed = JSON.parse(answer.body.toString('utf8')) as {
      data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    return new Map(
      parsed.data.result.map((r) => [r.metric['series']!, r.values.map((v) => Number(v[1]))]),
    );
  }

  test('503 episodes from the faults API: retried, each said once and its recovery said, nothing lost', async () => {
    const table = new SeriesTable();
    for (let i = 0; i < 5; i++)
      table.create(labelsFromRecord({ __name__: 'up', job: 'amp', series: String(i) }));
    const { queue, progress, logs } = queueFor('ws-faults', table, {});
    for (let episode = 0; episode < 2; episode++) {
      const answer = await postFaults(local, {
        service: 'aps',
        kind: 'error',
        status: 503,
        count: 6,
      });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const specs = Array.from(
        { length: 5 },
        (_, i) => [i + 1, T0 + episode * 1000, i * 10 + episode] as const,
      );
      queue.enqueue(batchOf(specs), token(episode + 1));
      await until(() => progress.length === episode + 1, `episode ${episode + 1} delivered`);
      await clearFaults(local);
    }
    const failed = logs.filter((l) => /failed, retrying/.test(l.message));
    assert.equal(failed.length, 2, 'once per episode');
    for (const line of failed)
      assert.match(line.message, /^remote write to ws-faults failed, retrying: .*status 503/);
    const recovered = logs.filter((l) => /sending recovered after 6 failures/.test(l.message));
    assert.equal(recovered.length, 2);
    assert.equal(queue.stats.requestsFailed, 12);
    assert.equal(queue.stats.samplesSent, 10);
    await queue.close();
    const values = await stored('ws-faults', 2);
    assert.equal(values.size, 5);
    for (let i = 0; i < 5; i++) assert.deepEqual(values.get(String(i)), [i * 10, i * 10 + 1]);
  });

  test('a series AMP refuses (400 ValidationException) is split out and dropped; the rest of each batch arrives', async () => {
    const table = new SeriesTable();
    for (let i = 0; i < 12; i++) {
      // Series 7 carries a label name AMP refuses.
      const extra: Record<string, string> = i === 7 ? { 'bad-name': 'x' } : {};
      table.create(labelsFromRecord({ __name__: 'up', job: 'amp', series: String(i), ...extra }));
    }
    const { queue, progress, logs } = queueFor('ws-poison', table, { splitMinSamples: 1 });
    const samples = 3;
    for (let k = 0; k < samples; k++) {
      const specs = Array.from(
        { length: 12 },
        (_, i) => [i + 1, T0 + k * 1000, i * 100 + k] as const,
      );
      queue.enqueue(batchOf(specs), token(k + 1));
    }
    await until(() => progress.at(-1)?.offset === samples, 'progress past every batch');
    const stats = queue.stats;
    assert.equal(stats.samplesFailed, samples);
    assert.deepEqual(stats.samplesFailedByReason, { invalid: samples });
    assert.equal(stats.samplesSent, 11 * samples);
    const errors = logs.filter((l) => l.level === 'error');
    assert.ok(errors.length >= 1);
    assert.match(
      errors[0]!.message,
      /refused [12] samples? \(invalid\), dropped; the other \d+ of the batch were delivered: ValidationException.*bad-name/,
    );
    await queue.close();
    const values = await stored('ws-poison', samples);
    assert.deepEqual(
      [...values.keys()].sort((a, b) => Number(a) - Number(b)),
      ['0', '1', '2', '3', '4', '5', '6', '8', '9', '10', '11'],
    );
    for (const [series, got] of values) {
      const i = Number(series);
      assert.deepEqual(got, [i * 100, i * 100 + 1, i * 100 + 2], `series ${series}`);
    }
  });
});
