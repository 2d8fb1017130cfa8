/**
 * Kinesis through the whole HTTP core with @aws-sdk/client-kinesis as it comes:
 * its default request handler speaks HTTP/2 for every operation (it needs it
 * for SubscribeToShard), and to an `http://` endpoint that means cleartext
 * HTTP/2 with prior knowledge, which `signet local` serves on the same port
 * as HTTP/1.1. It signs `:authority` in place of `host`, as AWS accepts.
 * PutRecords' 5 MiB request limit is checked at the limit and one byte past.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startLocal, type LocalStack } from '../../../../src/local/index.js';
import { MAX_REQUEST_BYTES } from '../../../../src/local/services/kinesis/index.js';
import { loggedRequests, sdkConfig, unverified } from '../../../helpers/local-stack.js';

const MiB = 1024 * 1024;

describe('the default Kinesis client over HTTP/2', () => {
  let local: LocalStack;
  let kinesis: KinesisClient;
  before(async () => {
    local = await startLocal({ port: 0 });
    kinesis = new KinesisClient(sdkConfig(local));
  });
  after(async () => {
    kinesis.destroy();
    await local.close();
  });

  test('puts records and reads them back unchanged, every request verified', async () => {
    const data = [Buffer.from('first'), Buffer.from([0, 255, 10, 13])];
    const put = await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'h2',
        Records: data.map((d, i) => ({ Data: d, PartitionKey: `p${i}` })),
      }),
    );
    assert.equal(put.FailedRecordCount, 0);
    const it = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: 'h2',
        ShardId: put.Records![0]!.ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }));
    assert.deepEqual(
      got.Records?.map((r) => Buffer.from(r.Data!)),
      data,
    );
    const log = await loggedRequests(local);
    assert.deepEqual(unverified(log), []);
    assert.deepEqual(
      log.map((r) => [r.operation, r.httpVersion]),
      [
        ['PutRecords', '2.0'],
        ['GetShardIterator', '2.0'],
        ['GetRecords', '2.0'],
      ],
    );
  });

  test('PutRecords takes 5 MiB of data plus partition keys and refuses one byte more', async () => {
    assert.equal(MAX_REQUEST_BYTES, 5_242_880);
    // Five records of 1 MiB each, data and a one-character key: exactly 5,242,880 bytes.
    const full = Array.from({ length: 5 }, (_, i) => ({
      Data: Buffer.alloc(MiB - 1, i),
      PartitionKey: String(i),
    }));
    const ok = await kinesis.send(new PutRecordsCommand({ StreamName: 'limit', Records: full }));
    assert.equal(ok.FailedRecordCount, 0);
    assert.equal(ok.Records?.length, 5);
    await assert.rejects(
      kinesis.send(
        new PutRecordsCommand({
          StreamName: 'limit',
          Records: [...full, { Data: Buffer.alloc(0), PartitionKey: 'x' }],
        }),
      ),
      { name: 'InvalidArgumentException', message: 'Records size exceeds 5 MB limit' },
    );
    assert.equal(local.kinesis.records('limit').length, 5);
  });

  test('an HTTP/1.1 handler reaches the same server', async () => {
    const h1 = new KinesisClient(sdkConfig(local, { requestHandler: new NodeHttpHandler() }));
    const put = await h1.send(
      new PutRecordsCommand({
        StreamName: 'h2',
        Records: [{ Data: Buffer.from('h1'), PartitionKey: 'k' }],
      }),
    );
    assert.equal(put.FailedRecordCount, 0);
    const last = (await loggedRequests(local)).at(-1);
    assert.deepEqual([last?.httpVersion, last?.signature], ['1.1', 'verified']);
  });
});
