/**
 * What the CloudWatch Logs client does with each kind of failure, against
 * `signet local` over 127.0.0.1: throttling and 5xx (signet local's fault
 * injection) retried with backoff until everything arrives; a batch AWS
 * refuses as invalid dropped with the reason logged; events AWS rejects in
 * rejectedLogEventsInfo counted; credentials AWS refuses held, never
 * dropped, until a rewritten credentials file fixes them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateLogGroupCommand,
  PutRetentionPolicyCommand,
  type CloudWatchLogsClient as SdkLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import type { AwsClient } from '../../../src/aws/http/aws-client.js';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  startLocal,
  type LocalStack,
} from '../../../src/local/index.js';
import type { LogEntry } from '../../../src/model/log-entry.js';
import { clearFaults, postFaults } from '../../helpers/local-stack.js';
import {
  awsReadingFile,
  REFUSED_CREDENTIALS,
  writeCredentials,
} from '../../helpers/sink-harness.js';
import { entry, harness, metricValue, readStream, sdkLogs, until } from './helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('CloudWatch Logs client failures (signet local)', () => {
  let local: LocalStack;
  let sdk: SdkLogsClient;
  let dir: string;
  before(async () => {
    local = await startLocal();
    sdk = sdkLogs(local);
    dir = mkdtempSync(join(tmpdir(), 'signet-cwlogs-'));
  });
  after(async () => {
    sdk.destroy();
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `count` entries for each of `pods`, one chunk per call, a millisecond apart. */
  function chunks(pods: readonly string[], count: number, t0: number): LogEntry[][] {
    return Array.from({ length: count }, (_, k) =>
      pods.map((pod, p) => entry(`${pod} ${k}`, t0 + k * pods.length + p, { pod })),
    );
  }

  async function assertAllArrived(group: string, pods: readonly string[], count: number) {
    for (const pod of pods) {
      const read = await readStream(sdk, group, pod);
      assert.deepEqual(
        read.map((e) => e.message),
        Array.from({ length: count }, (_, k) => `${pod} ${k}`),
        `stream ${pod}`,
      );
    }
  }

  test('throttled for 1.5 s while entries keep coming: retried with backoff, nothing lost', async () => {
    const group = 'signet/throttled';
    const pods = ['a', 'b', 'c'];
    const h = harness(local, {
      logGroupName: group,
      logStreamName: '{{ .pod }}',
      maxParallelStreams: 2,
    });
    await postFaults(local, {
      service: 'logs',
      operation: 'PutLogEvents',
      kind: 'throttle',
      duration_ms: 1500,
    });
    const all = chunks(pods, 30, Date.now() - 60_000);
    for (const [k, chunk] of all.entries()) {
      assert.equal(h.client.enqueue(chunk, k + 1), true);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await until(() => h.progress.at(-1) === all.length, 'all delivered after the throttling');
    await assertAllArrived(group, pods, all.length);
    const throttled = await metricValue(
      h.registry,
      'signet_cloudwatch_logs_failed_requests_total',
      {
        cause: 'AWS ThrottlingException',
      },
    );
    assert.ok(throttled >= 3, `throttled ${throttled} times`);
    assert.ok((await metricValue(h.registry, 'signet_cloudwatch_logs_retried_entries_total')) > 0);
    assert.ok((await metricValue(h.registry, 'promtail_batch_retries_total')) > 0);
    assert.equal(await metricValue(h.registry, 'promtail_dropped_entries_total'), 0);
    assert.equal(await metricValue(h.registry, 'promtail_sent_entries_total'), 90);
    assert.ok(
      h.logs.some((l) => l.level === 'warn' && /ThrottlingException|Rate exceeded/.test(l.message)),
    );
    await clearFaults(local);
    await h.client.close({ drainMs: 1000 });
  });

  test('ServiceUnavailableException (503) and InternalFailure (500) retried, nothing lost', async () => {
    const group = 'signet/unavailable';
    const pods = ['x', 'y'];
    const h = harness(local, { logGroupName: group, logStreamName: '{{ .pod }}' });
    await postFaults(local, [
      { service: 'logs', operation: 'PutLogEvents', kind: 'error', status: 503, count: 3 },
      { service: 'logs', operation: 'PutLogEvents', kind: 'error', status: 500, count: 2 },
    ]);
    const all = chunks(pods, 10, Date.now() - 60_000);
    all.forEach((chunk, k) => h.client.enqueue(chunk, k + 1));
    await until(() => h.progress.at(-1) === all.length, 'all delivered');
    await assertAllArrived(group, pods, all.length);
    const failed = (cause: string) =>
      metricValue(h.registry, 'signet_cloudwatch_logs_failed_requests_total', { cause });
    assert.equal(await failed('AWS ServiceUnavailableException'), 3);
    assert.equal(await failed('AWS InternalFailure'), 2);
    assert.equal(await metricValue(h.registry, 'promtail_dropped_entries_total'), 0);
    await h.client.close({ drainMs: 1000 });
  });

  test('InvalidParameterException drops the batch with AWS’s reason logged, and progress moves on', async () => {
    // A clock one second after the epoch lets an entry 1 ms before it through the client's own checks;
    // signet local, like AWS, refuses a negative timestamp for the whole batch.
    const group = 'signet/invalid';
    const h = harness(local, { logGroupName: group }, { now: () => 1000 });
    h.client.enqueue([entry('before the epoch', -1), entry('after it', 5)], 1);
    await until(() => h.progress.at(-1) === 1, 'finished by dropping');
    assert.equal(
      await metricValue(h.registry, 'promtail_dropped_entries_total', {
        reason: 'invalid_parameter',
      }),
      2,
    );
    const said = h.logs.find((l) => l.level === 'error' && /refused 2 events/.test(l.message));
    assert.ok(said, JSON.stringify(h.logs));
    assert.match(said.message, /greater than or equal to 0/);
    await h.client.close({ drainMs: 1000 });
  });

  test('rejectedLogEventsInfo: events past the group’s retention, 14 days or 2 hours are counted, the rest kept', async () => {
    const now = Date.now();
    // A group someone else made with 1-day retention: the client knows nothing of it, AWS rejects.
    const retained = 'signet/retained';
    await sdk.send(new CreateLogGroupCommand({ logGroupName: retained }));
    await sdk.send(new PutRetentionPolicyCommand({ logGroupName: retained, retentionInDays: 1 }));
    const expired = harness(local, { logGroupName: retained, logStreamName: 'expired' });
    expired.client.enqueue(
      [entry('e1', now - 2 * DAY), entry('e2', now - 2 * DAY + 1), entry('kept', now - 2 * HOUR)],
      1,
    );
    // Clocks three hours off AWS's let through what AWS then rejects as too old or too new.
    const group = 'signet/rejected';
    const behind = harness(
      local,
      { logGroupName: group, logStreamName: 'old' },
      { now: () => Date.now() - 3 * HOUR },
    );
    behind.client.enqueue(
      [entry('too old', now - 14 * DAY - HOUR), entry('old but kept', now - 14 * DAY + HOUR)],
      1,
    );
    const ahead = harness(
      local,
      { logGroupName: group, logStreamName: 'new' },
      { now: () => Date.now() + 3 * HOUR },
    );
    ahead.client.enqueue(
      [entry('ahead but kept', now + HOUR), entry('too new', now + 150 * 60_000)],
      1,
    );
    const clients = [expired, behind, ahead];
    await until(() => clients.every((c) => c.progress.at(-1) === 1), 'all finished');

    const messages = async (g: string, stream: string) =>
      (await readStream(sdk, g, stream)).map((e) => e.message);
    assert.deepEqual(await messages(retained, 'expired'), ['kept']);
    assert.deepEqual(await messages(group, 'old'), ['old but kept']);
    assert.deepEqual(await messages(group, 'new'), ['ahead but kept']);
    const dropped = (c: (typeof clients)[number], reason: string) =>
      metricValue(c.registry, 'promtail_dropped_entries_total', { reason });
    assert.equal(await dropped(expired, 'expired'), 2);
    assert.equal(await dropped(behind, 'too_old'), 1);
    assert.equal(await dropped(ahead, 'too_new'), 1);
    assert.equal(await metricValue(expired.registry, 'promtail_sent_entries_total'), 1);
    assert.ok(behind.logs.some((l) => /rejectedLogEventsInfo/.test(l.message)));
    for (const c of clients) await c.client.close({ drainMs: 1000 });
  });

  /** Signs with the `writer` profile of `file`, re-read on every forced refresh. */
  const awsReading = (file: string): AwsClient => awsReadingFile(local, 'logs', dir, file);

  for (const [what, keyId, secret, reason] of REFUSED_CREDENTIALS) {
    test(`${what} is held, never dropped, until the credentials file is fixed`, async () => {
      const file = join(dir, `credentials-${reason}`);
      writeCredentials(file, keyId, secret);
      const group = `signet/held-${reason}`;
      const h = harness(local, {
        logGroupName: group,
        aws: awsReading(file),
        holdMaxBackoffMs: 50,
      });
      const t0 = Date.now() - 60_000;
      for (let k = 1; k <= 5; k++) h.client.enqueue([entry(`held ${k}`, t0 + k)], k);
      await until(() => h.client.blocked !== undefined, 'blocked');
      assert.equal(h.client.blocked?.reason, reason);
      await new Promise((resolve) => setTimeout(resolve, 300)); // several held attempts
      assert.deepEqual(h.progress, [], 'no progress past held entries');
      assert.equal(await metricValue(h.registry, 'promtail_dropped_entries_total'), 0);
      assert.equal(await metricValue(h.registry, 'promtail_sent_entries_total'), 0);
      writeCredentials(file, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY);
      await until(() => h.progress.at(-1) === 5, 'delivered after the fix');
      assert.equal(h.client.blocked, undefined);
      assert.deepEqual(
        (await readStream(sdk, group, 'test-stream')).map((e) => e.message),
        ['held 1', 'held 2', 'held 3', 'held 4', 'held 5'],
      );
      assert.ok(h.logs.some((l) => /recovered/.test(l.message)));
      await h.client.close({ drainMs: 1000 });
    });
  }

  test('close while held: the held entries are reported unsent and progress stays short of them', async () => {
    const file = join(dir, 'credentials-close');
    writeCredentials(file, 'AKIAIOSFODNN7NOTREAL', DEMO_SECRET_ACCESS_KEY);
    const h = harness(local, {
      logGroupName: 'signet/closed',
      aws: awsReading(file),
      holdMaxBackoffMs: 50,
    });
    h.client.enqueue([entry('one', Date.now()), entry('two', Date.now())], 1);
    await until(() => h.client.blocked !== undefined, 'blocked');
    assert.deepEqual(await h.client.close({ drainMs: 100 }), { unsent: 2 });
    assert.deepEqual(h.progress, []);
    assert.equal(
      h.client.enqueue([entry('late', Date.now())], 2),
      false,
      'a closed client takes nothing',
    );
  });
});
