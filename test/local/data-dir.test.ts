/**
 * `signet local --data-dir` as a child process: what it answered as accepted
 * (CloudWatch Logs events, an S3 object) is there after the process is killed
 * with SIGKILL — no chance to flush — and started again on the same directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
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
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DEMO_CREDENTIALS } from '../helpers/local-stack.js';
import { startLocalProcess } from '../helpers/local-process.js';

const dir = mkdtempSync(join(tmpdir(), 'signet-local-data-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function clients(url: string) {
  const common = {
    endpoint: url,
    region: 'us-east-1',
    credentials: DEMO_CREDENTIALS,
    maxAttempts: 1,
  };
  return {
    logs: new CloudWatchLogsClient(common),
    s3: new S3Client({ ...common, forcePathStyle: true }),
  };
}

test('accepted log events and S3 objects survive SIGKILL and a restart on the same --data-dir', async () => {
  const now = Date.now();
  const first = await startLocalProcess(['--data-dir', dir]);
  const a = clients(first.url);
  await a.logs.send(new CreateLogGroupCommand({ logGroupName: 'app' }));
  await a.logs.send(new CreateLogStreamCommand({ logGroupName: 'app', logStreamName: 'web-1' }));
  await a.s3.send(new CreateBucketCommand({ Bucket: 'keep' }));
  await a.s3.send(new PutObjectCommand({ Bucket: 'keep', Key: 'a/b.txt', Body: 'kept bytes' }));
  await a.logs.send(
    new PutLogEventsCommand({
      logGroupName: 'app',
      logStreamName: 'web-1',
      logEvents: [
        { timestamp: now - 1, message: 'first' },
        { timestamp: now, message: 'second' },
      ],
    }),
  );
  // Killed the moment the last answer is in: nothing gets a chance to write later.
  await first.stop('SIGKILL');
  a.logs.destroy();
  a.s3.destroy();

  const second = await startLocalProcess(['--data-dir', dir]);
  const b = clients(second.url);
  try {
    const events = await b.logs.send(
      new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 'web-1', startFromHead: true }),
    );
    assert.deepEqual(
      events.events?.map((e) => e.message),
      ['first', 'second'],
    );
    const object = await b.s3.send(new GetObjectCommand({ Bucket: 'keep', Key: 'a/b.txt' }));
    assert.equal(await object.Body?.transformToString(), 'kept bytes');
  } finally {
    b.logs.destroy();
    b.s3.destroy();
    await second.stop();
  }
});
