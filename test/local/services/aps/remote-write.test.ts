import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compressSync } from 'snappy';
import { ServiceError } from '../../../../src/local/service.js';
import {
  MemoryStore,
  NOW,
  WORKSPACE,
  call,
  callJson,
  encodeWriteRequest,
  newService,
  request,
  writeRequest,
} from './helpers.js';

const UP = {
  labels: [
    ['__name__', 'up'],
    ['instance', 'a:9100'],
    ['job', 'node'],
  ],
} as const;

/** The instant vector for `up` at NOW, as parsed JSON. */
async function instant(service: ReturnType<typeof newService>, query = 'up'): Promise<unknown> {
  const q = encodeURIComponent(query);
  return callJson(service, request('GET', `/workspaces/${WORKSPACE}/api/v1/query?query=${q}`));
}

function rejectedWith(status: number, pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ServiceError, `expected a ServiceError, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.match(error.message, pattern);
    return true;
  };
}

test('a valid write answers 200 with no body, saves, and reads back exactly', async () => {
  const store = new MemoryStore();
  const service = newService(store);
  const response = await call(service, writeRequest([{ ...UP, samples: [[NOW - 30_000, 1]] }]));
  assert.deepEqual(response, { status: 200 });
  assert.equal(store.saves, 1);
  assert.deepEqual(await instant(service), {
    status: 'success',
    data: {
      resultType: 'vector',
      result: [
        {
          metric: { __name__: 'up', instance: 'a:9100', job: 'node' },
          value: [NOW / 1000, '1'],
        },
      ],
    },
  });
});

test('a repeated timestamp keeps the last value; out-of-order samples are accepted', async () => {
  const service = newService();
  await call(service, writeRequest([{ ...UP, samples: [[NOW - 10_000, 1]] }]));
  await call(service, writeRequest([{ ...UP, samples: [[NOW - 10_000, 7]] }]));
  await call(service, writeRequest([{ ...UP, samples: [[NOW - 20_000, 3]] }]));
  const start = (NOW - 20_000) / 1000;
  const body = await callJson(
    service,
    request(
      'GET',
      `/workspaces/${WORKSPACE}/api/v1/query_range?query=up&start=${start}&end=${NOW / 1000}&step=10`,
    ),
  );
  assert.deepEqual(body, {
    status: 'success',
    data: {
      resultType: 'matrix',
      result: [
        {
          metric: { __name__: 'up', instance: 'a:9100', job: 'node' },
          values: [
            [start, '3'],
            [start + 10, '7'],
            [start + 20, '7'],
          ],
        },
      ],
    },
  });
});

test('metadata in the WriteRequest is ignored', async () => {
  const service = newService();
  const req = writeRequest([]);
  const body = compressSync(encodeWriteRequest([{ ...UP, samples: [[NOW, 2]] }], true));
  assert.deepEqual(await call(service, { ...req, body }), { status: 200 });
  assert.deepEqual(await instant(service), {
    status: 'success',
    data: {
      resultType: 'vector',
      result: [
        { metric: { __name__: 'up', instance: 'a:9100', job: 'node' }, value: [NOW / 1000, '2'] },
      ],
    },
  });
});

test('an undecodable snappy body is a 400', async () => {
  const req = writeRequest([]);
  await assert.rejects(
    call(newService(), { ...req, body: Buffer.from('definitely not snappy at all') }),
    rejectedWith(400, /not snappy block-compressed/),
  );
});

test('snappy that does not hold a WriteRequest is a 400', async () => {
  const req = writeRequest([]);
  // Field 1 says "length-delimited, 100 bytes" and then the body ends.
  const truncated = compressSync(Buffer.from([0x0a, 0x64, 0x01]));
  await assert.rejects(
    call(newService(), { ...req, body: truncated }),
    rejectedWith(400, /not a protobuf prometheus\.WriteRequest/),
  );
});

test('an uncompressed protobuf body, or a missing Content-Encoding, is a 400', async () => {
  const service = newService();
  const req = writeRequest([]);
  const raw = encodeWriteRequest([{ ...UP, samples: [[NOW, 1]] }]);
  await assert.rejects(call(service, { ...req, body: raw }), rejectedWith(400, /snappy/));
  const headers = { ...req.headers };
  delete headers['content-encoding'];
  await assert.rejects(
    call(service, { ...req, headers }),
    rejectedWith(400, /Content-Encoding: snappy, got none/),
  );
  await assert.rejects(
    call(service, { ...req, headers: { ...req.headers, 'content-encoding': 'gzip' } }),
    rejectedWith(400, /Content-Encoding: snappy, got "gzip"/),
  );
});

test('the content type must be protobuf, and remote write 2.0 is refused', async () => {
  const service = newService();
  const req = writeRequest([{ ...UP, samples: [[NOW, 1]] }]);
  await assert.rejects(
    call(service, { ...req, headers: { ...req.headers, 'content-type': 'application/json' } }),
    rejectedWith(400, /Content-Type: application\/x-protobuf/),
  );
  const v2 = 'application/x-protobuf;proto=io.prometheus.write.v2.Request';
  await assert.rejects(
    call(service, { ...req, headers: { ...req.headers, 'content-type': v2 } }),
    rejectedWith(415, /remote write 1\.0/),
  );
  const v1 = 'application/x-protobuf; proto=prometheus.WriteRequest';
  const accepted = await call(service, { ...req, headers: { ...req.headers, 'content-type': v1 } });
  assert.equal(accepted.status, 200);
});

test('unsorted, duplicate, invalid or missing-name labels are 400s and store nothing', async () => {
  const store = new MemoryStore();
  const service = newService(store);
  const good = { ...UP, samples: [[NOW, 1]] } as const;
  const cases = [
    [
      [
        ['__name__', 'up'],
        ['job', 'x'],
        ['instance', 'y'],
      ],
      /labels not sorted: "instance" comes after "job"/,
    ],
    [
      [
        ['__name__', 'up'],
        ['job', 'x'],
        ['job', 'y'],
      ],
      /duplicate label name: "job"/,
    ],
    [[['job', 'x']], /missing metric name/],
    [
      [
        ['__name__', ''],
        ['job', 'x'],
      ],
      /missing metric name/,
    ],
    [[['__name__', '1up']], /invalid metric name: "1up"/],
    [
      [
        ['__name__', 'up'],
        ['bad-name', 'x'],
      ],
      /invalid label: "bad-name"/,
    ],
  ] as const;
  for (const [labels, pattern] of cases) {
    await assert.rejects(
      call(service, writeRequest([good, { labels, samples: [[NOW, 1]] }])),
      rejectedWith(400, pattern),
    );
  }
  assert.equal(store.saves, 0);
  assert.deepEqual(await instant(service), {
    status: 'success',
    data: { resultType: 'vector', result: [] },
  });
});

test('empty label values are dropped, as Prometheus treats them as absent', async () => {
  const service = newService();
  const labels = [
    ['__name__', 'up'],
    ['env', ''],
    ['job', 'node'],
  ] as const;
  await call(service, writeRequest([{ labels, samples: [[NOW, 1]] }]));
  const body = await callJson(
    service,
    request('GET', `/workspaces/${WORKSPACE}/api/v1/series?match[]=up`),
  );
  assert.deepEqual(body, { status: 'success', data: [{ __name__: 'up', job: 'node' }] });
});

test('a staleness marker ends the series for instant queries', async () => {
  const service = newService();
  const staleNaN = new DataView(new ArrayBuffer(8));
  staleNaN.setBigUint64(0, 0x7ff0000000000002n);
  await call(
    service,
    writeRequest([
      {
        ...UP,
        samples: [
          [NOW - 60_000, 1],
          [NOW - 30_000, staleNaN.getFloat64(0)],
        ],
      },
    ]),
  );
  assert.deepEqual(await instant(service), {
    status: 'success',
    data: { resultType: 'vector', result: [] },
  });
  // An ordinary NaN is a value, not a marker.
  await call(service, writeRequest([{ ...UP, samples: [[NOW, NaN]] }]));
  assert.deepEqual(await instant(service), {
    status: 'success',
    data: {
      resultType: 'vector',
      result: [
        { metric: { __name__: 'up', instance: 'a:9100', job: 'node' }, value: [NOW / 1000, 'NaN'] },
      ],
    },
  });
});

test('workspaces are separate', async () => {
  const service = newService();
  await call(service, writeRequest([{ ...UP, samples: [[NOW, 1]] }], 'ws-other'));
  assert.deepEqual(await instant(service), {
    status: 'success',
    data: { resultType: 'vector', result: [] },
  });
});
