// GetLogEvents and FilterLogEvents: ranges, directions, tokens and filter patterns.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
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

interface Got {
  events: OutEvent[];
  nextForwardToken: string;
  nextBackwardToken: string;
}
interface Filtered {
  events: OutEvent[];
  nextToken?: string;
  searchedLogStreams: { logStreamName: string; searchedCompletely: boolean }[];
}

/** A stream holding m0…m9 at NOW-10 s … NOW-1 s. */
async function tenEvents() {
  const service = createLogsService(new JsonStore());
  await withStream(service);
  await put(
    service,
    Array.from({ length: 10 }, (_, i) => ({ timestamp: NOW - (10 - i) * 1000, message: `m${i}` })),
  );
  return service;
}

const messages = (events: OutEvent[]) => events.map((e) => e.message);

describe('GetLogEvents', () => {
  const at = { logGroupName: GROUP, logStreamName: STREAM };

  test('returns the newest events by default, in time order', async () => {
    const service = await tenEvents();
    const out = await call<Got>(service, 'GetLogEvents', { ...at, limit: 3 });
    assert.deepEqual(messages(out.events), ['m7', 'm8', 'm9']);
    assert.equal(out.events[0]?.ingestionTime, NOW);
    assert.match(out.nextForwardToken, /^f\/\d{56}$/);
    assert.match(out.nextBackwardToken, /^b\/\d{56}$/);
    const back = await call<Got>(service, 'GetLogEvents', {
      ...at,
      limit: 3,
      nextToken: out.nextBackwardToken,
    });
    assert.deepEqual(messages(back.events), ['m4', 'm5', 'm6']);
  });

  test('pages forward from the head until the token comes back unchanged', async () => {
    const service = await tenEvents();
    const seen: string[] = [];
    let token: string | undefined;
    for (let calls = 0; calls < 10; calls++) {
      const out: Got = await call<Got>(service, 'GetLogEvents', {
        ...at,
        startFromHead: true,
        limit: 4,
        ...(token ? { nextToken: token } : {}),
      });
      seen.push(...messages(out.events));
      if (out.nextForwardToken === token) break;
      token = out.nextForwardToken;
    }
    assert.deepEqual(
      seen,
      Array.from({ length: 10 }, (_, i) => `m${i}`),
    );
    // New events show up on the same forward token.
    await put(service, [{ timestamp: NOW, message: 'new' }]);
    const more = await call<Got>(service, 'GetLogEvents', {
      ...at,
      startFromHead: true,
      nextToken: token,
    });
    assert.deepEqual(messages(more.events), ['new']);
  });

  test('startTime is inclusive and endTime exclusive', async () => {
    const service = await tenEvents();
    const out = await call<Got>(service, 'GetLogEvents', {
      ...at,
      startTime: NOW - 8000,
      endTime: NOW - 5000,
      startFromHead: true,
    });
    assert.deepEqual(messages(out.events), ['m2', 'm3', 'm4']);
  });

  test('a page without a limit holds at most 1 MB', async () => {
    const service = createLogsService(new JsonStore());
    await withStream(service);
    const big = 'a'.repeat(1_048_550);
    await put(service, [{ timestamp: NOW - 1, message: big }]);
    await put(service, [{ timestamp: NOW, message: big }]);
    const first = await call<Got>(service, 'GetLogEvents', { ...at, startFromHead: true });
    assert.deepEqual(
      first.events.map((e) => e.timestamp),
      [NOW - 1],
    );
    const second = await call<Got>(service, 'GetLogEvents', {
      ...at,
      nextToken: first.nextForwardToken,
    });
    assert.deepEqual(
      second.events.map((e) => e.timestamp),
      [NOW],
    );
  });

  test('errors', async () => {
    const service = await tenEvents();
    await callError(
      service,
      'GetLogEvents',
      { logGroupName: GROUP, logStreamName: 'missing' },
      'ResourceNotFoundException',
    );
    await callError(
      service,
      'GetLogEvents',
      { ...at, nextToken: 'f/123' },
      'InvalidParameterException',
    );
    await callError(service, 'GetLogEvents', { ...at, limit: 10_001 }, 'InvalidParameterException');
    await callError(service, 'GetLogEvents', { logGroupName: GROUP }, 'InvalidParameterException');
  });
});

describe('FilterLogEvents', () => {
  async function twoStreams() {
    const service = createLogsService(new JsonStore());
    await withStream(service);
    await call(service, 'CreateLogStream', { logGroupName: GROUP, logStreamName: 'other' });
    await put(service, [
      { timestamp: NOW - 3000, message: 'ERROR disk full on /dev/sda' },
      { timestamp: NOW - 1000, message: 'INFO all good' },
    ]);
    await call(service, 'PutLogEvents', {
      logGroupName: GROUP,
      logStreamName: 'other',
      logEvents: [
        { timestamp: NOW - 2000, message: 'ERROR timeout talking to db' },
        { timestamp: NOW, message: 'WARN error rate rising' },
      ],
    });
    return service;
  }
  const filter = (service: Awaited<ReturnType<typeof twoStreams>>, body: object) =>
    call<Filtered>(service, 'FilterLogEvents', { logGroupName: GROUP, ...body });

  test('interleaves streams in time order with stream names and event ids', async () => {
    const service = await twoStreams();
    const out = await filter(service, {});
    assert.deepEqual(messages(out.events), [
      'ERROR disk full on /dev/sda',
      'ERROR timeout talking to db',
      'INFO all good',
      'WARN error rate rising',
    ]);
    assert.deepEqual(
      out.events.map((e) => e.logStreamName),
      [STREAM, 'other', STREAM, 'other'],
    );
    assert.equal(new Set(out.events.map((e) => e.eventId)).size, 4);
    assert.equal(out.nextToken, undefined);
    assert.equal(out.searchedLogStreams.length, 2);
  });

  test('selects streams by name or prefix, not both', async () => {
    const service = await twoStreams();
    assert.equal((await filter(service, { logStreamNames: ['other'] })).events.length, 2);
    assert.equal((await filter(service, { logStreamNamePrefix: 'host' })).events.length, 2);
    await callError(
      service,
      'FilterLogEvents',
      { logGroupName: GROUP, logStreamNames: ['other'], logStreamNamePrefix: 'o' },
      'InvalidParameterException',
    );
  });

  test('time range includes both ends', async () => {
    const service = await twoStreams();
    const out = await filter(service, { startTime: NOW - 2000, endTime: NOW - 1000 });
    assert.deepEqual(messages(out.events), ['ERROR timeout talking to db', 'INFO all good']);
  });

  test('matches terms (all of them, case-sensitively) and quoted phrases', async () => {
    const service = await twoStreams();
    assert.equal((await filter(service, { filterPattern: 'ERROR' })).events.length, 2);
    assert.equal((await filter(service, { filterPattern: 'error' })).events.length, 1);
    assert.deepEqual(messages((await filter(service, { filterPattern: 'ERROR db' })).events), [
      'ERROR timeout talking to db',
    ]);
    assert.deepEqual(messages((await filter(service, { filterPattern: '"on /dev/sda"' })).events), [
      'ERROR disk full on /dev/sda',
    ]);
    assert.equal((await filter(service, { filterPattern: '  ' })).events.length, 4);
  });

  test('refuses pattern syntax it does not emulate, naming it', async () => {
    const service = await twoStreams();
    const cases: [string, RegExp][] = [
      ['{ $.level = "ERROR" }', /JSON filter patterns/],
      ['[ip, user, status = 500]', /space-delimited/],
      ['?ERROR ?WARN', /OR terms/],
      ['ERROR -disk', /exclusion terms/],
      ['%ERR.*%', /regular expression/],
      ['/dev/sda', /'\/dev\/sda'.*double quotes/],
      ['"unclosed', /not closed/],
    ];
    for (const [filterPattern, message] of cases) {
      const error = await callError(
        service,
        'FilterLogEvents',
        { logGroupName: GROUP, filterPattern },
        'InvalidParameterException',
      );
      assert.match(error.message, message);
    }
  });

  test('pages with nextToken, forwards and backwards', async () => {
    const service = await twoStreams();
    const walk = async (startFromHead: boolean) => {
      const seen: string[] = [];
      let nextToken: string | undefined;
      do {
        const out: Filtered = await filter(service, {
          limit: 3,
          startFromHead,
          ...(nextToken ? { nextToken } : {}),
        });
        seen.push(...messages(out.events));
        nextToken = out.nextToken;
      } while (nextToken);
      return seen;
    };
    const forward = await walk(true);
    assert.equal(forward.length, 4);
    assert.deepEqual(await walk(false), [...forward].reverse());
  });

  test('errors', async () => {
    const service = await twoStreams();
    await callError(
      service,
      'FilterLogEvents',
      { logGroupName: 'missing' },
      'ResourceNotFoundException',
    );
    await callError(
      service,
      'FilterLogEvents',
      { logGroupName: GROUP, startFromHead: false, startTime: Date.UTC(2023, 11, 31) },
      'InvalidParameterException',
    );
    await callError(
      service,
      'FilterLogEvents',
      { logGroupName: GROUP, nextToken: 'not-a-token' },
      'InvalidParameterException',
    );
  });
});
