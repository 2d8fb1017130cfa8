/**
 * Each PutLogEvents limit at the limit and one past it, against `signet
 * local` (which enforces AWS's numbers and refuses a batch past any of
 * them): the client must cut its batches exactly there, never send a batch
 * AWS would refuse, and lose nothing. Batches are counted from signet
 * local's request log; events are read back with the AWS SDK v3 client.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudWatchLogsClient as SdkLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import type { LogEntry } from '../../../src/model/log-entry.js';
import type { CloudWatchLogsOptions } from '../../../src/sinks/cloudwatch-logs/index.js';
import { TestClock } from '../../helpers/local-stack.js';
import {
  entry,
  harness,
  metricValue,
  putCalls,
  readStream,
  sdkLogs,
  until,
  type Harness,
} from './helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_MESSAGE = 1_048_550;

describe('CloudWatch Logs batch limits (signet local)', () => {
  let local: LocalStack;
  let sdk: SdkLogsClient;
  before(async () => {
    local = await startLocal();
    sdk = sdkLogs(local);
  });
  after(async () => {
    sdk.destroy();
    await local.close();
  });

  let groups = 0;
  /** Sends the entries in one enqueue to a fresh group; the PutLogEvents calls it took and the harness. */
  async function send(
    entries: readonly LogEntry[],
    options: Partial<CloudWatchLogsOptions> = {},
  ): Promise<{ calls: number; group: string; h: Harness }> {
    const group = `signet/limits-${++groups}`;
    const h = harness(local, { logGroupName: group, batchWaitMs: 50, ...options });
    const before = (await putCalls(local)).length;
    assert.equal(h.client.enqueue(entries, 1), true);
    await until(() => h.progress.at(-1) === 1, 'all sent', 60_000);
    const calls = (await putCalls(local)).slice(before);
    // The first call finds the stream missing (ResourceNotFound) and is repeated once it exists;
    // no call may be refused for a limit.
    const refused = calls.filter(
      (c) => c.status !== 200 && c.errorCode !== 'ResourceNotFoundException',
    );
    assert.deepEqual(refused, [], 'no call refused');
    await h.client.close({ drainMs: 1000 });
    return { calls: calls.filter((c) => c.status === 200).length, group, h };
  }

  const many = (n: number, t: number) =>
    Array.from({ length: n }, (_, i) => entry(`event ${i}`, t));

  test('10,000 events are one batch; 10,001 are two', async () => {
    const t = Date.now() - 60_000;
    assert.equal((await send(many(10_000, t))).calls, 1);
    const past = await send(many(10_001, t));
    assert.equal(past.calls, 2);
    const read = await readStream(sdk, past.group, 'test-stream');
    assert.equal(read.length, 10_001);
    assert.deepEqual(
      read.map((e) => e.message),
      many(10_001, t).map((e) => e.line),
    );
  });

  test('1,048,576 bytes (messages + 26 each) are one batch; one byte more makes two', async () => {
    const t = Date.now() - 60_000;
    // 16 events of 65,510 bytes + 26 = 65,536 each: exactly 1,048,576.
    const exact = Array.from({ length: 16 }, (_, i) => entry(String(i % 10).repeat(65_510), t + i));
    assert.equal((await send(exact)).calls, 1);
    const over = exact.map((e, i) => (i === 15 ? entry(`${e.line}x`, t + i) : e));
    const past = await send(over);
    assert.equal(past.calls, 2);
    const read = await readStream(sdk, past.group, 'test-stream');
    assert.deepEqual(
      read.map((e) => e.message),
      over.map((e) => e.line),
    );
  });

  test('multi-byte messages: bytes are counted, not characters — 1,048,576 is one batch, one byte more two', async () => {
    const t = Date.now() - 60_000;
    // 65,510 bytes in 16,378 characters (32,755 UTF-16 units): emoji and a two-byte é.
    const message = `${'😀'.repeat(16_377)}é`;
    const exact = Array.from({ length: 16 }, (_, i) => entry(message, t + i));
    assert.equal((await send(exact)).calls, 1);
    const over = exact.map((e, i) => (i === 15 ? entry(`${message}x`, t + i) : e));
    const past = await send(over);
    assert.equal(past.calls, 2);
    assert.deepEqual(
      (await readStream(sdk, past.group, 'test-stream')).map((e) => e.message),
      over.map((e) => e.line),
    );
  });

  test('a 24-hour span is one batch; 24 hours and 1 ms make two', async () => {
    const t = Date.now() - 3 * DAY;
    assert.equal((await send([entry('start', t), entry('end', t + DAY)])).calls, 1);
    const past = await send([
      entry('start', t),
      entry('middle', t + HOUR),
      entry('end', t + DAY + 1),
    ]);
    assert.equal(past.calls, 2);
    assert.deepEqual(
      (await readStream(sdk, past.group, 'test-stream')).map((e) => e.message),
      ['start', 'middle', 'end'],
    );
  });

  test('a batch is sorted by timestamp, equal timestamps keeping their order', async () => {
    const t = Date.now() - 60_000;
    const entries = [
      entry('c', t + 2),
      entry('a1', t),
      entry('b', t + 1),
      entry('a2', t),
      entry('a3', t),
    ];
    const { group } = await send(entries);
    assert.deepEqual(
      (await readStream(sdk, group, 'test-stream')).map((e) => e.message),
      ['a1', 'a2', 'a3', 'b', 'c'],
    );
  });

  test('a 1,048,550-byte message is one event; one byte more is split in two that join back', async () => {
    const t = Date.now() - 60_000;
    const exact = 'a'.repeat(MAX_MESSAGE);
    const at = await send([entry(exact, t)]);
    assert.deepEqual(
      (await readStream(sdk, at.group, 'test-stream')).map((e) => e.message.length),
      [MAX_MESSAGE],
    );
    assert.equal(
      await metricValue(at.h.registry, 'signet_cloudwatch_logs_oversized_entries_total'),
      0,
    );
    // 349,517 three-byte characters: 1,048,551 bytes, cut between characters, never inside one.
    const over = '€'.repeat(349_517);
    const past = await send([entry(over, t), entry('after', t)]);
    const read = (await readStream(sdk, past.group, 'test-stream')).map((e) => e.message);
    assert.equal(read.length, 3);
    assert.equal(Buffer.byteLength(read[0]!), 349_516 * 3);
    assert.equal(read[0]! + read[1]!, over);
    assert.equal(read[2], 'after');
    assert.equal(
      await metricValue(past.h.registry, 'signet_cloudwatch_logs_oversized_entries_total', {
        action: 'split',
      }),
      1,
    );
  });

  test('oversize truncate: one byte over keeps the first 1,048,550 bytes', async () => {
    const t = Date.now() - 60_000;
    const over = `${'b'.repeat(MAX_MESSAGE)}!`;
    const { group, h } = await send([entry(over, t)], { oversize: 'truncate' });
    const read = await readStream(sdk, group, 'test-stream');
    assert.deepEqual(
      read.map((e) => e.message),
      ['b'.repeat(MAX_MESSAGE)],
    );
    assert.equal(
      await metricValue(h.registry, 'signet_cloudwatch_logs_oversized_entries_total', {
        action: 'truncated',
      }),
      1,
    );
  });

  test('log_format json over the limit: only the line is cut, each part valid JSON with the labels', async () => {
    const t = Date.now() - 60_000;
    const line = 'q"'.repeat(400_000); // escaped, each pair is 3 bytes: 1,200,000 of line
    const { group } = await send([entry(line, t, { app: 'big' })], { logFormat: 'json' });
    const read = await readStream(sdk, group, 'test-stream');
    assert.ok(read.length === 2);
    const parts = read.map((e) => {
      assert.ok(Buffer.byteLength(e.message) <= MAX_MESSAGE);
      return JSON.parse(e.message) as { labels: Record<string, string>; line: string };
    });
    assert.deepEqual(
      parts.map((p) => p.labels),
      [{ app: 'big' }, { app: 'big' }],
    );
    assert.equal(parts.map((p) => p.line).join(''), line);
  });
});

describe('CloudWatch Logs time limits (signet local, one frozen clock)', () => {
  let local: LocalStack;
  let sdk: SdkLogsClient;
  const clock = new TestClock({ frozen: true });
  before(async () => {
    local = await startLocal({ clock: clock.now });
    sdk = sdkLogs(local);
  });
  after(async () => {
    sdk.destroy();
    await local.close();
  });

  test('14 days old and 2 hours ahead are sent; 1 ms beyond either is counted and never sent', async () => {
    const now = clock.now();
    const group = 'signet/time-limits';
    const h = harness(local, { logGroupName: group }, { now: clock.now });
    h.client.enqueue(
      [
        entry('too old', now - 14 * DAY - 1),
        entry('oldest kept', now - 14 * DAY),
        entry('newest kept', now + 2 * HOUR),
        entry('too new', now + 2 * HOUR + 1),
      ],
      1,
    );
    await until(() => h.progress.at(-1) === 1, 'finished');
    const read = await readStream(sdk, group, 'test-stream');
    assert.deepEqual(
      read.map((e) => [e.message, e.timestamp]),
      [
        ['oldest kept', now - 14 * DAY],
        ['newest kept', now + 2 * HOUR],
      ],
    );
    assert.equal(
      await metricValue(h.registry, 'promtail_dropped_entries_total', { reason: 'too_old' }),
      1,
    );
    assert.equal(
      await metricValue(h.registry, 'promtail_dropped_entries_total', { reason: 'too_new' }),
      1,
    );
    assert.ok(
      h.logs.some((l) => /too-old/.test(l.message) && /14 days/.test(l.message)),
      'the drop is logged',
    );
    const calls = await putCalls(local);
    assert.ok(calls.every((c) => c.status === 200 || c.errorCode === 'ResourceNotFoundException'));
    await h.client.close({ drainMs: 1000 });
  });

  test('retention_in_days: 1 day old is sent; 1 ms older is counted as expired and never sent', async () => {
    const now = clock.now();
    const group = 'signet/retention-limit';
    const h = harness(local, { logGroupName: group, retentionInDays: 1 }, { now: clock.now });
    h.client.enqueue(
      [entry('expired', now - DAY - 1), entry('oldest kept', now - DAY), entry('recent', now - 1)],
      1,
    );
    await until(() => h.progress.at(-1) === 1, 'finished');
    assert.deepEqual(
      (await readStream(sdk, group, 'test-stream')).map((e) => e.message),
      ['oldest kept', 'recent'],
    );
    assert.equal(
      await metricValue(h.registry, 'promtail_dropped_entries_total', { reason: 'expired' }),
      1,
    );
    // Dropped before sending: signet local (which has the group's 1-day retention) rejected nothing.
    assert.ok(h.logs.some((l) => /older than the log group's retention/.test(l.message)));
    assert.ok(!h.logs.some((l) => /rejectedLogEventsInfo/.test(l.message)));
    await h.client.close({ drainMs: 1000 });
  });
});
