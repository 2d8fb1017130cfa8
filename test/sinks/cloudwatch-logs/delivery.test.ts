/**
 * The CloudWatch Logs client against `signet local` over 127.0.0.1: entries
 * reach the streams their labels name, in order and byte for byte, read
 * back with the AWS SDK v3 client and Debian's awscli; the group and the
 * streams are created when PutLogEvents finds them missing, and a missing
 * group the client may not create holds the data until someone creates it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import type { LogEntry } from '../../../src/model/log-entry.js';
import { awsCli, awscliMissing } from '../../helpers/awscli.js';
import { loggedRequests, unverified } from '../../helpers/local-stack.js';
import { entry, harness, metricValue, readStream, sdkLogs, until } from './helpers.js';

/** Lines AWS must keep exactly: quotes, escapes, control characters, every UTF-8 width. */
function lineOf(pod: string, i: number): string {
  const odd = [
    '"quoted" \\ back\\slash',
    'tab\there',
    'ünïcødé ☕ 𝄞 😀',
    'ctl \u0001\u001f end',
    '{"json":true}',
  ];
  return `${pod} line ${i} ${odd[i % odd.length]}`;
}

describe('CloudWatch Logs client delivery (signet local)', () => {
  let local: LocalStack;
  before(async () => {
    local = await startLocal();
  });
  after(async () => {
    await local.close();
  });

  test('entries arrive in their labels’ streams, in order, byte for byte; group and streams created', async () => {
    const group = 'signet/delivery';
    const h = harness(local, {
      logGroupName: group,
      logStreamName: '{{ .pod }}/{{ .container }}',
      logStreamNamePrefix: 'k8s-',
      retentionInDays: 30,
      maxParallelStreams: 2,
    });
    const pods = ['api', 'web', 'worker'];
    const t0 = Date.now() - 3_600_000;
    const expected = new Map<string, { timestamp: number; message: string }[]>();
    let token = 0;
    for (let chunk = 0; chunk < 20; chunk++) {
      const entries: LogEntry[] = [];
      for (let i = 0; i < 30; i++) {
        const n = chunk * 30 + i;
        const pod = pods[n % pods.length]!;
        // Chunk 7 arrives newest first: the batch must put it back in order.
        const k = chunk === 7 ? chunk * 30 + (29 - i) : n;
        const timestamp = t0 + k * 10;
        entries.push(entry(lineOf(pod, n), timestamp, { pod, container: 'main', __path__: '/x' }));
        const stream = `k8s-${pod}/main`;
        const list = expected.get(stream) ?? [];
        list.push({ timestamp, message: lineOf(pod, n) });
        expected.set(stream, list);
      }
      assert.equal(h.client.enqueue(entries, ++token), true);
    }
    await until(() => h.progress.at(-1) === token, 'progress reaches the last chunk');
    const sdk = sdkLogs(local);
    for (const [stream, list] of expected) {
      const want = [...list].sort((a, b) => a.timestamp - b.timestamp);
      assert.deepEqual(await readStream(sdk, group, stream), want, stream);
    }
    const groups = await sdk.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    assert.equal(groups.logGroups?.[0]?.retentionInDays, 30);
    assert.deepEqual(
      h.progress,
      [...h.progress].sort((a, b) => a - b),
      'progress never moves back',
    );
    assert.equal(await metricValue(h.registry, 'promtail_sent_entries_total'), 600);
    assert.equal(
      await metricValue(h.registry, 'signet_cloudwatch_logs_resources_created_total', {
        resource: 'log_group',
      }),
      1,
    );
    assert.equal(
      await metricValue(h.registry, 'signet_cloudwatch_logs_resources_created_total', {
        resource: 'log_stream',
      }),
      3,
    );
    assert.deepEqual(
      unverified(await loggedRequests(local)),
      [],
      'every request carried a valid signature',
    );
    assert.deepEqual(await h.client.close({ drainMs: 1000 }), { unsent: 0 });
    sdk.destroy();
  });

  test('log_format json: {"labels":{…},"line":…} with the entry’s labels, internal ones left out', async () => {
    const group = 'signet/json';
    const h = harness(local, { logGroupName: group, logFormat: 'json' });
    const now = Date.now();
    const entries = [
      entry('plain', now, { job: 'varlogs', host: 'h1', __internal: 'no' }),
      {
        ...entry('with "metadata"', now + 1, { job: 'varlogs' }),
        structuredMetadata: { trace_id: 'abc' },
      },
    ];
    h.client.enqueue(entries, 1);
    await until(() => h.progress.at(-1) === 1, 'sent');
    const sdk = sdkLogs(local);
    const events = await readStream(sdk, group, 'test-stream');
    assert.deepEqual(
      events.map((e) => e.message),
      [
        '{"labels":{"host":"h1","job":"varlogs"},"line":"plain"}',
        '{"labels":{"job":"varlogs"},"line":"with \\"metadata\\"","structured_metadata":{"trace_id":"abc"}}',
      ],
    );
    await h.client.close({ drainMs: 1000 });
    sdk.destroy();
  });

  test('Debian awscli reads back what was sent (aws logs get-log-events)', async (t) => {
    const missing = awscliMissing();
    if (missing) return t.skip(missing);
    const group = 'signet/awscli';
    const h = harness(local, { logGroupName: group, logStreamName: 'cli' });
    const now = Date.now() - 1000;
    const lines = ['first', 'zweite Zeile ü', 'third "quoted"', '四番目', 'fifth\twith tab'];
    h.client.enqueue(
      lines.map((l, i) => entry(l, now + i)),
      1,
    );
    await until(() => h.progress.at(-1) === 1, 'sent');
    const cli = awsCli(local.url, local.region);
    const out = (await cli.json([
      'logs',
      'get-log-events',
      '--log-group-name',
      group,
      '--log-stream-name',
      'cli',
      '--start-from-head',
    ])) as { events: { timestamp: number; message: string }[] };
    assert.deepEqual(
      out.events.map((e) => [e.timestamp, e.message]),
      lines.map((l, i) => [now + i, l]),
    );
    await h.client.close({ drainMs: 1000 });
  });

  test('create_log_group off: a missing group holds the data (not-found) until someone creates it', async () => {
    const group = 'signet/made-later';
    const h = harness(local, { logGroupName: group, createLogGroup: false, holdMaxBackoffMs: 100 });
    h.client.enqueue([entry('waits for its group', Date.now())], 1);
    await until(() => h.client.blocked !== undefined, 'blocked');
    assert.equal(h.client.blocked?.reason, 'not-found');
    assert.deepEqual(h.progress, [], 'no progress past held data');
    assert.equal(await metricValue(h.registry, 'promtail_dropped_entries_total'), 0);
    const sdk = sdkLogs(local);
    await sdk.send(new CreateLogGroupCommand({ logGroupName: group }));
    await until(() => h.progress.at(-1) === 1, 'delivered once the group exists');
    assert.equal(h.client.blocked, undefined);
    assert.deepEqual(
      (await readStream(sdk, group, 'test-stream')).map((e) => e.message),
      ['waits for its group'],
    );
    assert.ok(
      h.logs.some((l) => l.level === 'error' && /blocked \(not-found\)/.test(l.message)),
      'the hold is said',
    );
    await h.client.close({ drainMs: 1000 });
    sdk.destroy();
  });
});
