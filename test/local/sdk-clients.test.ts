/**
 * Real AWS SDK v3 clients against `signet local` over 127.0.0.1: every request
 * must pass signature verification (recomputed with @smithy/signature-v4),
 * the data must read back unchanged through the same clients, and tampered
 * credentials, regions and clocks must be refused with AWS's codes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { BatchGetTracesCommand, PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  startLocal,
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  type LocalStack,
} from '../../src/local/index.js';

const credentials = { accessKeyId: DEMO_ACCESS_KEY_ID, secretAccessKey: DEMO_SECRET_ACCESS_KEY };

describe('AWS SDK v3 clients against signet local', () => {
  let local: LocalStack;
  let offsetMs = 0;
  const client = <T>(Client: new (config: object) => T, extra: object = {}): T =>
    new Client({ endpoint: local.url, region: 'us-east-1', credentials, maxAttempts: 1, ...extra });

  before(async () => {
    local = await startLocal({ port: 0, clock: () => Date.now() + offsetMs });
  });
  after(() => local.close());

  test('STS GetCallerIdentity names the demo principal', async () => {
    const id = await client(STSClient).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Account, '123456789012');
    assert.equal(id.Arn, 'arn:aws:iam::123456789012:user/demo');
  });

  test('CloudWatch Logs: events read back unchanged', async () => {
    const logs = client(CloudWatchLogsClient);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/signet/test' }));
    await logs.send(
      new CreateLogStreamCommand({ logGroupName: '/signet/test', logStreamName: 'a' }),
    );
    const now = Date.now();
    const events = [
      { timestamp: now - 1000, message: 'first ✓' },
      { timestamp: now, message: 'second line' },
    ];
    const put = await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/signet/test',
        logStreamName: 'a',
        logEvents: events,
      }),
    );
    assert.equal(put.rejectedLogEventsInfo, undefined);
    const got = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/signet/test',
        logStreamName: 'a',
        startFromHead: true,
      }),
    );
    assert.deepEqual(
      got.events?.map((e) => ({ timestamp: e.timestamp, message: e.message })),
      events,
    );
  });

  test('S3: objects read back unchanged, path style', async () => {
    const s3 = client(S3Client, { forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'signet-test' }));
    const body = Buffer.from([0, 1, 2, 3, 250, 251, 252]);
    await s3.send(
      new PutObjectCommand({
        Bucket: 'signet-test',
        Key: 'dir/a b+c.bin',
        Body: body,
        ContentType: 'application/octet-stream',
      }),
    );
    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'signet-test', Key: 'dir/a b+c.bin' }),
    );
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), body);
    const list = await s3.send(new ListObjectsV2Command({ Bucket: 'signet-test', Prefix: 'dir/' }));
    assert.deepEqual(
      list.Contents?.map((o) => o.Key),
      ['dir/a b+c.bin'],
    );
  });

  test('Firehose and Kinesis: records arrive unchanged', async () => {
    const out = await client(FirehoseClient).send(
      new PutRecordBatchCommand({
        DeliveryStreamName: 'logs',
        Records: [{ Data: Buffer.from('one\n') }, { Data: Buffer.from('two\n') }],
      }),
    );
    assert.equal(out.FailedPutCount, 0);
    assert.deepEqual(
      local.firehose.records('logs').map((r) => r.toString()),
      ['one\n', 'two\n'],
    );
    // The Kinesis client as it comes: HTTP/2 (cleartext to an http:// endpoint), which signet local serves too.
    const kinesis = client(KinesisClient);
    const put = await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'events',
        Records: [{ Data: Buffer.from('k1'), PartitionKey: 'p' }],
      }),
    );
    assert.equal(put.FailedRecordCount, 0);
    const it = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: 'events',
        ShardId: put.Records![0]!.ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const records = await kinesis.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }));
    assert.deepEqual(
      records.Records?.map((r) => Buffer.from(r.Data!).toString()),
      ['k1'],
    );
  });

  test('X-Ray: a segment reads back', async () => {
    const xray = client(XRayClient);
    const traceId = `1-${Math.floor(Date.now() / 1000).toString(16)}-0123456789abcdef01234567`;
    const segment = {
      trace_id: traceId,
      id: '0123456789abcdef',
      name: 'signet',
      start_time: Date.now() / 1000 - 1,
      end_time: Date.now() / 1000,
    };
    const put = await xray.send(
      new PutTraceSegmentsCommand({ TraceSegmentDocuments: [JSON.stringify(segment)] }),
    );
    assert.deepEqual(put.UnprocessedTraceSegments ?? [], []);
    const traces = await xray.send(new BatchGetTracesCommand({ TraceIds: [traceId] }));
    assert.deepEqual(JSON.parse(traces.Traces?.[0]?.Segments?.[0]?.Document ?? '{}'), segment);
  });

  test('CloudWatch: a metric reads back', async () => {
    const cw = client(CloudWatchClient);
    const at = new Date(Math.floor(Date.now() / 60000) * 60000);
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Signet',
        MetricData: [
          { MetricName: 'up', Value: 42, Timestamp: at, Dimensions: [{ Name: 'job', Value: 't' }] },
        ],
      }),
    );
    const data = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(at.getTime() - 60000),
        EndTime: new Date(at.getTime() + 60000),
        MetricDataQueries: [
          {
            Id: 'm',
            MetricStat: {
              Metric: {
                Namespace: 'Signet',
                MetricName: 'up',
                Dimensions: [{ Name: 'job', Value: 't' }],
              },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );
    assert.deepEqual(data.MetricDataResults?.[0]?.Values, [42]);
  });

  test("EC2 DescribeInstances lists the default config's instance", async () => {
    const out = await client(EC2Client).send(new DescribeInstancesCommand({}));
    const ids = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId);
    assert.deepEqual(ids, ['i-0123456789abcdef0']);
  });

  test('every request so far was verified', () => {
    const rejected = local.log
      .list()
      .filter((r) => r.signature !== 'verified' && r.signature !== 'verified (presigned)');
    assert.deepEqual(rejected, []);
  });

  test('a wrong secret is refused with each protocol’s code', async () => {
    const wrong = {
      credentials: {
        accessKeyId: DEMO_ACCESS_KEY_ID,
        secretAccessKey: 'not-the-secret-key-0000000000000000000000',
      },
    };
    await assert.rejects(client(STSClient, wrong).send(new GetCallerIdentityCommand({})), {
      name: 'SignatureDoesNotMatch',
    });
    await assert.rejects(
      client(CloudWatchLogsClient, wrong).send(new CreateLogGroupCommand({ logGroupName: 'x' })),
      { name: 'InvalidSignatureException' },
    );
    await assert.rejects(
      client(S3Client, { ...wrong, forcePathStyle: true }).send(
        new ListObjectsV2Command({ Bucket: 'signet-test' }),
      ),
      { name: 'SignatureDoesNotMatch' },
    );
  });

  test('an unknown key, the wrong region and a skewed clock are refused', async () => {
    const unknown = {
      credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: DEMO_SECRET_ACCESS_KEY },
    };
    await assert.rejects(client(STSClient, unknown).send(new GetCallerIdentityCommand({})), {
      name: 'InvalidClientTokenId',
    });
    await assert.rejects(
      client(CloudWatchLogsClient, unknown).send(new CreateLogGroupCommand({ logGroupName: 'x' })),
      { name: 'UnrecognizedClientException' },
    );
    await assert.rejects(
      client(CloudWatchLogsClient, { region: 'eu-west-1' }).send(
        new CreateLogGroupCommand({ logGroupName: 'x' }),
      ),
      { name: 'InvalidSignatureException', message: /region/ },
    );
    offsetMs = 16 * 60 * 1000;
    try {
      await assert.rejects(
        client(CloudWatchLogsClient, { systemClockOffset: 0 }).send(
          new CreateLogGroupCommand({ logGroupName: 'x' }),
        ),
        { name: 'InvalidSignatureException', message: /Signature expired/ },
      );
      await assert.rejects(
        client(S3Client, { forcePathStyle: true }).send(
          new ListObjectsV2Command({ Bucket: 'signet-test' }),
        ),
        { name: 'RequestTimeTooSkewed' },
      );
    } finally {
      offsetMs = 0;
    }
  });
});
