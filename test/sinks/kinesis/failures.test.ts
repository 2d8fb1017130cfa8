/**
 * The Kinesis client when signet local misbehaves: per-record
 * ProvisionedThroughputExceededException (the `partial` fault,
 * FailedRecordCount > 0) over 100 calls, where only the failed records are
 * sent again and every record arrives exactly once; the whole call
 * throttled, or failing with 5xx, retried with nothing lost; a refused
 * credential held, never dropped, until fixed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  startLocal,
  type LocalStack,
} from '../../../src/local/index.js';
import type { AwsClient } from '../../../src/aws/http/aws-client.js';
import type { KinesisClient, KinesisClientOptions } from '../../../src/sinks/kinesis/index.js';
import { clearFaults, listFaults, postFaults } from '../../helpers/local-stack.js';
import {
  awsFor,
  awsReadingFile,
  calls,
  clientAt,
  KINESIS,
  metricValue,
  numbered,
  readKinesis,
  until,
  writeCredentials,
  type Collected,
} from '../aws-records/helpers.js';

describe('Kinesis client failures (signet local)', () => {
  let local: LocalStack;
  let dir: string;
  before(async () => {
    local = await startLocal();
    dir = mkdtempSync(join(tmpdir(), 'signet-kinesis-'));
  });
  afterEach(async () => {
    await clearFaults(local);
  });
  after(async () => {
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function client(
    options: Partial<KinesisClientOptions> & { streamName: string },
    aws: AwsClient = awsFor(local, 'kinesis'),
  ): { client: KinesisClient<number> } & Collected {
    return clientAt(local, KINESIS, {
      aws,
      batchWaitMs: 20,
      minBackoffMs: 5,
      maxBackoffMs: 40,
      holdMaxBackoffMs: 50,
      ...options,
    });
  }

  const lines = async (stream: string): Promise<string[]> =>
    (await readKinesis(local, stream)).map((r) => r.data.toString());

  test('100 calls with failed records: only those are resent, each record arrives exactly once, in its call', async () => {
    await postFaults(local, {
      service: 'kinesis',
      operation: 'PutRecords',
      kind: 'partial',
      records: [250, 499],
      count: 200,
    });
    const h = client({ streamName: 'partial-100', batchWaitMs: 60_000 });
    const entries = numbered(50_000);
    const sentLines = entries.map((e) => e.line);
    for (let k = 0; k < 100; k++) h.client.enqueue(entries.slice(k * 500, k * 500 + 500), k + 1);
    assert.deepEqual(await h.client.close({ drainMs: 60_000 }), { unsent: 0 });
    assert.deepEqual(await listFaults(local), [], 'all 200 answers given');
    const got = await lines('partial-100');
    assert.equal(got.length, 50_000);
    assert.equal(new Set(got).size, 50_000, 'no record twice');
    // Records 250 and 499 of each first send fail; their resend (indexes 0 and 1) goes through.
    for (let k = 0; k < 100; k++) {
      const sent = sentLines.slice(k * 500, k * 500 + 500);
      const others = sent.filter((_, i) => i !== 250 && i !== 499);
      assert.deepEqual(
        got.slice(k * 500, k * 500 + 500),
        [...others, sent[250], sent[499]],
        `call ${k}`,
      );
    }
    assert.equal(
      await metricValue(h.registry, 'signet_kinesis_failed_records_total', {
        code: 'ProvisionedThroughputExceededException',
      }),
      200,
    );
    assert.equal(await metricValue(h.registry, 'signet_kinesis_sent_records_total'), 50_000);
    assert.equal(h.progress.at(-1), 100);
  });

  test('every other record failing in 100 answers: every record arrives exactly once', async () => {
    await postFaults(local, {
      service: 'kinesis',
      operation: 'PutRecords',
      kind: 'partial',
      count: 100,
    });
    const h = client({ streamName: 'partial-odd', batchWaitMs: 60_000 });
    const entries = numbered(10_000);
    for (let k = 0; k < 20; k++) h.client.enqueue(entries.slice(k * 500, k * 500 + 500), k + 1);
    assert.deepEqual(await h.client.close({ drainMs: 60_000 }), { unsent: 0 });
    assert.deepEqual(await listFaults(local), []);
    const got = await lines('partial-odd');
    assert.equal(got.length, 10_000);
    assert.deepEqual([...got].sort(), entries.map((e) => e.line).sort());
    const failed = await metricValue(h.registry, 'signet_kinesis_failed_records_total');
    assert.equal(await metricValue(h.registry, 'signet_kinesis_retried_records_total'), failed);
    assert.ok(
      h.logs.some((l) => /records failed \(ProvisionedThroughputExceededException/.test(l.message)),
    );
  });

  test('the whole call throttled for 1.5 s: retried, nothing lost', async () => {
    await postFaults(local, { service: 'kinesis', kind: 'throttle', duration_ms: 1500 });
    const h = client({ streamName: 'throttled', maxBackoffMs: 200 });
    const began = Date.now();
    for (let k = 0; k < 10; k++) h.client.enqueue(numbered(100, k * 100), k + 1);
    await until(() => h.progress.at(-1) === 10, 'delivered after the throttling', 20_000);
    assert.ok(Date.now() - began >= 1400);
    assert.deepEqual(
      await lines('throttled'),
      numbered(1000).map((e) => e.line),
    );
    assert.ok(
      (await calls(local, 'PutRecords')).some(
        (c) => c.status === 400 && c.errorCode === 'ProvisionedThroughputExceededException',
      ),
    );
    assert.equal(await metricValue(h.registry, 'signet_kinesis_dropped_records_total'), 0);
    await h.client.close({ drainMs: 1000 });
  });

  test('503s and 500s are retried, nothing lost or doubled', async () => {
    await postFaults(local, [
      { service: 'kinesis', kind: 'error', status: 503, count: 2 },
      { service: 'kinesis', kind: 'error', status: 500, count: 2 },
    ]);
    const h = client({ streamName: 'errors' });
    h.client.enqueue(numbered(50), 1);
    await until(() => h.progress.at(-1) === 1, 'delivered');
    assert.deepEqual(
      await lines('errors'),
      numbered(50).map((e) => e.line),
    );
    assert.equal(await metricValue(h.registry, 'signet_kinesis_batch_retries_total'), 4);
    await h.client.close({ drainMs: 1000 });
  });

  test('a wrong secret is held, never dropped, until the credentials file is fixed', async () => {
    const file = join(dir, 'credentials');
    writeCredentials(file, DEMO_ACCESS_KEY_ID, 'not-the-secret-at-all-0000000000000000000');
    const h = client({ streamName: 'held' }, awsReadingFile(local, 'kinesis', dir, file));
    for (let k = 1; k <= 5; k++) h.client.enqueue(numbered(2, k * 2), k);
    await until(() => h.client.stats.blocked !== undefined, 'blocked');
    assert.equal(h.client.stats.blocked?.reason, 'signature');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(h.progress, []);
    writeCredentials(file, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY);
    await until(() => h.progress.at(-1) === 5, 'delivered after the fix');
    assert.deepEqual(
      await lines('held'),
      numbered(10, 2).map((e) => e.line),
    );
    assert.equal(await metricValue(h.registry, 'signet_kinesis_dropped_records_total'), 0);
    await h.client.close({ drainMs: 1000 });
  });
});
