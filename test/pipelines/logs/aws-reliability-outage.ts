/**
 * Issue 13's reliability bullet for outages, at the pipeline level:
 * `signet run` tails real files while `signet local` throttles CloudWatch
 * Logs for 30 s (ThrottlingException) or answers S3 PutObject with 503 for
 * 30 s (SlowDown, then ServiceUnavailable). Nothing may be lost, CloudWatch
 * Logs keeps each stream's order, and delivery catches up within seconds
 * of the fault's end (backoff_config caps the wait at 500 ms).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { sdkConfig } from '../../helpers/local-stack.js';
import { waitFor } from '../../agent/harness.js';
import {
  NumberedWriter,
  numbersOf,
  readLogGroup,
  readS3Ndjson,
  watchRequests,
} from './aws-readback.js';
import {
  assertEachOnce,
  assertExact,
  BACKOFF,
  ownLocal,
  runAgent,
  sleep,
  workDir,
} from './aws-reliability-harness.js';

export const FAULT_MS = 30_000;

/** CloudWatch Logs throttled (ThrottlingException) for 30 s: nothing lost, each stream in order. */
export async function cloudWatchLogsThrottled(): Promise<void> {
  const local = await ownLocal();
  const dir = workDir();
  const writers = ['web', 'db'].map((job) => new NumberedWriter(job, join(dir, `${job}.log`)));
  const agent = await runAgent(dir, {
    jobs: ['web', 'db'],
    clients: `    - cloudwatch_logs:
        region: us-east-1
        endpoint: ${local.url}
        log_group_name: rel/throttled
        log_stream_name: "{{ .app }}"
      batchwait: 100ms
      ${BACKOFF}`,
  });
  await waitFor('both streams before the fault', async () => {
    const got = await readLogGroup(local, 'rel/throttled').catch(() => ({}));
    return Object.keys(got).length === 2 ? true : undefined;
  });
  const watch = watchRequests(local);
  const began = Date.now();
  await fetch(`${local.url}/_signet/faults`, {
    method: 'POST',
    body: JSON.stringify({ service: 'logs', kind: 'throttle', duration_ms: FAULT_MS }),
  });
  // In force from some moment of the POST on: a call that arrived before its answer may
  // still have been taken, so the window checked starts once the answer is back.
  const inForce = Date.now();
  await sleep(FAULT_MS - (Date.now() - began) + 1000);
  const written = await Promise.all(writers.map((w) => w.stop()));
  const ended = began + FAULT_MS;
  const streams = await waitFor(
    'every line after the throttling',
    async () => {
      const got = await readLogGroup(local, 'rel/throttled').catch(
        (): Record<string, string[]> => ({}),
      );
      return (got.web?.length ?? 0) >= written[0]! && (got.db?.length ?? 0) >= written[1]!
        ? got
        : undefined;
    },
    300,
    50,
  );
  const recoveredMs = Date.now() - ended;
  await sleep(300);
  assert.equal(await agent.stop(), 0);
  const calls = watch.stop().filter((r) => r.operation === 'PutLogEvents');
  const throttled = calls.filter((r) => r.errorCode === 'ThrottlingException');
  const acceptedDuring = calls.filter(
    (r) => r.status === 200 && Date.parse(r.time) >= inForce && Date.parse(r.time) < ended - 100,
  ).length;
  assert.ok(throttled.length >= 10, `only ${throttled.length} calls were throttled`);
  assert.equal(acceptedDuring, 0, 'the fault was in force for its 30 s');
  const final = await readLogGroup(local, 'rel/throttled');
  assert.deepEqual(Object.keys(streams).sort(), ['db', 'web']);
  assertExact('web', numbersOf('web', final.web!), written[0]!);
  assertExact('db', numbersOf('db', final.db!), written[1]!);
  assert.ok(recoveredMs < 10_000, `caught up ${recoveredMs} ms after the fault ended`);
  console.log(
    `cloudwatch logs: ${written.join(' + ')} lines, ${throttled.length} throttled calls, caught up ${recoveredMs} ms after the fault`,
  );
}

/** S3 PutObject answering 503 for 30 s (SlowDown, then ServiceUnavailable): nothing lost, every object whole. */
export async function s3Unavailable(): Promise<void> {
  const local = await ownLocal();
  const dir = workDir();
  const sdk = new S3Client(sdkConfig(local, { forcePathStyle: true }));
  await sdk.send(new CreateBucketCommand({ Bucket: 'rel-outage' }));
  sdk.destroy();
  const objects = new Map<string, Buffer>();
  const writer = new NumberedWriter('app', join(dir, 'app.log'));
  const agent = await runAgent(dir, {
    jobs: ['app'],
    clients: `    - s3:
        bucket: rel-outage
        region: us-east-1
        endpoint: ${local.url}
        addressing: path
        batch_size: 16KB
        batch_wait: 300ms
      ${BACKOFF}`,
  });
  await waitFor('an object before the fault', async () =>
    (await readS3Ndjson(local, 'rel-outage')).keys.length > 0 ? true : undefined,
  );
  const watch = watchRequests(local);
  const began = Date.now();
  // 15 s of SlowDown, then 15 s of ServiceUnavailable, both 503.
  const fault = (rule: object) =>
    fetch(`${local.url}/_signet/faults`, { method: 'POST', body: JSON.stringify(rule) });
  await fault({
    service: 's3',
    operation: 'PutObject',
    kind: 'throttle',
    duration_ms: FAULT_MS / 2,
  });
  await sleep(FAULT_MS / 2);
  await fault({
    service: 's3',
    operation: 'PutObject',
    kind: 'error',
    status: 503,
    duration_ms: FAULT_MS - (Date.now() - began),
  });
  await sleep(FAULT_MS - (Date.now() - began) + 1000);
  const written = await writer.stop();
  const ended = began + FAULT_MS;
  await waitFor(
    'every line after the outage',
    async () =>
      numbersOf('app', (await readS3Ndjson(local, 'rel-outage', objects)).lines).length >= written
        ? true
        : undefined,
    300,
    100,
  );
  const recoveredMs = Date.now() - ended;
  await sleep(300);
  assert.equal(await agent.stop(), 0);
  const puts = watch.stop().filter((r) => r.operation === 'PutObject');
  const codes = new Set(puts.filter((r) => r.status === 503).map((r) => r.errorCode));
  assert.deepEqual([...codes].sort(), ['ServiceUnavailable', 'SlowDown']);
  const contents = await readS3Ndjson(local, 'rel-outage', objects);
  assert.deepEqual(contents.broken, [], 'every object decompresses and parses');
  assertEachOnce('s3', numbersOf('app', contents.lines), written);
  assert.ok(recoveredMs < 10_000, `caught up ${recoveredMs} ms after the outage ended`);
  console.log(
    `s3: ${written} lines in ${contents.keys.length} objects, ${puts.filter((r) => r.status === 503).length} PutObject calls answered 503, caught up ${recoveredMs} ms after`,
  );
}
