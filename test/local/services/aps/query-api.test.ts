import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NOW, WORKSPACE, call, callJson, newService, request, writeRequest } from './helpers.js';
import type { TestSeries } from './helpers.js';

const API = `/workspaces/${WORKSPACE}/api/v1`;
const T = NOW / 1000;

const SERIES: TestSeries[] = [
  {
    labels: [
      ['__name__', 'http_requests_total'],
      ['code', '200'],
      ['job', 'api'],
    ],
    samples: [
      [NOW - 120_000, 10],
      [NOW - 60_000, 12.5],
      [NOW, 15],
    ],
  },
  {
    labels: [
      ['__name__', 'http_requests_total'],
      ['code', '500'],
      ['job', 'api'],
    ],
    samples: [[NOW - 60_000, 1]],
  },
  {
    labels: [
      ['__name__', 'up'],
      ['job', 'api'],
    ],
    samples: [[NOW - 3_600_000, 1]],
  },
];

async function seeded() {
  const service = newService();
  assert.equal((await call(service, writeRequest(SERIES))).status, 200);
  return service;
}

const get = async (service: Awaited<ReturnType<typeof seeded>>, path: string) =>
  callJson(service, request('GET', `${API}/${path}`));

test('query: an instant vector at `time`, sorted by labels, within the 5m lookback', async () => {
  const service = await seeded();
  assert.deepEqual(await get(service, `query?query=http_requests_total&time=${T - 30}`), {
    status: 'success',
    data: {
      resultType: 'vector',
      result: [
        {
          metric: { __name__: 'http_requests_total', code: '200', job: 'api' },
          value: [T - 30, '12.5'],
        },
        {
          metric: { __name__: 'http_requests_total', code: '500', job: 'api' },
          value: [T - 30, '1'],
        },
      ],
    },
  });
  // The sample at T-60 is seen until just before T+240; the window (t-5m, t] is open on the left.
  const justBefore = (await get(
    service,
    `query?query=http_requests_total{code="500"}&time=${T + 239.999}`,
  )) as {
    data: { result: unknown[] };
  };
  assert.equal(justBefore.data.result.length, 1);
  assert.deepEqual(
    await get(service, `query?query=http_requests_total{code="500"}&time=${T + 240}`),
    {
      status: 'success',
      data: { resultType: 'vector', result: [] },
    },
  );
});

test('query: `time` defaults to the request time and accepts RFC 3339 and fractions', async () => {
  const service = await seeded();
  const atNow = await get(service, 'query?query=up{job="api"}');
  assert.deepEqual(atNow, { status: 'success', data: { resultType: 'vector', result: [] } });
  const iso = new Date(NOW - 3_600_000 + 1500).toISOString();
  assert.deepEqual(await get(service, `query?query=up&time=${iso}`), {
    status: 'success',
    data: {
      resultType: 'vector',
      result: [{ metric: { __name__: 'up', job: 'api' }, value: [T - 3600 + 1.5, '1'] }],
    },
  });
});

test('query_range: a matrix from start to end by step, omitting empty series', async () => {
  const service = await seeded();
  const body = await get(
    service,
    `query_range?query={__name__="http_requests_total"}&start=${T - 150}&end=${T}&step=1m`,
  );
  assert.deepEqual(body, {
    status: 'success',
    data: {
      resultType: 'matrix',
      result: [
        {
          metric: { __name__: 'http_requests_total', code: '200', job: 'api' },
          values: [
            [T - 90, '10'],
            [T - 30, '12.5'],
          ],
        },
        {
          metric: { __name__: 'http_requests_total', code: '500', job: 'api' },
          values: [[T - 30, '1']],
        },
      ],
    },
  });
});

test('query_range: missing or bad parameters are bad_data', async () => {
  const service = await seeded();
  const cases: [string, string][] = [
    [`start=${T}&end=${T}`, 'invalid parameter "step": cannot parse "" to a valid duration'],
    [`end=${T}&step=15`, 'invalid parameter "start": cannot parse "" to a valid timestamp'],
    [`start=${T}&end=${T - 1}&step=15`, 'end timestamp must not be before start time'],
    [
      `start=${T}&end=${T}&step=0`,
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    ],
    [
      `start=0&end=${T}&step=1`,
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    ],
    [
      `start=yesterday&end=${T}&step=1`,
      'invalid parameter "start": cannot parse "yesterday" to a valid timestamp',
    ],
  ];
  for (const [params, error] of cases) {
    const response = await call(service, request('GET', `${API}/query_range?query=up&${params}`));
    assert.equal(response.status, 400, params);
    assert.deepEqual(JSON.parse(String(response.body)), {
      status: 'error',
      errorType: 'bad_data',
      error,
    });
  }
});

test('query: PromQL beyond a vector selector is bad_data naming what is unsupported', async () => {
  const service = await seeded();
  const cases: [string, RegExp][] = [
    ['rate(http_requests_total[5m])', /function rate\(\) is not supported/],
    ['sum(up)', /aggregation sum\(\) is not supported/],
    ['sum by (job) (up)', /aggregation sum is not supported/],
    ['up[5m]', /range and subquery selectors/],
    ['up offset 5m', /offset modifier/],
    ['up @ 1700000000', /@ modifier/],
    ['up + 1', /binary operator "\+"/],
    ['up > 0', /binary operator ">"/],
    ['42', /number literals/],
    ['"s"', /string literals/],
    ['(up)', /parenthesised expressions/],
    ['-up', /unary operators/],
    ['', /1:1: parse error: no expression found in input/],
    ['{}', /vector selector must contain at least one non-empty matcher/],
    ['up{job=~"a("}', /1:4: parse error: error parsing regexp/],
  ];
  for (const [query, pattern] of cases) {
    const response = await call(
      service,
      request('GET', `${API}/query?query=${encodeURIComponent(query)}`),
    );
    assert.equal(response.status, 400, query);
    const body = JSON.parse(String(response.body)) as Record<string, unknown>;
    assert.equal(body['status'], 'error');
    assert.equal(body['errorType'], 'bad_data');
    assert.match(String(body['error']), /^invalid parameter "query": /);
    assert.match(String(body['error']), pattern, query);
  }
});

test('series: match[] is required, repeatable, and limited by start/end', async () => {
  const service = await seeded();
  assert.deepEqual(await get(service, 'series'), {
    status: 'error',
    errorType: 'bad_data',
    error: 'no match[] parameter provided',
  });
  assert.deepEqual(await get(service, 'series?match[]=up&match[]={code="500"}'), {
    status: 'success',
    data: [
      { __name__: 'http_requests_total', code: '500', job: 'api' },
      { __name__: 'up', job: 'api' },
    ],
  });
  assert.deepEqual(await get(service, `series?match[]={job="api"}&start=${T - 1800}`), {
    status: 'success',
    data: [
      { __name__: 'http_requests_total', code: '200', job: 'api' },
      { __name__: 'http_requests_total', code: '500', job: 'api' },
    ],
  });
});

test('labels and label values, optionally filtered by match[]', async () => {
  const service = await seeded();
  assert.deepEqual(await get(service, 'labels'), {
    status: 'success',
    data: ['__name__', 'code', 'job'],
  });
  assert.deepEqual(await get(service, 'labels?match[]=up'), {
    status: 'success',
    data: ['__name__', 'job'],
  });
  assert.deepEqual(await get(service, 'label/__name__/values'), {
    status: 'success',
    data: ['http_requests_total', 'up'],
  });
  assert.deepEqual(await get(service, 'label/code/values?match[]={code=~"5.."}'), {
    status: 'success',
    data: ['500'],
  });
  // As in Prometheus, a selector must not match every series, absent labels included.
  assert.deepEqual(await get(service, 'label/code/values?match[]={code!="200"}'), {
    status: 'error',
    errorType: 'bad_data',
    error:
      'invalid parameter "match[]": 1:1: parse error: vector selector must contain at least one non-empty matcher',
  });
  assert.deepEqual(await get(service, 'label/nope/values'), { status: 'success', data: [] });
  assert.deepEqual(await get(service, 'label/1bad/values'), {
    status: 'error',
    errorType: 'bad_data',
    error: 'invalid label name: "1bad"',
  });
});

test('POST with a form body works, and the body wins over the query string', async () => {
  const service = await seeded();
  const form = new URLSearchParams({ query: 'http_requests_total{code="500"}', time: String(T) });
  const response = await call(
    service,
    request('POST', `${API}/query?query=up`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(form.toString()),
    }),
  );
  assert.deepEqual(JSON.parse(String(response.body)), {
    status: 'success',
    data: {
      resultType: 'vector',
      result: [
        { metric: { __name__: 'http_requests_total', code: '500', job: 'api' }, value: [T, '1'] },
      ],
    },
  });
  assert.equal(response.headers?.['content-type'], 'application/json');
  const json = await call(
    service,
    request('POST', `${API}/query`, {
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"query":"up"}'),
    }),
  );
  assert.equal(json.status, 400);
});

test('special and large values are written as Prometheus writes them', async () => {
  const service = newService();
  const values = [Infinity, -Infinity, 1e21, 1.5e-7, -0, 0.1];
  await call(
    service,
    writeRequest(
      values.map((value, i) => ({
        labels: [
          ['__name__', 'v'],
          ['i', String(i)],
        ],
        samples: [[NOW, value]],
      })),
    ),
  );
  const body = (await get(service, 'query?query=v')) as {
    data: { result: { value: [number, string] }[] };
  };
  assert.deepEqual(
    body.data.result.map((r) => r.value[1]),
    ['+Inf', '-Inf', '1000000000000000000000', '0.00000015', '-0', '0.1'],
  );
});
