import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesAll } from '../../../../src/local/services/aps/matcher.js';
import { SelectorError, parseSelector } from '../../../../src/local/services/aps/selector.js';
import type { Labels } from '../../../../src/local/services/aps/series-store.js';
import { NOW, WORKSPACE, call, callJson, newService, request, writeRequest } from './helpers.js';

const describe = (query: string) => parseSelector(query).map((m) => `${m.name}${m.type}${m.value}`);

test('a metric name and matchers parse into the matcher list, whitespace and a trailing comma allowed', () => {
  assert.deepEqual(describe('up'), ['__name__=up']);
  assert.deepEqual(describe(' node:cpu_seconds:rate5m { a = "x" , b!="y", c=~"re", d!~"re", } '), [
    '__name__=node:cpu_seconds:rate5m',
    'a=x',
    'b!=y',
    'c=~re',
    'd!~re',
  ]);
  assert.deepEqual(describe('{__name__="up",job="a"}'), ['__name__=up', 'job=a']);
});

test('string literals: double and single quotes with Go escapes, backticks raw', () => {
  assert.deepEqual(describe(`{a="q\\"\\n\\t\\\\\\x41\\u00e9\\101"}`), ['a=q"\n\t\\Aé' + 'A']);
  assert.deepEqual(describe(`{a='it\\'s'}`), ["a=it's"]);
  assert.deepEqual(describe('{a=`C:\\path`}'), ['a=C:\\path']);
});

test('syntax errors carry a 1-based position', () => {
  const cases: [string, number, RegExp][] = [
    ['{a="x"', 7, /expected "," or "}"/],
    ['{a=x}', 4, /expected string/],
    ['{a~"x"}', 3, /expected label matching operator/],
    ['{a="x}', 4, /unterminated quoted string/],
    ['{a="\\q"}', 5, /unknown escape sequence/],
    ['up{__name__="x"}', 4, /metric name must not be set twice: "up" or "x"/],
  ];
  for (const [query, position, pattern] of cases) {
    assert.throws(
      () => parseSelector(query),
      (error: unknown) =>
        error instanceof SelectorError &&
        error.syntax &&
        error.position === position &&
        pattern.test(error.message),
      query,
    );
  }
});

const LABELS: Labels = [
  ['__name__', 'up'],
  ['env', 'prod'],
  ['path', '/api/v1\nx'],
];
const selects = (query: string) => matchesAll(parseSelector(query), LABELS);

test('=, != treat an absent label as the empty string', () => {
  assert.equal(selects('up{env="prod"}'), true);
  assert.equal(selects('up{env="pro"}'), false);
  assert.equal(selects('up{env!="dev"}'), true);
  assert.equal(selects('up{env!="prod"}'), false);
  assert.equal(selects('up{missing=""}'), true);
  assert.equal(selects('up{missing!=""}'), false);
});

test('=~ and !~ are anchored at both ends, and . matches a newline', () => {
  assert.equal(selects('up{env=~"pro"}'), false);
  assert.equal(selects('up{env=~"pro.*"}'), true);
  assert.equal(selects('up{env=~"rod"}'), false);
  assert.equal(selects('up{env=~"dev|prod"}'), true);
  assert.equal(selects('up{env!~"dev|prod"}'), false);
  assert.equal(selects('up{env!~"pro"}'), true);
  assert.equal(selects('up{path=~"/api/.*"}'), true);
  assert.equal(selects('up{env=~"(?i)PROD"}'), true);
  assert.equal(selects('up{env=~"(?P<e>prod)"}'), true);
  // Escapes RE2 allows and a strict JS regex would not.
  assert.equal(selects('up{env=~"pro\\\\-?d"}'), true);
  // Alternation cannot escape the anchors.
  assert.equal(selects('{__name__=~"u|zzz"}'), false);
});

test('a regex that breaks out of its group is refused, not mis-anchored', () => {
  assert.throws(() => parseSelector('{env=~"a)|(b"}'), /error parsing regexp/);
});

test('the four matchers through remote write and query', async () => {
  const service = newService();
  const series = ['a', 'b', 'c'].map((instance) => ({
    labels: [
      ['__name__', 'm'],
      ['instance', instance],
    ] as const,
    samples: [[NOW, instance.charCodeAt(0)]] as const,
  }));
  assert.equal((await call(service, writeRequest(series))).status, 200);
  const instances = async (query: string) => {
    const body = (await callJson(
      service,
      request('GET', `/workspaces/${WORKSPACE}/api/v1/query?query=${encodeURIComponent(query)}`),
    )) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    return body.data.result.map((r) => `${r.metric['instance']}=${r.value[1]}`);
  };
  assert.deepEqual(await instances('m{instance="b"}'), ['b=98']);
  assert.deepEqual(await instances('m{instance!="b"}'), ['a=97', 'c=99']);
  assert.deepEqual(await instances('m{instance=~"a|c"}'), ['a=97', 'c=99']);
  assert.deepEqual(await instances('m{instance!~"a|c"}'), ['b=98']);
  assert.deepEqual(await instances('{__name__=~"m", instance=~"[bc]"}'), ['b=98', 'c=99']);
});
