/**
 * Logs clients that send to Kinesis Data Firehose and Kinesis Data Streams:
 * `signet run` tails a file into `signet local`, and the records are read
 * back (Firehose from what local stored, Kinesis with the AWS SDK v3).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import { DEMO_CREDENTIALS, sdkConfig } from '../../helpers/local-stack.js';
import { startSignet } from '../../helpers/signet-child.js';
import { tempDir, waitFor } from '../../agent/harness.js';
import { readKinesis } from '../../sinks/aws-records/helpers.js';

let local: LocalStack;
const dirs: { remove(): void }[] = [];
before(async () => {
  local = await startLocal();
});
after(async () => {
  await local.close();
  dirs.forEach((d) => d.remove());
});

function run(clients: string, lines: string): Promise<{ dir: string; stop(): Promise<unknown> }> {
  const d = tempDir('signet-streams-');
  dirs.push(d);
  writeFileSync(join(d.path, 'app.log'), lines);
  return startSignet(
    d.path,
    `logs:
  positions_directory: ${d.path}/positions
  configs:
  - name: streams
    clients:
${clients}
    scrape_configs:
    - job_name: app
      static_configs: [{ labels: { job: app, pod: web-1, __path__: "${d.path}/app.log" } }]
`,
    {
      AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
    },
  ).then((agent) => ({ dir: d.path, stop: () => agent.stop() }));
}

describe('logs to Firehose, Kinesis and S3', () => {
  test('firehose: delivery_stream_name, line records with newlines, in order', async () => {
    const agent = await run(
      `    - firehose: { delivery_stream_name: app-logs, region: us-east-1, endpoint: ${local.url} }
      batchwait: 50ms`,
      'one\ntwo\nthree\n',
    );
    await waitFor('the records', () =>
      local.firehose.records('app-logs').length >= 3 ? true : undefined,
    );
    await agent.stop();
    assert.deepEqual(local.firehose.records('app-logs').map(String), ['one\n', 'two\n', 'three\n']);
  });

  test('kinesis: stream_name, a partition_key template, JSON records with newlines', async () => {
    const agent = await run(
      `    - kinesis:
        stream_name: app-stream
        region: us-east-1
        endpoint: ${local.url}
        partition_key: "{{ .pod }}"
        record_format: json
        newline: true
      batchwait: 50ms`,
      'alpha\nbeta\n',
    );
    const records = await waitFor('the records', async () => {
      const got = await readKinesis(local, 'app-stream').catch(() => []);
      return got.length >= 2 ? got : undefined;
    });
    await agent.stop();
    assert.deepEqual(
      records.map((r) => r.partitionKey),
      ['web-1', 'web-1'],
    );
    const parsed = records.map(
      (r) => JSON.parse(r.data.toString('utf8')) as Record<string, unknown>,
    );
    assert.deepEqual(
      parsed.map((p) => [p.line, p.labels]),
      [
        ['alpha', { filename: join(agent.dir, 'app.log'), job: 'app', pod: 'web-1' }],
        ['beta', { filename: join(agent.dir, 'app.log'), job: 'app', pod: 'web-1' }],
      ],
    );
  });

  test('s3: bucket and prefix, one gzipped ndjson object, read back with the AWS SDK', async () => {
    const sdk = new S3Client(sdkConfig(local, { forcePathStyle: true }));
    await sdk.send(new CreateBucketCommand({ Bucket: 'log-archive' }));
    const agent = await run(
      `    - s3:
        bucket: log-archive
        prefix: agents/node-a
        compression: gzip
        format: ndjson
        region: us-east-1
        endpoint: ${local.url}
        batch_wait: 200ms
        addressing: path`,
      'first\nsecond\n',
    );
    const keys = await waitFor('the object', async () => {
      const listed = await sdk.send(new ListObjectsV2Command({ Bucket: 'log-archive' }));
      const found = (listed.Contents ?? []).map((o) => o.Key!);
      return found.length > 0 ? found : undefined;
    });
    await agent.stop();
    assert.equal(keys.length, 1);
    assert.match(keys[0]!, /^agents\/node-a\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/.+\.ndjson\.gz$/);
    const object = await sdk.send(new GetObjectCommand({ Bucket: 'log-archive', Key: keys[0] }));
    const body = Buffer.from(await object.Body!.transformToByteArray());
    const text = (
      object.ContentEncoding === 'gzip' && body[0] === 0x1f ? gunzipSync(body) : body
    ).toString('utf8');
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: string; labels: Record<string, string> });
    assert.deepEqual(
      lines.map((l) => [l.line, l.labels.pod]),
      [
        ['first', 'web-1'],
        ['second', 'web-1'],
      ],
    );
    sdk.destroy();
  });
});
