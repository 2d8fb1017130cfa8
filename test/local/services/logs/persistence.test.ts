// State survives a restart through a store that keeps only JSON text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogsService } from '../../../../src/local/services/logs/index.js';
import {
  GROUP,
  JsonStore,
  NOW,
  STREAM,
  call,
  callError,
  put,
  withStream,
  type OutEvent,
} from './helpers.js';

test('groups, streams, retention and events survive a restart', async () => {
  const store = new JsonStore();
  const before = createLogsService(store);
  await withStream(before);
  await call(before, 'PutRetentionPolicy', { logGroupName: GROUP, retentionInDays: 30 });
  await put(before, [{ timestamp: NOW - 2000, message: 'second' }]);
  await put(before, [{ timestamp: NOW - 5000, message: 'first' }]);
  assert.ok(store.saves >= 5);
  const describeBefore = await call(before, 'DescribeLogStreams', { logGroupName: GROUP });

  const after = createLogsService(store);
  assert.deepEqual(
    await call(after, 'DescribeLogStreams', { logGroupName: GROUP }),
    describeBefore,
  );
  const groups = await call<{ logGroups: { retentionInDays?: number }[] }>(
    after,
    'DescribeLogGroups',
    {},
  );
  assert.equal(groups.logGroups[0]?.retentionInDays, 30);
  const got = await call<{ events: OutEvent[] }>(after, 'GetLogEvents', {
    logGroupName: GROUP,
    logStreamName: STREAM,
    startFromHead: true,
  });
  assert.deepEqual(
    got.events.map((e) => e.message),
    ['first', 'second'],
  );
  // Ids continue where they stopped, so new events order after the restored ones.
  await put(after, [{ timestamp: NOW - 2000, message: 'third' }]);
  const again = await call<{ events: OutEvent[] }>(after, 'GetLogEvents', {
    logGroupName: GROUP,
    logStreamName: STREAM,
    startFromHead: true,
  });
  assert.deepEqual(
    again.events.map((e) => e.message),
    ['first', 'second', 'third'],
  );
  await callError(
    after,
    'CreateLogGroup',
    { logGroupName: GROUP },
    'ResourceAlreadyExistsException',
  );
});

test('a group named __proto__ is just a name', async () => {
  const store = new JsonStore();
  await call(createLogsService(store), 'CreateLogGroup', { logGroupName: '__proto__' });
  const out = await call<{ logGroups: { logGroupName: string }[] }>(
    createLogsService(store),
    'DescribeLogGroups',
    {},
  );
  assert.deepEqual(
    out.logGroups.map((g) => g.logGroupName),
    ['__proto__'],
  );
});

test('unreadable saved state stops the start instead of being dropped', () => {
  const store = new JsonStore();
  store.saved.set('logs', JSON.stringify({ version: 1, groups: [{ name: 5 }] }));
  assert.throws(() => createLogsService(store), /saved CloudWatch Logs state is not readable/);
});

test('read-only operations do not save', async () => {
  const store = new JsonStore();
  const service = createLogsService(store);
  await call(service, 'DescribeLogGroups', {});
  assert.equal(store.saves, 0);
});
