/**
 * The Firehose client when signet local misbehaves: per-record failures
 * (the `partial` fault, FailedPutCount > 0) over 100 calls, where only the
 * failed records are sent again and every record arrives exactly once;
 * whole-call throttling, 5xx and connection resets retried with nothing
 * lost; credentials AWS refuses held, never dropped, until fixed.
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
import type { FirehoseClient, FirehoseClientOptions } from '../../../src/sinks/firehose/index.js';
import { clearFaults, listFaults, postFaults } from '../../helpers/local-stack.js';
import { REFUSED_CREDENTIALS } from '../../helpers/sink-harness.js';
import {
  awsFor,
  awsReadingFile,
  calls,
  clientAt,
  FIREHOSE,
  metricValue,
  numbered,
  until,
  writeCredentials,
  type Collected,
} from '../aws-records/helpers.js';

describe('Firehose client failures (signet local)', () => {
  let local: LocalStack;
  let dir: string;
  before(async () => {
    local = await startLocal();
    dir = mkdtempSync(join(tmpdir(), 'signet-firehose-'));
  });
  afterEach(async () => {
    await clearFaults(local);
  });
  after(async () => {
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function client(
    options: Partial<FirehoseClientOptions> & { deliveryStreamName: string },
    aws: AwsClient = awsFor(local, 'firehose'),
  ): { client: FirehoseClient<number> } & Collected {
    return clientAt(local, FIREHOSE, {
      aws,
      newline: false,
      batchWaitMs: 20,
      minBackoffMs: 5,
      maxBackoffMs: 40,
      holdMaxBackoffMs: 50,
      ...options,
    });
  }

  test('every other record failing in 100 answers: only failed records are resent, each arrives exactly once', async () => {
    const added = await postFaults(local, {
      service: 'firehose',
      operation: 'PutRecordBatch',
      kind: 'partial',
      count: 100,
    });
    assert.equal(added.status, 200);
    const h = client({ deliveryStreamName: 'partial', batchWaitMs: 60_000 });
    const total = 20_000;
    const entries = numbered(total);
    // 40 calls of 500; each partial answer fails every other record (1, 3, 5…).
    for (let k = 0; k < 40; k++) h.client.enqueue(entries.slice(k * 500, k * 500 + 500), k + 1);
    assert.deepEqual(await h.client.close({ drainMs: 60_000 }), { unsent: 0 });
    assert.deepEqual(await listFaults(local), [], 'all 100 partial answers were given');
    const got = local.firehose.records('partial').map(String);
    assert.equal(got.length, total, 'no record lost or duplicated');
    assert.deepEqual([...got].sort(), entries.map((e) => e.line).sort());
    // A call is finished before the next: each call's 500 records arrive together.
    for (let k = 0; k < 40; k++) {
      const part = got.slice(k * 500, k * 500 + 500);
      assert.deepEqual(
        [...part].sort(),
        entries.slice(k * 500, k * 500 + 500).map((e) => e.line),
        `call ${k} contiguous`,
      );
    }
    // The records of each round of retries keep their order: the first records of call 0
    // arrive as the even ones, then the odd ones' evens, and so on.
    assert.deepEqual(got.slice(0, 3), ['line 000000', 'line 000002', 'line 000004']);
    assert.deepEqual(h.progress.at(-1), 40);
    const failed = await metricValue(h.registry, 'signet_firehose_failed_records_total', {
      code: 'ServiceUnavailableException',
    });
    assert.ok(failed >= 100, `${failed} per-record failures`);
    assert.equal(await metricValue(h.registry, 'signet_firehose_retried_records_total'), failed);
    assert.equal(await metricValue(h.registry, 'signet_firehose_sent_records_total'), total);
    assert.equal(await metricValue(h.registry, 'signet_firehose_dropped_records_total'), 0);
    const attempts = (await calls(local, 'PutRecordBatch')).length;
    // A call of 500 takes 8 partial answers (250, 125 … 1 left) and a ninth that stores the last record.
    assert.ok(attempts > 100, `${attempts} calls, 100 of them answered in part`);
  });

  test('100 calls each with failed records: every record arrives exactly once, in its call', async () => {
    // Records 7, 100 and 499 of each first send fail; their resend (indexes 0–2) goes through.
    await postFaults(local, {
      service: 'firehose',
      operation: 'PutRecordBatch',
      kind: 'partial',
      records: [7, 100, 499],
      count: 200,
    });
    const h = client({ deliveryStreamName: 'partial-100', batchWaitMs: 60_000 });
    const entries = numbered(50_000);
    const lines = entries.map((e) => e.line);
    for (let k = 0; k < 250; k++) h.client.enqueue(entries.slice(k * 200, k * 200 + 200), k + 1);
    assert.deepEqual(await h.client.close({ drainMs: 60_000 }), { unsent: 0 });
    assert.deepEqual(await listFaults(local), [], 'all 200 answers given');
    const got = local.firehose.records('partial-100').map(String);
    assert.equal(got.length, 50_000);
    assert.equal(new Set(got).size, 50_000, 'no record twice');
    // Call k (500 records, straddling enqueue chunks of 200): its records but 7, 100 and 499
    // in order, then those three in order.
    for (let k = 0; k < 100; k++) {
      const sent = lines.slice(k * 500, k * 500 + 500);
      const failed = [7, 100, 499];
      const expected = [
        ...sent.filter((_, i) => !failed.includes(i)),
        ...failed.map((i) => sent[i]!),
      ];
      assert.deepEqual(got.slice(k * 500, k * 500 + 500), expected, `call ${k}`);
    }
    assert.equal(await metricValue(h.registry, 'signet_firehose_failed_records_total'), 300);
    assert.equal(await metricValue(h.registry, 'signet_firehose_sent_records_total'), 50_000);
    assert.deepEqual(h.progress.at(-1), 250);
  });

  test('only the failing records are resent: the first record failing every time arrives last of its call', async () => {
    await postFaults(local, {
      service: 'firehose',
      operation: 'PutRecordBatch',
      kind: 'partial',
      records: [0],
      count: 3,
    });
    const h = client({ deliveryStreamName: 'partial-first', batchWaitMs: 60_000 });
    h.client.enqueue(numbered(5), 1);
    await h.client.close({ drainMs: 10_000 });
    // Call 1 stores 1–4 and fails 0; calls 2 and 3 fail 0 again; call 4 stores it.
    assert.deepEqual(local.firehose.records('partial-first').map(String), [
      'line 000001',
      'line 000002',
      'line 000003',
      'line 000004',
      'line 000000',
    ]);
    assert.equal(await metricValue(h.registry, 'signet_firehose_retried_records_total'), 3);
    assert.ok(
      h.logs.some((l) => /1 of 5 records failed \(ServiceUnavailableException/.test(l.message)),
    );
    assert.ok(h.logs.some((l) => /recovered/.test(l.message)));
  });

  test('throttled for 1.5 s (503 ServiceUnavailableException): retried, nothing lost', async () => {
    await postFaults(local, { service: 'firehose', kind: 'throttle', duration_ms: 1500 });
    const h = client({ deliveryStreamName: 'throttled', maxBackoffMs: 200 });
    const began = Date.now();
    for (let k = 0; k < 10; k++) h.client.enqueue(numbered(100, k * 100), k + 1);
    await until(() => h.progress.at(-1) === 10, 'delivered after the throttling', 20_000);
    assert.ok(Date.now() - began >= 1400, 'nothing went through while throttled');
    assert.deepEqual(
      local.firehose.records('throttled').map(String),
      numbered(1000).map((e) => e.line),
    );
    assert.ok((await metricValue(h.registry, 'signet_firehose_batch_retries_total')) > 0);
    assert.ok(
      (await calls(local, 'PutRecordBatch')).some(
        (c) => c.status === 503 && c.errorCode === 'ServiceUnavailableException',
      ),
    );
    assert.ok(h.logs.some((l) => l.level === 'warn' && /failed, retrying/.test(l.message)));
    await h.client.close({ drainMs: 1000 });
  });

  test('500s and connection resets are retried, nothing lost or doubled', async () => {
    await postFaults(local, [
      { service: 'firehose', kind: 'error', status: 500, count: 2 },
      { service: 'firehose', kind: 'reset', count: 2 },
    ]);
    const h = client({ deliveryStreamName: 'errors' });
    h.client.enqueue(numbered(50), 1);
    await until(() => h.progress.at(-1) === 1, 'delivered');
    assert.deepEqual(
      local.firehose.records('errors').map(String),
      numbered(50).map((e) => e.line),
    );
    assert.deepEqual(await listFaults(local), []);
    await h.client.close({ drainMs: 1000 });
  });

  for (const [what, keyId, secret, reason] of REFUSED_CREDENTIALS) {
    test(`${what} is held, never dropped, until the credentials file is fixed`, async () => {
      const file = join(dir, `credentials-${reason}`);
      writeCredentials(file, keyId, secret);
      const h = client(
        { deliveryStreamName: `held-${reason}` },
        awsReadingFile(local, 'firehose', dir, file),
      );
      for (let k = 1; k <= 5; k++) h.client.enqueue(numbered(2, k * 2), k);
      await until(() => h.client.stats.blocked !== undefined, 'blocked');
      assert.equal(h.client.stats.blocked?.reason, reason);
      await new Promise((resolve) => setTimeout(resolve, 300)); // several held attempts
      assert.deepEqual(h.progress, []);
      assert.equal(await metricValue(h.registry, 'signet_firehose_dropped_records_total'), 0);
      writeCredentials(file, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY);
      await until(() => h.progress.at(-1) === 5, 'delivered after the fix');
      assert.equal(h.client.stats.blocked, undefined);
      assert.deepEqual(
        local.firehose.records(`held-${reason}`).map(String),
        numbered(10, 2).map((e) => e.line),
      );
      await h.client.close({ drainMs: 1000 });
    });
  }

  test('close while held: the held entries are reported unsent and progress stays short of them', async () => {
    const file = join(dir, 'credentials-close');
    writeCredentials(file, 'AKIAIOSFODNN7NOTREAL', DEMO_SECRET_ACCESS_KEY);
    const h = client(
      { deliveryStreamName: 'held-close' },
      awsReadingFile(local, 'firehose', dir, file),
    );
    h.client.enqueue(numbered(3), 1);
    await until(() => h.client.stats.blocked !== undefined, 'blocked');
    assert.deepEqual(await h.client.close({ drainMs: 100 }), { unsent: 3 });
    assert.deepEqual(h.progress, []);
  });
});
