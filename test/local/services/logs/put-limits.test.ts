// PutLogEvents at each AWS limit and one past it (limits.ts names the sources).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogsService } from '../../../../src/local/services/logs/index.js';
import {
  DAY,
  GROUP,
  HOUR,
  JsonStore,
  NOW,
  STREAM,
  call,
  callError,
  put,
  withStream,
  type OutEvent,
} from './helpers.js';

async function fresh() {
  const service = createLogsService(new JsonStore());
  await withStream(service);
  return service;
}

function events(count: number, message = 'x', at = NOW) {
  return Array.from({ length: count }, () => ({ timestamp: at, message }));
}

async function stored(service: Awaited<ReturnType<typeof fresh>>): Promise<OutEvent[]> {
  const out = await call<{ events: OutEvent[] }>(service, 'GetLogEvents', {
    logGroupName: GROUP,
    logStreamName: STREAM,
    startFromHead: true,
  });
  return out.events;
}

describe('PutLogEvents event count', () => {
  test('accepts 10,000 events', async () => {
    const service = await fresh();
    const out = await put(service, events(10_000));
    assert.equal(out.rejectedLogEventsInfo, undefined);
    assert.equal((await stored(service)).length, 10_000);
  });

  test('refuses 10,001 events', async () => {
    const service = await fresh();
    const error = await callError(
      service,
      'PutLogEvents',
      { logGroupName: GROUP, logStreamName: STREAM, logEvents: events(10_001) },
      'InvalidParameterException',
    );
    assert.match(error.message, /at 'logEvents'.*less than or equal to 10000/);
  });

  test('refuses an empty batch', async () => {
    const service = await fresh();
    await callError(
      service,
      'PutLogEvents',
      { logGroupName: GROUP, logStreamName: STREAM, logEvents: [] },
      'InvalidParameterException',
    );
  });
});

describe('PutLogEvents batch size (UTF-8 message bytes + 26 per event)', () => {
  // Two events of 524,262 bytes: 2 × (524,262 + 26) = 1,048,576.
  const half = 524_262;

  test('accepts exactly 1,048,576 bytes', async () => {
    const service = await fresh();
    await put(service, [
      { timestamp: NOW, message: 'a'.repeat(half) },
      { timestamp: NOW, message: 'a'.repeat(half) },
    ]);
    assert.equal((await stored(service)).length, 2);
  });

  test('refuses 1,048,577 bytes', async () => {
    const service = await fresh();
    const error = await callError(
      service,
      'PutLogEvents',
      {
        logGroupName: GROUP,
        logStreamName: STREAM,
        logEvents: [
          { timestamp: NOW, message: 'a'.repeat(half) },
          { timestamp: NOW, message: 'a'.repeat(half + 1) },
        ],
      },
      'InvalidParameterException',
    );
    assert.match(error.message, /1048577 bytes exceeds limit of 1048576/);
  });

  test('counts UTF-8 bytes, not characters', async () => {
    const service = await fresh();
    // 'é' is 2 bytes: 524,275 of them are 1,048,550 bytes, the largest single message.
    await put(service, [{ timestamp: NOW, message: 'é'.repeat(524_275) }]);
    const error = await callError(
      service,
      'PutLogEvents',
      {
        logGroupName: GROUP,
        logStreamName: STREAM,
        logEvents: [{ timestamp: NOW, message: `${'é'.repeat(524_275)}a` }],
      },
      'InvalidParameterException',
    );
    assert.match(error.message, /Log event too large: 1048577 bytes exceeds limit of 1048576/);
  });

  test('one event may carry 1,048,550 message bytes (1 MB with its 26), not one more', async () => {
    const service = await fresh();
    await put(service, [{ timestamp: NOW, message: 'a'.repeat(1_048_550) }]);
    await callError(
      service,
      'PutLogEvents',
      {
        logGroupName: GROUP,
        logStreamName: STREAM,
        logEvents: [{ timestamp: NOW, message: 'a'.repeat(1_048_551) }],
      },
      'InvalidParameterException',
    );
  });
});

describe('PutLogEvents time rules', () => {
  test('a batch may span exactly 24 hours', async () => {
    const service = await fresh();
    await put(service, [
      { timestamp: NOW - DAY, message: 'first' },
      { timestamp: NOW, message: 'last' },
    ]);
    assert.equal((await stored(service)).length, 2);
  });

  test('a batch spanning 24 hours + 1 ms fails', async () => {
    const service = await fresh();
    const error = await callError(
      service,
      'PutLogEvents',
      {
        logGroupName: GROUP,
        logStreamName: STREAM,
        logEvents: [
          { timestamp: NOW - DAY - 1, message: 'first' },
          { timestamp: NOW, message: 'last' },
        ],
      },
      'InvalidParameterException',
    );
    assert.match(error.message, /cannot span more than 24 hours/);
    assert.equal((await stored(service)).length, 0);
  });

  test('the span counts only the events that are not rejected', async () => {
    const service = await fresh();
    const out = await put(service, [
      { timestamp: NOW - 20 * DAY, message: 'too old' },
      { timestamp: NOW, message: 'kept' },
    ]);
    assert.deepEqual(out.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0 });
    assert.deepEqual(
      (await stored(service)).map((e) => e.message),
      ['kept'],
    );
  });

  test('events exactly 14 days old are kept; 1 ms older are rejected, not an error', async () => {
    const service = await fresh();
    const out = await put(service, [
      { timestamp: NOW - 14 * DAY - 1, message: 'old' },
      { timestamp: NOW - 14 * DAY - 1, message: 'old too' },
      { timestamp: NOW - 14 * DAY, message: 'just in time' },
    ]);
    assert.deepEqual(out.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });
    assert.ok(out.nextSequenceToken);
    assert.deepEqual(
      (await stored(service)).map((e) => e.message),
      ['just in time'],
    );
  });

  test('events exactly 2 hours ahead are kept; 1 ms further are rejected', async () => {
    const service = await fresh();
    const out = await put(service, [
      { timestamp: NOW + 2 * HOUR, message: 'ahead' },
      { timestamp: NOW + 2 * HOUR + 1, message: 'too new' },
    ]);
    assert.deepEqual(out.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 1 });
    assert.deepEqual(
      (await stored(service)).map((e) => e.message),
      ['ahead'],
    );
  });

  test("events older than the group's retention are rejected as expired", async () => {
    const service = await fresh();
    await call(service, 'PutRetentionPolicy', { logGroupName: GROUP, retentionInDays: 1 });
    const out = await put(service, [
      { timestamp: NOW - 15 * DAY, message: 'too old and expired' },
      { timestamp: NOW - DAY - 1, message: 'expired' },
      { timestamp: NOW - DAY, message: 'kept' },
      { timestamp: NOW + 3 * HOUR, message: 'too new' },
    ]);
    assert.deepEqual(out.rejectedLogEventsInfo, {
      tooNewLogEventStartIndex: 3,
      tooOldLogEventEndIndex: 0,
      expiredLogEventEndIndex: 1,
    });
    assert.deepEqual(
      (await stored(service)).map((e) => e.message),
      ['kept'],
    );
  });

  test('events must be in chronological order; equal timestamps are', async () => {
    const service = await fresh();
    await put(service, [
      { timestamp: NOW, message: 'a' },
      { timestamp: NOW, message: 'b' },
    ]);
    const error = await callError(
      service,
      'PutLogEvents',
      {
        logGroupName: GROUP,
        logStreamName: STREAM,
        logEvents: [
          { timestamp: NOW, message: 'a' },
          { timestamp: NOW - 1, message: 'b' },
        ],
      },
      'InvalidParameterException',
    );
    assert.equal(
      error.message,
      'Log events in a single PutLogEvents request must be in chronological order.',
    );
  });

  test('an earlier batch is merged into the stream in time order', async () => {
    const service = await fresh();
    await put(service, [{ timestamp: NOW, message: 'late' }]);
    await put(service, [{ timestamp: NOW - 1000, message: 'early' }]);
    assert.deepEqual(
      (await stored(service)).map((e) => e.message),
      ['early', 'late'],
    );
  });
});

describe('PutLogEvents errors', () => {
  test('a missing group or stream is ResourceNotFoundException', async () => {
    const service = await fresh();
    const logEvents = events(1);
    await callError(
      service,
      'PutLogEvents',
      { logGroupName: 'nope', logStreamName: STREAM, logEvents },
      'ResourceNotFoundException',
    );
    await callError(
      service,
      'PutLogEvents',
      { logGroupName: GROUP, logStreamName: 'nope', logEvents },
      'ResourceNotFoundException',
    );
  });

  test('sequence tokens are ignored, and a new one is returned', async () => {
    const service = await fresh();
    const first = await call<{ nextSequenceToken: string }>(service, 'PutLogEvents', {
      logGroupName: GROUP,
      logStreamName: STREAM,
      logEvents: events(1),
      sequenceToken: 'stale',
    });
    const second = await put(service, events(1));
    assert.match(first.nextSequenceToken, /^\d+$/);
    assert.notEqual(second.nextSequenceToken, first.nextSequenceToken);
  });

  test('malformed events are refused with the right code', async () => {
    const service = await fresh();
    const base = { logGroupName: GROUP, logStreamName: STREAM };
    await callError(
      service,
      'PutLogEvents',
      { ...base, logEvents: [{ timestamp: NOW, message: '' }] },
      'InvalidParameterException',
    );
    await callError(
      service,
      'PutLogEvents',
      { ...base, logEvents: [{ message: 'no time' }] },
      'InvalidParameterException',
    );
    await callError(
      service,
      'PutLogEvents',
      { ...base, logEvents: [{ timestamp: String(NOW), message: 'x' }] },
      'SerializationException',
    );
    await callError(service, 'PutLogEvents', base, 'InvalidParameterException');
  });
});
