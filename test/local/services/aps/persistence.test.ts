import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MemoryStore,
  NOW,
  WORKSPACE,
  call,
  callJson,
  newService,
  request,
  writeRequest,
} from './helpers.js';

const RANGE = `/workspaces/${WORKSPACE}/api/v1/query_range?query={__name__=~"a|b"}&start=${(NOW - 60_000) / 1000}&end=${NOW / 1000}&step=30`;

test('samples survive a restart through JSON, special values and staleness included', async () => {
  const store = new MemoryStore();
  const first = newService(store);
  const stale = new DataView(new ArrayBuffer(8));
  stale.setBigUint64(0, 0x7ff0000000000002n);
  await call(
    first,
    writeRequest([
      {
        labels: [
          ['__name__', 'a'],
          ['k', 'v'],
        ],
        samples: [
          [NOW - 60_000, NaN],
          [NOW - 30_000, Infinity],
          [NOW, -2.5],
        ],
      },
      {
        labels: [['__name__', 'b']],
        samples: [
          [NOW - 60_000, 1],
          [NOW - 30_000, stale.getFloat64(0)],
        ],
      },
    ]),
  );
  await call(
    first,
    writeRequest([{ labels: [['__name__', 'b']], samples: [[NOW - 90_000, 4]] }], 'ws-2'),
  );
  const before = await callJson(first, request('GET', RANGE));

  const second = newService(store);
  assert.deepEqual(await callJson(second, request('GET', RANGE)), before);
  assert.deepEqual(before, {
    status: 'success',
    data: {
      resultType: 'matrix',
      result: [
        {
          metric: { __name__: 'a', k: 'v' },
          values: [
            [(NOW - 60_000) / 1000, 'NaN'],
            [(NOW - 30_000) / 1000, '+Inf'],
            [NOW / 1000, '-2.5'],
          ],
        },
        { metric: { __name__: 'b' }, values: [[(NOW - 60_000) / 1000, '1']] },
      ],
    },
  });
  assert.deepEqual(
    await callJson(second, request('GET', '/workspaces/ws-2/api/v1/label/__name__/values')),
    {
      status: 'success',
      data: ['b'],
    },
  );
});

test('a restarted service keeps appending to the loaded series', async () => {
  const store = new MemoryStore();
  await call(
    newService(store),
    writeRequest([{ labels: [['__name__', 'a']], samples: [[NOW - 30_000, 1]] }]),
  );
  const second = newService(store);
  await call(second, writeRequest([{ labels: [['__name__', 'a']], samples: [[NOW, 2]] }]));
  const third = newService(store);
  const body = (await callJson(third, request('GET', RANGE))) as {
    data: { result: { values: unknown[] }[] };
  };
  assert.deepEqual(body.data.result[0]?.values, [
    [(NOW - 30_000) / 1000, '1'],
    [NOW / 1000, '2'],
  ]);
});

test('a malformed saved state is refused rather than silently replaced', () => {
  const store = new MemoryStore();
  store.saved.set('aps', JSON.stringify({ version: 1, workspaces: { ws: [{ labels: 'oops' }] } }));
  assert.throws(() => newService(store), /aps: the saved state is malformed/);
});
