/**
 * Refusals signet local has no cause to give, from a small stand-in
 * Kinesis on a real socket: a call refused for good (ValidationException)
 * is halved until only the record at fault is dropped and counted, the rest
 * delivered in order; a KMS key the stream may not use (KMSDisabledException,
 * per call or per record) holds the records until it is fixed, never drops
 * them. The stand-in checks each call the way the API does and answers in
 * AWS's JSON 1.1 error shape; it is not a yes-machine.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import { AwsClient } from '../../../src/aws/http/aws-client.js';
import { KinesisClient, createKinesisMetrics } from '../../../src/sinks/kinesis/index.js';
import { collect, metricValue, numbered, until } from './helpers.js';

interface Call {
  readonly records: { data: string; key: string }[];
  readonly target: string | undefined;
}

describe('record-stream refusals (stand-in Kinesis)', () => {
  let server: Server;
  let url: string;
  const stored: string[] = [];
  const received: Call[] = [];
  /** 'none', or a KMS refusal of whole calls, or of each record. */
  let kms: 'none' | 'call' | 'record' = 'none';

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as {
          Records: { Data: string; PartitionKey: string }[];
        };
        const records = body.Records.map((r) => ({
          data: Buffer.from(r.Data, 'base64').toString(),
          key: r.PartitionKey,
        }));
        received.push({ records, target: req.headers['x-amz-target'] as string | undefined });
        const answer = (status: number, json: unknown): void => {
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify(json));
        };
        if (kms === 'call') {
          return answer(400, {
            __type: 'KMSDisabledException',
            message: 'The request was rejected because the specified CMK is not enabled.',
          });
        }
        const poison = records.findIndex((r) => r.data.includes('poison'));
        if (poison >= 0) {
          return answer(400, {
            __type: 'ValidationException',
            message: `1 validation error detected: Value at 'records.${poison + 1}.member.data' failed to satisfy constraint`,
          });
        }
        const results = records.map((r) => {
          if (kms === 'record') {
            return { ErrorCode: 'KMSDisabledException', ErrorMessage: 'key disabled' };
          }
          stored.push(r.data);
          return { SequenceNumber: String(stored.length), ShardId: 'shardId-000000000000' };
        });
        const failed = results.filter((r) => 'ErrorCode' in r).length;
        answer(200, { FailedRecordCount: failed, Records: results });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function client(batchWaitMs = 60_000) {
    const collected = collect(createKinesisMetrics);
    const made = new KinesisClient<number>(
      {
        streamName: 'standin',
        url,
        aws: new AwsClient({
          service: 'kinesis',
          region: 'us-east-1',
          credentials: createCredentialProvider({
            accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
            secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
          }),
        }),
        batchWaitMs,
        minBackoffMs: 5,
        maxBackoffMs: 20,
        holdMaxBackoffMs: 30,
      },
      collected.deps,
    );
    return { client: made, ...collected };
  }

  test('a call refused for good is halved until only the poison record is dropped', async () => {
    stored.length = 0;
    received.length = 0;
    const h = client();
    const entries = numbered(16);
    entries[5] = { ...entries[5]!, line: 'poison pill' };
    h.client.enqueue(entries, 1);
    assert.deepEqual(await h.client.close({ drainMs: 5000 }), { unsent: 0 });
    assert.deepEqual(
      stored,
      entries.filter((_, i) => i !== 5).map((e) => e.line),
    );
    assert.deepEqual(
      received.map((c) => c.records.length),
      // 16 → 0–7 refused → 0–3 stored, 4–7 refused → 4–5 refused → 4 stored, 5 dropped; 6–7, 8–15 stored.
      [16, 8, 4, 4, 2, 1, 1, 2, 8],
      'halved down to the record at fault',
    );
    assert.ok(received.every((c) => c.target === 'Kinesis_20131202.PutRecords'));
    assert.equal(
      await metricValue(h.registry, 'signet_kinesis_dropped_records_total', { reason: 'invalid' }),
      1,
    );
    assert.equal(
      await metricValue(h.registry, 'signet_kinesis_dropped_entries_total', { reason: 'invalid' }),
      1,
    );
    assert.equal(await metricValue(h.registry, 'signet_kinesis_sent_entries_total'), 15);
    assert.ok(
      h.logs.some((l) => l.level === 'error' && /refused 1 record \(invalid\)/.test(l.message)),
    );
    assert.deepEqual(h.progress, [1]);
  });

  for (const where of ['call', 'record'] as const) {
    test(`a disabled KMS key (per ${where}) holds the records until it is enabled`, async () => {
      stored.length = 0;
      kms = where;
      const h = client(10);
      h.client.enqueue(numbered(4), 1);
      await until(() => h.client.stats.blocked !== undefined, 'blocked');
      assert.equal(h.client.stats.blocked?.reason, 'access-denied');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(stored, []);
      assert.deepEqual(h.progress, []);
      kms = 'none';
      assert.deepEqual(await h.client.close({ drainMs: 5000 }), { unsent: 0 });
      assert.deepEqual(
        stored,
        numbered(4).map((e) => e.line),
      );
      assert.equal(await metricValue(h.registry, 'signet_kinesis_dropped_records_total'), 0);
      assert.deepEqual(h.progress, [1]);
    });
  }
});
