/**
 * Faults over HTTP, seen by real SDK clients: latency, connection resets,
 * 500/503, throttling and partial batch failures, set through
 * `POST /_signet/faults` and through the config file's `faults:`, for a count
 * of requests and for a duration on the server's clock.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocal, type LocalStack } from '../../src/local/index.js';
import {
  clearFaults,
  DEMO_PRINCIPAL_YAML,
  listFaults,
  loggedRequests,
  postFaults,
  sdkConfig,
  TestClock,
} from '../helpers/local-stack.js';

const describeGroups = (local: LocalStack) =>
  new CloudWatchLogsClient(sdkConfig(local)).send(new DescribeLogGroupsCommand({}));

/** The error name an SDK call fails with, or 'ok'. */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.name : String(error);
  }
}

function putBatch(local: LocalStack, count: number) {
  return new FirehoseClient(sdkConfig(local)).send(
    new PutRecordBatchCommand({
      DeliveryStreamName: 'faulty',
      Records: Array.from({ length: count }, (_, i) => ({ Data: Buffer.from(`r${i}`) })),
    }),
  );
}

describe('faults through POST /_signet/faults', () => {
  const clock = new TestClock();
  let local: LocalStack;
  before(async () => {
    local = await startLocal({ port: 0, clock: clock.now });
  });
  after(() => local.close());
  beforeEach(() => clearFaults(local));

  test('a bad rule is refused with a reason, and nothing is added', async () => {
    const answer = await postFaults(local, { service: 'logs', kind: 'explode' });
    assert.equal(answer.status, 400);
    assert.match(answer.body.message ?? '', /kind/);
    const zero = await postFaults(local, { service: 'logs', kind: 'throttle', count: 0 });
    assert.equal(zero.status, 400);
    assert.match(zero.body.message ?? '', /count/);
    assert.equal(await outcome(describeGroups(local)), 'ok');
  });

  test('latency holds the answer at least as long as asked, and only where asked', async () => {
    const latencyMs = 300;
    const added = await postFaults(local, {
      service: 'logs',
      operation: 'DescribeLogGroups',
      kind: 'latency',
      latencyMs,
      count: 1,
    });
    assert.equal(added.status, 200);
    const order: string[] = [];
    const started = process.hrtime.bigint();
    const slow = describeGroups(local).then(() => {
      order.push('held');
      return Number(process.hrtime.bigint() - started) / 1e6;
    });
    // A request to another service, sent after the held one, is answered before it.
    await putBatch(local, 1);
    order.push('other service');
    const elapsedMs = await slow;
    assert.ok(elapsedMs >= latencyMs, `answered after ${elapsedMs} ms, asked for ${latencyMs}`);
    assert.deepEqual(order, ['other service', 'held']);
  });

  test('a reset drops the connection: the client sees ECONNRESET', async () => {
    await postFaults(local, { service: 's3', kind: 'reset', count: 1 });
    const s3 = new S3Client(sdkConfig(local, { forcePathStyle: true }));
    await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: 'any-bucket' })), (error) => {
      assert.ok(error instanceof Error);
      const code = (error as { code?: string }).code;
      assert.ok(code === 'ECONNRESET' || /socket hang up/.test(error.message), String(error));
      return true;
    });
    const last = (await loggedRequests(local)).at(-1);
    assert.equal(last?.errorCode, 'connection reset (fault)');
    // Counted once: the next request is answered (here: the bucket does not exist).
    assert.equal(
      await outcome(s3.send(new HeadBucketCommand({ Bucket: 'any-bucket' }))),
      'NotFound',
    );
  });

  test('500 and 503 in each service’s own codes', async () => {
    await postFaults(local, [
      { service: 'logs', kind: 'error', status: 500, count: 1 },
      { service: 's3', kind: 'error', status: 503, count: 1 },
    ]);
    const logs = new CloudWatchLogsClient(sdkConfig(local));
    const failed = await logs.send(new DescribeLogGroupsCommand({})).catch((e: unknown) => e);
    assert.ok(failed instanceof Error);
    assert.equal(failed.name, 'InternalFailure');
    assert.equal(
      (failed as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
      500,
    );
    const s3 = new S3Client(sdkConfig(local, { forcePathStyle: true }));
    const unavailable = await s3
      .send(new HeadBucketCommand({ Bucket: 'any-bucket' }))
      .catch((e: unknown) => e);
    assert.equal(
      (unavailable as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
      503,
    );
    assert.equal(await outcome(logs.send(new DescribeLogGroupsCommand({}))), 'ok');
  });

  test('a count: exactly that many requests are hit', async () => {
    await postFaults(local, { service: 'logs', kind: 'throttle', count: 3 });
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await outcome(describeGroups(local)));
    assert.deepEqual(outcomes, [
      'ThrottlingException',
      'ThrottlingException',
      'ThrottlingException',
      'ok',
    ]);
  });

  test('a duration: every request until it ends on the server clock, none after', async () => {
    await postFaults(local, { service: 'logs', kind: 'error', status: 503, durationMs: 60_000 });
    assert.equal(await outcome(describeGroups(local)), 'ServiceUnavailableException');
    clock.advance(59_000);
    assert.equal(await outcome(describeGroups(local)), 'ServiceUnavailableException');
    clock.advance(1_000);
    assert.equal(await outcome(describeGroups(local)), 'ok');
  });

  test('partial Firehose batch: FailedPutCount and per-record codes; only the rest is kept', async () => {
    await postFaults(local, {
      service: 'firehose',
      operation: 'PutRecordBatch',
      kind: 'partial',
      records: [0, 2],
      count: 1,
    });
    const before = local.firehose.records('faulty').length;
    const out = await putBatch(local, 4);
    assert.equal(out.FailedPutCount, 2);
    assert.deepEqual(
      out.RequestResponses?.map((r) => r.ErrorCode ?? 'ok'),
      ['ServiceUnavailableException', 'ok', 'ServiceUnavailableException', 'ok'],
    );
    assert.equal(typeof out.RequestResponses?.[1]?.RecordId, 'string');
    assert.deepEqual(local.firehose.records('faulty').slice(before).map(String), ['r1', 'r3']);
    // The count was one batch: the next is whole.
    assert.equal((await putBatch(local, 4)).FailedPutCount, 0);
  });

  test('partial Kinesis batch: every other record fails by default', async () => {
    await postFaults(local, { service: 'kinesis', kind: 'partial', count: 1 });
    const kinesis = new KinesisClient(sdkConfig(local));
    const out = await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'faulty',
        Records: ['a', 'b', 'c', 'd', 'e'].map((s) => ({ Data: Buffer.from(s), PartitionKey: s })),
      }),
    );
    assert.equal(out.FailedRecordCount, 2);
    assert.deepEqual(
      out.Records?.map((r) => r.ErrorCode ?? 'ok'),
      [
        'ok',
        'ProvisionedThroughputExceededException',
        'ok',
        'ProvisionedThroughputExceededException',
        'ok',
      ],
    );
    assert.deepEqual(local.kinesis.records('faulty').map(String), ['a', 'c', 'e']);
  });
});

describe('faults from the config file', () => {
  const clock = new TestClock();
  let local: LocalStack;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-faults-'));
    const file = join(dir, 'local.yaml');
    writeFileSync(
      file,
      `${DEMO_PRINCIPAL_YAML}faults:
  - { service: logs, kind: throttle, count: 2 }
  - { service: firehose, operation: PutRecordBatch, kind: partial, records: [1] }
  - { service: s3, kind: error, status: 503, duration_ms: 30000 }
`,
    );
    local = await startLocal({ port: 0, configFile: file, clock: clock.now });
  });
  after(() => local.close());

  test('are in force from the start, listed by GET /_signet/faults', async () => {
    assert.deepEqual(await listFaults(local), [
      { service: 'logs', kind: 'throttle', count: 2 },
      { service: 'firehose', operation: 'PutRecordBatch', kind: 'partial', records: [1] },
      { service: 's3', kind: 'error', status: 503, durationMs: 30000 },
    ]);
    assert.equal(await outcome(describeGroups(local)), 'ThrottlingException');
    assert.equal(await outcome(describeGroups(local)), 'ThrottlingException');
    assert.equal(await outcome(describeGroups(local)), 'ok');
  });

  test('a partial rule without a count hits every batch', async () => {
    for (let i = 0; i < 2; i++) {
      const out = await putBatch(local, 3);
      assert.equal(out.FailedPutCount, 1);
      assert.equal(out.RequestResponses?.[1]?.ErrorCode, 'ServiceUnavailableException');
    }
  });

  test('a duration counts from the start', async () => {
    const s3 = new S3Client(sdkConfig(local, { forcePathStyle: true }));
    const head = () => outcome(s3.send(new HeadBucketCommand({ Bucket: 'any-bucket' })));
    assert.notEqual(await head(), 'NotFound');
    clock.advance(30_000);
    assert.equal(await head(), 'NotFound');
  });
});
