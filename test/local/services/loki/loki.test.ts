import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { request } from 'undici';
import { startLocal, type LocalStack } from '../../../../src/local/index.js';
import { smithySignedHeaders } from '../../../helpers/smithy-sign.js';
import { encodePush } from '../../../sinks/loki/wire.js';

let local: LocalStack;
before(async () => {
  local = await startLocal({ lokiMaxEntries: 1000 });
});
after(() => local.close());

const NS = 1_700_000_000_000_000_000n;
const ts = (i: number) => (NS + BigInt(i) * 1_000_000n).toString();

async function push(
  body: Buffer | string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const res = await request(`${local.url}/loki/api/v1/push`, { method: 'POST', body, headers });
  return { status: res.statusCode, text: await res.body.text() };
}

type Value = [string, string] | [string, string, { structuredMetadata: Record<string, string> }];
interface LokiStream {
  readonly stream: Record<string, string>;
  readonly values: Value[];
}
interface QueryAnswer {
  readonly status: string;
  readonly data: { readonly resultType: string; readonly result: LokiStream[] };
}
interface TenantStats {
  readonly received: number;
  readonly repeated: number;
  readonly evicted: number;
  readonly stored: number;
}

async function query(
  params: Record<string, string>,
  tenant?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; answer: QueryAnswer }> {
  const url = `${local.url}/loki/api/v1/query_range?${new URLSearchParams(params).toString()}`;
  const res = await request(url, {
    headers: { ...headers, ...(tenant ? { 'x-scope-orgid': tenant } : {}) },
  });
  const text = await res.body.text();
  const answer = (res.statusCode === 200 ? JSON.parse(text) : {}) as QueryAnswer;
  return { status: res.statusCode, text, answer };
}

async function lokiStats(): Promise<Record<string, TenantStats>> {
  const res = await request(`${local.url}/_signet/execute-api/loki/stats`);
  return ((await res.body.json()) as { tenants: Record<string, TenantStats> }).tenants;
}

const linesOf = (stream: LokiStream | undefined) => (stream?.values ?? []).map((v) => v[1]);

const wide = { start: String(NS - 1n), end: String(NS + 10_000_000_000n) };

test('a protobuf+snappy push (built with protobufjs from push.proto) is read back with query_range', async () => {
  const body = encodePush([
    {
      labels: '{app="web", env="prod"}',
      entries: [
        { ts: ts(1), line: 'one', metadata: { trace_id: 't1' } },
        { ts: ts(2), line: 'two', metadata: {} },
      ],
    },
    { labels: '{app="db", env="prod"}', entries: [{ ts: ts(3), line: 'three', metadata: {} }] },
  ]);
  const pushed = await push(body, {
    'content-type': 'application/x-protobuf',
    'x-scope-orgid': 'pb',
  });
  assert.equal(pushed.status, 204, pushed.text);

  const forward = await query({ query: '{app="web"}', direction: 'forward', ...wide }, 'pb');
  assert.equal(forward.status, 200);
  assert.equal(forward.answer.status, 'success');
  assert.equal(forward.answer.data.resultType, 'streams');
  // Structured metadata joins the stream's labels, as Loki 3 answers.
  assert.deepEqual(forward.answer.data.result, [
    { stream: { trace_id: 't1', app: 'web', env: 'prod' }, values: [[ts(1), 'one']] },
    { stream: { app: 'web', env: 'prod' }, values: [[ts(2), 'two']] },
  ]);

  const categorized = await query({ query: '{app="web"}', ...wide }, 'pb', {
    'x-loki-response-encoding-flags': 'categorize-labels',
  });
  assert.deepEqual(categorized.answer.data.result, [
    {
      stream: { app: 'web', env: 'prod' },
      values: [
        [ts(2), 'two'],
        [ts(1), 'one', { structuredMetadata: { trace_id: 't1' } }],
      ],
    },
  ]);

  const regex = await query({ query: '{env="prod", app=~"w.*|d.*"}', limit: '2', ...wide }, 'pb');
  const lines = regex.answer.data.result.flatMap(linesOf);
  assert.deepEqual(lines.sort(), ['three', 'two'], 'the newest two, backward by default');
});

test('JSON pushes, plain and gzip; tenants are kept apart', async () => {
  const doc = (line: string) =>
    JSON.stringify({ streams: [{ stream: { app: 'json' }, values: [[ts(5), line, { k: 'v' }]] }] });
  assert.equal(
    (await push(doc('plain'), { 'content-type': 'application/json', 'x-scope-orgid': 'a' })).status,
    204,
  );
  const zipped = gzipSync(doc('zipped'));
  const gz = await push(zipped, {
    'content-type': 'application/json',
    'content-encoding': 'gzip',
    'x-scope-orgid': 'b',
  });
  assert.equal(gz.status, 204, gz.text);
  const a = await query({ query: '{app="json"}', ...wide }, 'a');
  const b = await query({ query: '{app="json"}', ...wide }, 'b');
  const none = await query({ query: '{app="json"}', ...wide });
  assert.deepEqual(a.answer.data.result, [
    { stream: { k: 'v', app: 'json' }, values: [[ts(5), 'plain']] },
  ]);
  assert.deepEqual(b.answer.data.result, [
    { stream: { k: 'v', app: 'json' }, values: [[ts(5), 'zipped']] },
  ]);
  assert.deepEqual(none.answer.data.result, [], 'no X-Scope-OrgID is the tenant "fake"');
});

test('refusals are Loki plain-text 400s and store nothing', async () => {
  const empty = await push(JSON.stringify({ streams: [{ stream: {}, values: [[ts(1), 'x']] }] }), {
    'content-type': 'application/json',
  });
  assert.equal(empty.status, 400);
  assert.match(empty.text, /at least one label pair is required per stream/);
  const badTs = await push(
    JSON.stringify({ streams: [{ stream: { a: 'b' }, values: [[1, 'x']] }] }),
    {
      'content-type': 'application/json',
    },
  );
  assert.equal(badTs.status, 400);
  assert.match(
    badTs.text,
    /streams\[0\]\.values\[0\]\[0\]: the timestamp must be a string of Unix nanoseconds/,
  );
  const corrupt = await push(Buffer.from('not snappy at all'), {
    'content-type': 'application/x-protobuf',
  });
  assert.equal(corrupt.status, 400);
  const badLabels = await push(encodePush([{ labels: '{a=~"b"}', entries: [] }]), {});
  assert.equal(badLabels.status, 400);
  assert.match(badLabels.text, /only name="value" pairs/);

  const filter = await query({ query: '{a="b"} |= "x"' });
  assert.equal(filter.status, 400);
  assert.match(filter.text, /line filters/);
  const emptyMatcher = await query({ query: '{a=""}' });
  assert.equal(emptyMatcher.status, 400);
  assert.match(emptyMatcher.text, /at least one regexp or equality matcher/);
  assert.equal((await lokiStats())['fake'], undefined, 'nothing refused was stored');
});

test('start is inclusive, end exclusive; limit and direction', async () => {
  const entries = Array.from({ length: 5 }, (_, i) => ({
    ts: ts(10 + i),
    line: `l${i}`,
    metadata: {},
  }));
  await push(encodePush([{ labels: '{app="range"}', entries }]), { 'x-scope-orgid': 'r' });
  const got = await query(
    { query: '{app="range"}', start: ts(11), end: ts(14), direction: 'forward', limit: '10' },
    'r',
  );
  assert.deepEqual(got.answer.data.result[0]?.values, [
    [ts(11), 'l1'],
    [ts(12), 'l2'],
    [ts(13), 'l3'],
  ]);
  const newest = await query({ query: '{app="range"}', limit: '2', ...wide }, 'r');
  assert.deepEqual(newest.answer.data.result[0]?.values, [
    [ts(14), 'l4'],
    [ts(13), 'l3'],
  ]);
  // RFC3339 and float seconds as Loki takes them.
  const seconds = await query(
    {
      query: '{app="range"}',
      start: '1700000000',
      end: '2023-11-14T22:13:20.013Z',
      direction: 'forward',
    },
    'r',
  );
  assert.deepEqual(linesOf(seconds.answer.data.result[0]), ['l0', 'l1', 'l2']);
});

test('a repeated push is taken but stored once; past the cap the oldest are dropped and counted', async () => {
  const body = encodePush([
    { labels: '{app="cap"}', entries: [{ ts: ts(1), line: 'once', metadata: {} }] },
  ]);
  await push(body, { 'x-scope-orgid': 'cap' });
  await push(body, { 'x-scope-orgid': 'cap' });
  const entries = Array.from({ length: 1200 }, (_, i) => ({
    ts: ts(100 + i),
    line: `e${i}`,
    metadata: {},
  }));
  await push(encodePush([{ labels: '{app="cap"}', entries }]), { 'x-scope-orgid': 'cap' });
  const stats = await lokiStats();
  const cap = stats['cap']!;
  assert.equal(cap.received, 1202);
  assert.equal(cap.repeated, 1);
  assert.equal(cap.stored <= 1000, true);
  let held = 0;
  for (const t of Object.values(stats)) held += t.stored;
  assert.equal(held, 1000, 'the cap holds across tenants');
  const got = await query(
    { query: '{app="cap"}', limit: '5000', direction: 'forward', ...wide },
    'cap',
  );
  const lines = linesOf(got.answer.data.result[0]);
  assert.equal(lines.at(-1), 'e1199', 'the newest are kept');
  assert.equal(lines.includes('once'), false, 'the oldest went first');
  let taken = 0;
  let evicted = 0;
  for (const t of Object.values(stats)) {
    taken += t.received - t.repeated;
    evicted += t.evicted;
  }
  assert.equal(evicted, taken - 1000, 'every entry dropped for the cap is counted');
});

test('signed pushes are verified (smithy signs for execute-api); a bad signature is refused; unsigned is anonymous', async () => {
  const url = `${local.url}/loki/api/v1/push`;
  const body = encodePush([
    { labels: '{app="signed"}', entries: [{ ts: ts(1), line: 's', metadata: {} }] },
  ]);
  const base = { 'content-type': 'application/x-protobuf', 'x-scope-orgid': 'sig' };
  const headers = await smithySignedHeaders({ service: 'execute-api' }, 'POST', url, {
    body,
    headers: base,
  });
  const signed = await request(url, { method: 'POST', body, headers });
  assert.equal(signed.statusCode, 204, await signed.body.text());

  const wrong = await smithySignedHeaders(
    {
      service: 'execute-api',
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wrong' },
    },
    'POST',
    url,
    { body, headers: base },
  );
  const refused = await request(url, { method: 'POST', body, headers: wrong });
  // The core answers a REST-JSON service's bad signature as AWS's JSON APIs do.
  assert.equal(refused.statusCode, 400);
  assert.match(await refused.body.text(), /InvalidSignatureException|signature/i);

  const anonymous = await request(url, { method: 'POST', body, headers: base });
  assert.equal(anonymous.statusCode, 204, await anonymous.body.text());

  const log = (await (await request(`${local.url}/_signet/requests`)).body.json()) as {
    requests: { path: string; signature: string; status: number }[];
  };
  const pushes = log.requests.filter((r) => r.path === '/loki/api/v1/push');
  assert.ok(pushes.some((r) => r.signature === 'verified' && r.status === 204));
  assert.ok(pushes.some((r) => r.signature.startsWith('rejected') && r.status === 400));
  assert.ok(pushes.some((r) => r.signature === 'unsigned' && r.status === 204));
});

test('query (instant, `time` as the end), POST form bodies, and `+` as a space as Go clients encode it', async () => {
  const entries = [0, 1, 2].map((i) => ({ ts: ts(50 + i), line: `q${i}`, metadata: {} }));
  await push(encodePush([{ labels: '{app="form", env="a b"}', entries }]), {
    'x-scope-orgid': 'q',
  });
  const instant = await request(
    `${local.url}/loki/api/v1/query?query=${encodeURIComponent('{app="form"}')}&time=${ts(52)}&direction=forward`,
    { headers: { 'x-scope-orgid': 'q' } },
  );
  const answer = (await instant.body.json()) as QueryAnswer;
  assert.deepEqual(linesOf(answer.data.result[0]), ['q0', 'q1']);

  const plus = await request(
    `${local.url}/loki/api/v1/query_range?query={env%3D"a+b"}&start=${wide.start}&end=${wide.end}`,
    { headers: { 'x-scope-orgid': 'q' } },
  );
  assert.equal(plus.statusCode, 200);
  const plusAnswer = (await plus.body.json()) as QueryAnswer;
  assert.equal(linesOf(plusAnswer.data.result[0]).length, 3);

  const form = await request(`${local.url}/loki/api/v1/query_range`, {
    method: 'POST',
    headers: { 'x-scope-orgid': 'q', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: '{app="form"}', limit: '1', ...wide }).toString(),
  });
  const formAnswer = (await form.body.json()) as QueryAnswer;
  assert.deepEqual(linesOf(formAnswer.data.result[0]), ['q2']);
});
