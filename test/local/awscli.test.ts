/**
 * Debian's awscli (/usr/bin/aws, aws-cli 2.x) against `signet local`: every
 * request it signs must pass verification (recomputed with
 * @smithy/signature-v4), and what it writes must read back unchanged. Under
 * CI=true a missing /usr/bin/aws fails; elsewhere these tests are skipped
 * with the reason.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLocalConfig } from '../../src/local/config/load.js';
import { startLocal, type LocalStack } from '../../src/local/index.js';
import { awsCli, awscliMissing, type AwsCli } from '../helpers/awscli.js';
import {
  DEMO_PRINCIPAL_YAML,
  loggedRequests,
  TestClock,
  unverified,
} from '../helpers/local-stack.js';
import { Random } from '../helpers/random.js';

const missing = awscliMissing();
const onCi = process.env.CI === 'true';

test(
  'Debian awscli is installed where CI runs',
  { skip: onCi ? false : 'only checked under CI=true' },
  () => {
    assert.equal(missing, undefined, missing);
  },
);

const instance = (n: number) => `
  - instance_id: i-0a5c110000000000${n}
    image_id: ami-0abcdef1234567890
    instance_type: t3.micro
    private_ip: 10.1.0.${10 + n}
    state: running
    tags: { Name: awscli-${n} }
    availability_zone: us-east-1a
    vpc_id: vpc-0a1b2c3d
    subnet_id: subnet-0a1b2c3d
    launch_time: '2024-05-01T12:00:00Z'`;

const CONFIG = `${DEMO_PRINCIPAL_YAML}
instances:${[1, 2, 3, 4, 5, 6, 7].map(instance).join('')}
`;

/** 12 MB: above awscli's 8 MiB multipart threshold, so it uploads in two parts. */
const BIG = new Random(4).bytes(12_000_000);
const BUCKET = 'signet-awscli';

interface LogEvents {
  events: Array<{ timestamp: number; message: string }>;
}

describe(
  'Debian awscli against signet local',
  { skip: missing !== undefined && !onCi ? missing : false },
  () => {
    const clock = new TestClock();
    let local: LocalStack;
    let aws: AwsCli;
    const json = (...args: string[]) => aws.json(args);
    /** A command whose output is not JSON (`aws s3 …`); it must succeed. */
    const ok = async (...args: string[]) => {
      const result = await aws.run(args);
      assert.equal(result.status, 0, `aws ${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    };
    const operations = async (from: number) =>
      (await loggedRequests(local)).slice(from).map((r) => r.operation);

    before(async () => {
      assert.equal(missing, undefined, missing);
      local = await startLocal({
        port: 0,
        config: parseLocalConfig(CONFIG, 'awscli.yaml'),
        clock: clock.now,
      });
      aws = awsCli(local.url);
    });
    after(() => local?.close());

    test('sts get-caller-identity', async () => {
      const id = (await json('sts', 'get-caller-identity')) as { Account: string; Arn: string };
      assert.equal(id.Account, '123456789012');
      assert.equal(id.Arn, 'arn:aws:iam::123456789012:user/demo');
    });

    test('s3 mb, cp up in parts, cp down, ls, head-object, rm', async () => {
      const up = join(aws.home, 'big.bin');
      const down = join(aws.home, 'down.bin');
      writeFileSync(up, BIG);
      await ok('s3', 'mb', `s3://${BUCKET}`);
      const mark = (await loggedRequests(local)).length;
      await ok('s3', 'cp', '--no-progress', up, `s3://${BUCKET}/dir/big file.bin`);
      assert.deepEqual(await operations(mark), [
        'CreateMultipartUpload',
        'UploadPart',
        'UploadPart',
        'CompleteMultipartUpload',
      ]);
      await ok('s3', 'cp', '--no-progress', `s3://${BUCKET}/dir/big file.bin`, down);
      assert.ok(readFileSync(down).equals(BIG), 'the download equals the upload');
      const listing = await ok('s3', 'ls', `s3://${BUCKET}/dir/`);
      assert.match(listing, /\s12000000 big file\.bin\n$/);
      const headObject = ['s3api', 'head-object', '--bucket', BUCKET, '--key', 'dir/big file.bin'];
      const head = (await json(...headObject)) as { ContentLength: number; ETag: string };
      assert.equal(head.ContentLength, BIG.length);
      assert.match(head.ETag, /^"[0-9a-f]{32}-2"$/);
      await ok('s3', 'rm', `s3://${BUCKET}/dir/big file.bin`);
      const gone = await aws.run(headObject);
      assert.notEqual(gone.status, 0);
      assert.match(gone.stderr, /404|Not Found/);
    });

    test('s3 presign: the URL serves the object until it expires on the server clock', async () => {
      const small = join(aws.home, 'small.txt');
      writeFileSync(small, 'presigned by awscli ✓\n');
      await ok('s3', 'cp', '--no-progress', small, `s3://${BUCKET}/small.txt`);
      const url = (
        await ok('s3', 'presign', `s3://${BUCKET}/small.txt`, '--expires-in', '60')
      ).trim();
      assert.match(url, /X-Amz-Expires=60/);
      const fresh = await fetch(url);
      assert.equal(fresh.status, 200);
      assert.equal(await fresh.text(), 'presigned by awscli ✓\n');
      clock.advance(61_000);
      try {
        const expired = await fetch(url);
        assert.equal(expired.status, 403);
        assert.match(
          await expired.text(),
          /<Code>AccessDenied<\/Code><Message>Request has expired</,
        );
      } finally {
        clock.advance(-61_000);
      }
    });

    test('logs: create group and stream, put events, get them back unchanged', async () => {
      const group = ['--log-group-name', '/signet/awscli'];
      const stream = [...group, '--log-stream-name', 'main'];
      await json('logs', 'create-log-group', ...group);
      await json('logs', 'create-log-stream', ...stream);
      const at = Date.now();
      const events = [
        { timestamp: at - 2, message: 'first line ✓' },
        { timestamp: at - 1, message: 'with "quotes", a tab\tand\nnewline' },
        { timestamp: at, message: '{"json": true}' },
      ];
      await json('logs', 'put-log-events', ...stream, '--log-events', JSON.stringify(events));
      const got = (await json(
        'logs',
        'get-log-events',
        ...stream,
        '--start-from-head',
      )) as LogEvents;
      assert.deepEqual(
        got.events.map((e) => ({ timestamp: e.timestamp, message: e.message })),
        events,
      );
    });

    test('firehose put-record-batch and kinesis put-records: the bytes arrive unchanged', async () => {
      const records = [Buffer.from('one\n'), Buffer.from([0, 1, 254, 255]), Buffer.from('✓')];
      const firehose = (await json(
        'firehose',
        'put-record-batch',
        '--delivery-stream-name',
        'awscli',
        '--records',
        JSON.stringify(records.map((r) => ({ Data: r.toString('base64') }))),
      )) as { FailedPutCount: number };
      assert.equal(firehose.FailedPutCount, 0);
      assert.deepEqual(local.firehose.records('awscli'), records);
      const kinesis = (await json(
        'kinesis',
        'put-records',
        '--stream-name',
        'awscli',
        '--records',
        JSON.stringify(
          records.map((r, i) => ({ Data: r.toString('base64'), PartitionKey: `p${i}` })),
        ),
      )) as { FailedRecordCount: number };
      assert.equal(kinesis.FailedRecordCount, 0);
      assert.deepEqual(local.kinesis.records('awscli'), records);
    });

    test('cloudwatch put-metric-data, then get-metric-data reads it back', async () => {
      const minute = Math.floor(Date.now() / 60_000) * 60_000;
      const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
      await json(
        'cloudwatch',
        'put-metric-data',
        '--namespace',
        'Signet/awscli',
        '--metric-data',
        JSON.stringify([
          {
            MetricName: 'up',
            Value: 42.5,
            Timestamp: iso(minute),
            Dimensions: [{ Name: 'job', Value: 'cli' }],
          },
        ]),
      );
      const data = (await json(
        'cloudwatch',
        'get-metric-data',
        '--start-time',
        iso(minute - 60_000),
        '--end-time',
        iso(minute + 60_000),
        '--metric-data-queries',
        JSON.stringify([
          {
            Id: 'm',
            MetricStat: {
              Metric: {
                Namespace: 'Signet/awscli',
                MetricName: 'up',
                Dimensions: [{ Name: 'job', Value: 'cli' }],
              },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ]),
      )) as { MetricDataResults: Array<{ Values: number[]; Timestamps: string[] }> };
      assert.deepEqual(data.MetricDataResults[0]?.Values, [42.5]);
      assert.equal(Date.parse(data.MetricDataResults[0]?.Timestamps[0] ?? ''), minute);
    });

    test('ec2 describe-instances pages through the configured instances', async () => {
      const mark = (await loggedRequests(local)).length;
      const out = (await json('ec2', 'describe-instances', '--page-size', '5')) as {
        Reservations: Array<{ Instances: Array<{ InstanceId: string; PrivateIpAddress: string }> }>;
      };
      const instances = out.Reservations.flatMap((r) => r.Instances);
      assert.deepEqual(
        instances.map((i) => [i.InstanceId, i.PrivateIpAddress]),
        [1, 2, 3, 4, 5, 6, 7].map((n) => [`i-0a5c110000000000${n}`, `10.1.0.${10 + n}`]),
      );
      assert.deepEqual(await operations(mark), ['DescribeInstances', 'DescribeInstances']);
    });

    test('xray put-trace-segments, then batch-get-traces reads the segment back', async () => {
      const seconds = Math.floor(Date.now() / 1000);
      const traceId = `1-${seconds.toString(16)}-0123456789abcdef01234567`;
      const segment = {
        trace_id: traceId,
        id: '0123456789abcdef',
        name: 'signet-awscli',
        start_time: seconds - 1,
        end_time: seconds,
        annotations: { via: 'awscli ✓' },
      };
      const put = (await json(
        'xray',
        'put-trace-segments',
        '--trace-segment-documents',
        JSON.stringify(segment),
      )) as {
        UnprocessedTraceSegments: unknown[];
      };
      assert.deepEqual(put.UnprocessedTraceSegments, []);
      const traces = (await json('xray', 'batch-get-traces', '--trace-ids', traceId)) as {
        Traces: Array<{ Segments: Array<{ Document: string }> }>;
      };
      assert.deepEqual(JSON.parse(traces.Traces[0]?.Segments[0]?.Document ?? '{}'), segment);
    });

    test('every request awscli sent passed signature verification', async () => {
      const log = await loggedRequests(local);
      assert.ok(log.length >= 25, `only ${log.length} requests logged`);
      // The one refusal is the presigned URL fetched after it expired.
      assert.deepEqual(
        unverified(log).map((r) => [r.operation, r.signature]),
        [['GetObject', 'rejected: AccessDenied']],
      );
      assert.equal(log.filter((r) => r.signature === 'verified (presigned)').length, 1);
    });
  },
);
