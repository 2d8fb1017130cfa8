/**
 * Every limit the logs sinks keep to, as `signet local` enforces it, seen
 * through the official AWS SDK v3 clients over 127.0.0.1 — so signet local is
 * checked independently of Signet: at the limit accepted, one byte, event or
 * record past it refused with AWS's error type (or, for PutLogEvents' time
 * rules, reported in rejectedLogEventsInfo). One stack for the file, on a
 * frozen clock so the 14-day, 2-hour and retention edges are exact.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  type InputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateDeliveryStreamCommand,
  FirehoseClient,
  PutRecordBatchCommand,
  type _Record as FirehoseRecord,
} from '@aws-sdk/client-firehose';
import {
  CreateStreamCommand,
  KinesisClient,
  PutRecordsCommand,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import { sdkConfig, TestClock } from '../../helpers/local-stack.js';

const MiB = 1024 * 1024;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Rejects with the SDK exception named `name` (AWS's error type). */
async function refused(promise: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.equal(error.name, name, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

let local: LocalStack;
const clock = new TestClock({ frozen: true });
before(async () => {
  local = await startLocal({ clock: clock.now });
});
after(() => local.close());

describe('CloudWatch Logs PutLogEvents (SDK)', () => {
  let logs: CloudWatchLogsClient;
  let streams = 0;
  before(async () => {
    logs = new CloudWatchLogsClient(sdkConfig(local));
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'limits' }));
  });
  after(() => logs.destroy());

  /** A fresh stream of the `limits` group. */
  async function stream(): Promise<string> {
    const name = `s${++streams}`;
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'limits', logStreamName: name }));
    return name;
  }
  const put = async (logEvents: InputLogEvent[], logGroupName = 'limits') =>
    logs.send(new PutLogEventsCommand({ logGroupName, logStreamName: await stream(), logEvents }));
  const at = (n: number, message = 'x', timestamp = clock.now()) =>
    Array.from({ length: n }, () => ({ timestamp, message }));

  test('10,000 events are taken; 10,001 are InvalidParameterException', async () => {
    await put(at(10_000));
    await refused(put(at(10_001)), 'InvalidParameterException', /less than or equal to 10000/);
  });

  test('1,048,576 bytes counted as UTF-8 message bytes + 26 each are taken; one byte more is refused', async () => {
    // 16 events of 65,510 bytes but 32,755 UTF-16 units: 16,377 four-byte emoji and a two-byte é.
    const message = `${'😀'.repeat(16_377)}é`;
    assert.equal(Buffer.byteLength(message), 65_510);
    const exact = at(16, message);
    await put(exact);
    const over = [...at(15, message), { timestamp: clock.now(), message: `${message}x` }];
    await refused(put(over), 'InvalidParameterException', /1048577 bytes exceeds limit of 1048576/);
  });

  test('one event of 1,048,550 message bytes (1 MB with its 26) is taken; one byte more is refused', async () => {
    const message = '€'.repeat(349_516) + 'ab'; // 1,048,550 bytes
    await put([{ timestamp: clock.now(), message }]);
    await refused(
      put([{ timestamp: clock.now(), message: `${message}c` }]),
      'InvalidParameterException',
      /Log event too large/,
    );
  });

  test('a batch spanning 24 hours is taken; 24 hours and 1 ms is refused', async () => {
    const t = clock.now() - 2 * DAY;
    await put([
      { timestamp: t, message: 'first' },
      { timestamp: t + DAY, message: 'last' },
    ]);
    await refused(
      put([
        { timestamp: t, message: 'first' },
        { timestamp: t + DAY + 1, message: 'last' },
      ]),
      'InvalidParameterException',
      /24 hours/,
    );
  });

  test('events in timestamp order (equal ones too) are taken; one step back is refused', async () => {
    const t = clock.now();
    await put([
      { timestamp: t, message: 'a' },
      { timestamp: t, message: 'b' },
      { timestamp: t + 1, message: 'c' },
    ]);
    await refused(
      put([
        { timestamp: t + 1, message: 'c' },
        { timestamp: t, message: 'a' },
      ]),
      'InvalidParameterException',
      /chronological order/,
    );
  });

  test('14 days old, 2 hours ahead and the retention edge are kept; 1 ms beyond is rejected, the call not failed', async () => {
    const now = clock.now();
    // Two calls: the kept events of one would span more than 24 hours.
    const old = await put([
      { timestamp: now - 14 * DAY - 1, message: 'too old' },
      { timestamp: now - 14 * DAY, message: 'oldest kept' },
    ]);
    assert.deepEqual(old.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0 });
    const oldStream = `s${streams}`;
    const ahead = await put([
      { timestamp: now + 2 * HOUR, message: 'newest kept' },
      { timestamp: now + 2 * HOUR + 1, message: 'too new' },
    ]);
    assert.deepEqual(ahead.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 1 });
    const messages = async (logStreamName: string) =>
      (
        await logs.send(
          new GetLogEventsCommand({ logGroupName: 'limits', logStreamName, startFromHead: true }),
        )
      ).events?.map((e) => e.message);
    assert.deepEqual(await messages(oldStream), ['oldest kept']);
    assert.deepEqual(await messages(`s${streams}`), ['newest kept']);

    await logs.send(new CreateLogGroupCommand({ logGroupName: 'retained' }));
    await logs.send(
      new PutRetentionPolicyCommand({ logGroupName: 'retained', retentionInDays: 1 }),
    );
    const retained = await logs
      .send(new CreateLogStreamCommand({ logGroupName: 'retained', logStreamName: 'r' }))
      .then(() =>
        logs.send(
          new PutLogEventsCommand({
            logGroupName: 'retained',
            logStreamName: 'r',
            logEvents: [
              { timestamp: now - DAY - 1, message: 'expired' },
              { timestamp: now - DAY, message: 'kept' },
            ],
          }),
        ),
      );
    assert.deepEqual(retained.rejectedLogEventsInfo, { expiredLogEventEndIndex: 0 });
  });
});

describe('Firehose PutRecordBatch (SDK)', () => {
  let firehose: FirehoseClient;
  before(async () => {
    firehose = new FirehoseClient(sdkConfig(local));
    await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'limits' }));
  });
  after(() => firehose.destroy());
  const put = (Records: FirehoseRecord[]) =>
    firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'limits', Records }));
  const records = (n: number, bytes: number) =>
    Array.from({ length: n }, () => ({ Data: Buffer.alloc(bytes, 'r') }));

  test('500 records are taken; 501 are ValidationException', async () => {
    assert.equal((await put(records(500, 1))).FailedPutCount, 0);
    await refused(put(records(501, 1)), 'ValidationException', /less than or equal to 500/);
  });

  test('4 MiB of data in a call is taken; one byte more is InvalidArgumentException', async () => {
    // Four records of 1,000,000 bytes and one of the remaining 194,304: 4,194,304 bytes.
    const exact = [...records(4, 1_000_000), ...records(1, 4 * MiB - 4_000_000)];
    assert.equal((await put(exact)).FailedPutCount, 0);
    await refused(
      put([...exact, ...records(1, 1)]),
      'InvalidArgumentException',
      /exceeds 4 MB limit/,
    );
  });

  test('a record of 1,024,000 bytes is taken; 1,024,001 is ValidationException', async () => {
    assert.equal((await put(records(1, 1_024_000))).FailedPutCount, 0);
    await refused(put(records(1, 1_024_001)), 'ValidationException', /records\.1\.member\.data/);
  });
});

describe('Kinesis PutRecords (SDK)', () => {
  let kinesis: KinesisClient;
  before(async () => {
    kinesis = new KinesisClient(sdkConfig(local));
    await kinesis.send(new CreateStreamCommand({ StreamName: 'limits', ShardCount: 2 }));
  });
  after(() => kinesis.destroy());
  const put = (Records: PutRecordsRequestEntry[]) =>
    kinesis.send(new PutRecordsCommand({ StreamName: 'limits', Records }));
  const records = (n: number, bytes: number, key = 'k') =>
    Array.from({ length: n }, () => ({ Data: Buffer.alloc(bytes, 'r'), PartitionKey: key }));

  test('500 records are taken; 501 are ValidationException', async () => {
    assert.equal((await put(records(500, 1))).FailedRecordCount, 0);
    await refused(put(records(501, 1)), 'ValidationException', /less than or equal to 500/);
  });

  test('5 MiB of data and partition keys is taken; one byte more (of key) is InvalidArgumentException', async () => {
    // Five records of 1 MiB each: 1,048,320 bytes of data and a 256-character key.
    const key = 'k'.repeat(256);
    const exact = records(5, MiB - 256, key);
    assert.equal((await put(exact)).FailedRecordCount, 0);
    await refused(
      put([...exact.slice(0, 4), ...records(1, 1, 'x'), ...records(1, MiB - 257, key)]),
      'InvalidArgumentException',
      /exceeds 5 MB limit/,
    );
  });

  test('a record of 1 MiB of data plus key is taken; one byte more is ValidationException', async () => {
    // A two-character key of two-byte characters: 4 bytes of the MiB.
    assert.equal((await put(records(1, MiB - 4, 'éé'))).FailedRecordCount, 0);
    await refused(
      put(records(1, MiB - 3, 'éé')),
      'ValidationException',
      /records\.1\.member\.data/,
    );
  });

  test('a partition key of 256 characters (emoji too) is taken; 257 is ValidationException', async () => {
    assert.equal((await put(records(1, 1, '😀'.repeat(256)))).FailedRecordCount, 0);
    await refused(
      put(records(1, 1, '😀'.repeat(257))),
      'ValidationException',
      /partitionKey.*less than or equal to 256/,
    );
  });
});

describe('S3 multipart limits and checksums (SDK)', () => {
  let s3: S3Client;
  const Bucket = 'limits';
  before(async () => {
    s3 = new S3Client(sdkConfig(local, { forcePathStyle: true }));
    await s3.send(new CreateBucketCommand({ Bucket }));
  });
  after(() => s3.destroy());

  /** Uploads parts of these sizes and completes them. */
  async function multipart(Key: string, sizes: readonly number[]) {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const Parts = [];
    for (const [i, size] of sizes.entries()) {
      const { ETag } = await s3.send(
        new UploadPartCommand({
          Bucket,
          Key,
          UploadId,
          PartNumber: i + 1,
          Body: Buffer.alloc(size, i),
        }),
      );
      Parts.push({ PartNumber: i + 1, ETag });
    }
    return s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } }),
    );
  }

  test('every part but the last at least 5 MiB: 5 MiB then 1 byte completes; 5 MiB − 1 is EntityTooSmall', async () => {
    await multipart('at', [5 * MiB, 1]);
    assert.equal(
      (await s3.send(new HeadObjectCommand({ Bucket, Key: 'at' }))).ContentLength,
      5 * MiB + 1,
    );
    await refused(multipart('past', [5 * MiB - 1, 1]), 'EntityTooSmall');
  });

  test('part number 10,000 is taken; 10,001 is InvalidArgument', async () => {
    const Key = 'numbers';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const part = (PartNumber: number) =>
      s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: 'p' }));
    await part(10_000);
    await refused(part(10_001), 'InvalidArgument', /between 1 and 10000/);
  });

  test('a wrong Content-MD5 or x-amz-checksum-sha256 is BadDigest, on PutObject and UploadPart, and nothing is stored', async () => {
    const Body = Buffer.from('the body as sent');
    const md5 = (data: Buffer) => createHash('md5').update(data).digest('base64');
    const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('base64');
    const other = Buffer.from('another body');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'md5-ok', Body, ContentMD5: md5(Body) }));
    await refused(
      s3.send(new PutObjectCommand({ Bucket, Key: 'md5-bad', Body, ContentMD5: md5(other) })),
      'BadDigest',
    );
    await s3.send(
      new PutObjectCommand({ Bucket, Key: 'sha-ok', Body, ChecksumSHA256: sha256(Body) }),
    );
    await refused(
      s3.send(
        new PutObjectCommand({ Bucket, Key: 'sha-bad', Body, ChecksumSHA256: sha256(other) }),
      ),
      'BadDigest',
    );
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key: 'part-bad' }),
    );
    await refused(
      s3.send(
        new UploadPartCommand({
          Bucket,
          Key: 'part-bad',
          UploadId,
          PartNumber: 1,
          Body,
          ContentMD5: md5(other),
        }),
      ),
      'BadDigest',
    );
    for (const Key of ['md5-bad', 'sha-bad', 'part-bad']) {
      await refused(s3.send(new HeadObjectCommand({ Bucket, Key })), 'NotFound');
    }
  });

  test('a body changed after signing (x-amz-content-sha256 no longer its hash) is refused and not stored', async () => {
    const corrupting = new S3Client(sdkConfig(local, { forcePathStyle: true }));
    // After signing, as a bad proxy or a flipped bit in transit would: the signed hash stays.
    type Middleware = Parameters<S3Client['middlewareStack']['addRelativeTo']>[0];
    type Args = { request: { body?: unknown } };
    const corruptBody = ((next: (args: Args) => Promise<unknown>) => (args: Args) => {
      const body = args.request.body;
      if (body instanceof Uint8Array) {
        const changed = Buffer.from(body);
        changed[0] = changed[0]! ^ 1;
        args.request.body = changed;
      }
      return next(args);
    }) as unknown as Middleware;
    // After signing, as a bad proxy or a flipped bit in transit would: the signed hash stays.
    corrupting.middlewareStack.addRelativeTo(corruptBody, {
      relation: 'after',
      toMiddleware: 'awsAuthMiddleware',
      name: 'corruptBody',
    });
    try {
      await refused(
        corrupting.send(
          new PutObjectCommand({ Bucket, Key: 'corrupted', Body: Buffer.from('sealed object') }),
        ),
        'XAmzContentSHA256Mismatch',
      );
    } finally {
      corrupting.destroy();
    }
    await refused(s3.send(new HeadObjectCommand({ Bucket, Key: 'corrupted' })), 'NotFound');
  });
});
