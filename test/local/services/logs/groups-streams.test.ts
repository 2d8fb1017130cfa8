// Log groups and streams: creation rules, listings, pagination and errors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogsService } from '../../../../src/local/services/logs/index.js';
import { ACCOUNT, GROUP, JsonStore, NOW, REGION, call, callError, put } from './helpers.js';

interface Groups {
  logGroups: Record<string, unknown>[];
  nextToken?: string;
}
interface Streams {
  logStreams: Record<string, unknown>[];
  nextToken?: string;
}

const names = (list: Record<string, unknown>[], field: string) => list.map((g) => g[field]);

describe('CreateLogGroup', () => {
  test('creates once, then ResourceAlreadyExistsException', async () => {
    const service = createLogsService(new JsonStore());
    assert.deepEqual(await call(service, 'CreateLogGroup', { logGroupName: GROUP }), {});
    await callError(
      service,
      'CreateLogGroup',
      { logGroupName: GROUP },
      'ResourceAlreadyExistsException',
    );
  });

  test('names are 1–512 characters of [.-_/#A-Za-z0-9]', async () => {
    const service = createLogsService(new JsonStore());
    await call(service, 'CreateLogGroup', { logGroupName: 'a'.repeat(512) });
    await call(service, 'CreateLogGroup', { logGroupName: '/a.b-c_d#9' });
    for (const bad of ['a'.repeat(513), '', 'has space', 'colon:', 'ünïcode']) {
      await callError(
        service,
        'CreateLogGroup',
        { logGroupName: bad },
        'InvalidParameterException',
      );
    }
    await callError(service, 'CreateLogGroup', {}, 'InvalidParameterException');
    await callError(service, 'CreateLogGroup', { logGroupName: 7 }, 'SerializationException');
    await callError(
      service,
      'CreateLogGroup',
      { logGroupName: 'aws/reserved' },
      'InvalidParameterException',
    );
  });
  test('kmsKeyId must be a KMS key ARN: a bare key id is not found, as AWS answers', async () => {
    const service = createLogsService(new JsonStore());
    const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    await call(service, 'CreateLogGroup', { logGroupName: 'encrypted', kmsKeyId: arn });
    for (const bad of ['1234abcd-12ab-34cd-56ef-1234567890ab', 'alias/logs']) {
      await callError(
        service,
        'CreateLogGroup',
        { logGroupName: 'not-encrypted', kmsKeyId: bad },
        'InvalidParameterException',
      );
    }
  });
});

describe('DescribeLogGroups', () => {
  async function withGroups(...groupNames: string[]) {
    const service = createLogsService(new JsonStore());
    for (const name of groupNames) await call(service, 'CreateLogGroup', { logGroupName: name });
    return service;
  }

  test('lists ASCII-sorted groups with the LogGroup shape', async () => {
    const service = await withGroups('b', 'B', 'a');
    await call(service, 'PutRetentionPolicy', { logGroupName: 'a', retentionInDays: 7 });
    const out = await call<Groups>(service, 'DescribeLogGroups', {});
    assert.deepEqual(names(out.logGroups, 'logGroupName'), ['B', 'a', 'b']);
    assert.equal(out.nextToken, undefined);
    assert.deepEqual(out.logGroups[1], {
      logGroupName: 'a',
      creationTime: NOW,
      retentionInDays: 7,
      metricFilterCount: 0,
      arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:a:*`,
      storedBytes: 0,
      logGroupClass: 'STANDARD',
      logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:a`,
    });
  });

  test('filters by prefix and by pattern', async () => {
    const service = await withGroups('/app/one', '/app/two', '/other/app');
    const byPrefix = await call<Groups>(service, 'DescribeLogGroups', {
      logGroupNamePrefix: '/app/',
    });
    assert.deepEqual(names(byPrefix.logGroups, 'logGroupName'), ['/app/one', '/app/two']);
    const byPattern = await call<Groups>(service, 'DescribeLogGroups', {
      logGroupNamePattern: 'app',
    });
    assert.equal(byPattern.logGroups.length, 3);
    await callError(
      service,
      'DescribeLogGroups',
      { logGroupNamePrefix: '/app', logGroupNamePattern: 'app' },
      'InvalidParameterException',
    );
  });

  test('pages with limit and nextToken', async () => {
    const service = await withGroups('g1', 'g2', 'g3', 'g4', 'g5');
    const seen: unknown[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const out: Groups = await call<Groups>(service, 'DescribeLogGroups', {
        limit: 2,
        ...(nextToken ? { nextToken } : {}),
      });
      seen.push(...names(out.logGroups, 'logGroupName'));
      nextToken = out.nextToken;
      pages++;
    } while (nextToken);
    assert.deepEqual(seen, ['g1', 'g2', 'g3', 'g4', 'g5']);
    assert.equal(pages, 3);
  });

  test('limit is 1–50 and tokens must be ours', async () => {
    const service = await withGroups('g');
    await call(service, 'DescribeLogGroups', { limit: 50 });
    await callError(service, 'DescribeLogGroups', { limit: 51 }, 'InvalidParameterException');
    await callError(service, 'DescribeLogGroups', { limit: 0 }, 'InvalidParameterException');
    await callError(
      service,
      'DescribeLogGroups',
      { nextToken: 'garbage' },
      'InvalidParameterException',
    );
  });
});

describe('PutRetentionPolicy', () => {
  test('takes only the allowed day counts', async () => {
    const service = createLogsService(new JsonStore());
    await call(service, 'CreateLogGroup', { logGroupName: GROUP });
    for (const days of [1, 3653]) {
      await call(service, 'PutRetentionPolicy', { logGroupName: GROUP, retentionInDays: days });
    }
    for (const days of [0, 2, 3654]) {
      await callError(
        service,
        'PutRetentionPolicy',
        { logGroupName: GROUP, retentionInDays: days },
        'InvalidParameterException',
      );
    }
    await callError(
      service,
      'PutRetentionPolicy',
      { logGroupName: 'missing', retentionInDays: 1 },
      'ResourceNotFoundException',
    );
  });
});

describe('CreateLogStream and DescribeLogStreams', () => {
  async function withStreams(...streamNames: string[]) {
    const service = createLogsService(new JsonStore());
    await call(service, 'CreateLogGroup', { logGroupName: GROUP });
    for (const name of streamNames) {
      await call(service, 'CreateLogStream', { logGroupName: GROUP, logStreamName: name });
    }
    return service;
  }

  test('stream names are 1–512 characters without : or *', async () => {
    const service = await withStreams('a'.repeat(512), 'ünïcode and spaces/ok');
    for (const bad of ['a'.repeat(513), '', 'a:b', 'a*']) {
      await callError(
        service,
        'CreateLogStream',
        { logGroupName: GROUP, logStreamName: bad },
        'InvalidParameterException',
      );
    }
    await callError(
      service,
      'CreateLogStream',
      { logGroupName: GROUP, logStreamName: 'ünïcode and spaces/ok' },
      'ResourceAlreadyExistsException',
    );
    await callError(
      service,
      'CreateLogStream',
      { logGroupName: 'missing', logStreamName: 's' },
      'ResourceNotFoundException',
    );
  });

  test('describes streams with their event times', async () => {
    const service = await withStreams('host-1', 'empty');
    await put(
      service,
      [
        { timestamp: NOW - 5000, message: 'a' },
        { timestamp: NOW - 1000, message: 'b' },
      ],
      { now: NOW + 10 },
    );
    const out = await call<Streams>(service, 'DescribeLogStreams', { logGroupName: GROUP });
    assert.deepEqual(names(out.logStreams, 'logStreamName'), ['empty', 'host-1']);
    const [empty, host] = out.logStreams;
    assert.equal(empty?.['firstEventTimestamp'], undefined);
    assert.equal(empty?.['lastIngestionTime'], undefined);
    assert.equal(host?.['creationTime'], NOW);
    assert.equal(host?.['firstEventTimestamp'], NOW - 5000);
    assert.equal(host?.['lastEventTimestamp'], NOW - 1000);
    assert.equal(host?.['lastIngestionTime'], NOW + 10);
    assert.equal(host?.['storedBytes'], 0);
    assert.equal(
      host?.['arn'],
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}:log-stream:host-1`,
    );
  });

  test('orders by name or last event time, either way, and pages', async () => {
    const service = await withStreams('c', 'a', 'b');
    for (const [name, at] of [
      ['a', NOW - 10],
      ['b', NOW - 30],
      ['c', NOW - 20],
    ] as const) {
      await call(service, 'PutLogEvents', {
        logGroupName: GROUP,
        logStreamName: name,
        logEvents: [{ timestamp: at, message: name }],
      });
    }
    const list = async (body: Record<string, unknown>) => {
      const seen: unknown[] = [];
      let nextToken: string | undefined;
      do {
        const out: Streams = await call<Streams>(service, 'DescribeLogStreams', {
          logGroupName: GROUP,
          limit: 1,
          ...body,
          ...(nextToken ? { nextToken } : {}),
        });
        seen.push(...names(out.logStreams, 'logStreamName'));
        nextToken = out.nextToken;
      } while (nextToken);
      return seen;
    };
    assert.deepEqual(await list({}), ['a', 'b', 'c']);
    assert.deepEqual(await list({ descending: true }), ['c', 'b', 'a']);
    assert.deepEqual(await list({ orderBy: 'LastEventTime' }), ['b', 'c', 'a']);
    assert.deepEqual(await list({ orderBy: 'LastEventTime', descending: true }), ['a', 'c', 'b']);
    assert.deepEqual(await list({ logStreamNamePrefix: 'b' }), ['b']);
  });

  test('rejects bad combinations and unknown groups', async () => {
    const service = await withStreams('s');
    await callError(
      service,
      'DescribeLogStreams',
      { logGroupName: GROUP, orderBy: 'LastEventTime', logStreamNamePrefix: 's' },
      'InvalidParameterException',
    );
    await callError(
      service,
      'DescribeLogStreams',
      { logGroupName: GROUP, orderBy: 'Size' },
      'InvalidParameterException',
    );
    await callError(
      service,
      'DescribeLogStreams',
      { logGroupName: GROUP, logGroupIdentifier: GROUP },
      'InvalidParameterException',
    );
    await callError(service, 'DescribeLogStreams', {}, 'InvalidParameterException');
    await callError(
      service,
      'DescribeLogStreams',
      { logGroupName: 'missing' },
      'ResourceNotFoundException',
    );
    await callError(
      service,
      'DescribeLogStreams',
      { logGroupName: GROUP, limit: 51 },
      'InvalidParameterException',
    );
  });

  test('accepts the group by ARN as logGroupIdentifier', async () => {
    const service = await withStreams('s');
    const arn = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}`;
    const out = await call<Streams>(service, 'DescribeLogStreams', { logGroupIdentifier: arn });
    assert.deepEqual(names(out.logStreams, 'logStreamName'), ['s']);
    // The model's identifier pattern [\w#+=/:,.@-]* has no '*': the `arn` form with `:*` is refused.
    await callError(
      service,
      'DescribeLogStreams',
      { logGroupIdentifier: `${arn}:*` },
      'InvalidParameterException',
    );
    await callError(
      service,
      'DescribeLogStreams',
      { logGroupIdentifier: `arn:aws:logs:${REGION}:999999999999:log-group:${GROUP}` },
      'ResourceNotFoundException',
    );
  });
});
