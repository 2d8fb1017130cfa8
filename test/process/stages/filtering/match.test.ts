// match: Promtail's TestMatcher table (selector, labels, action → dropped,
// nested stages ran, or refused), the documented example, and the match +
// drop combinations users write.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseSelector } from '../../../../src/process/stages/filtering/selector.js';
import { configError, pipeline, sample } from './helpers.js';

describe("Promtail's TestMatcher", () => {
  // [selector, labels, action, shouldDrop, shouldRun, wantErr]; the line is "foo".
  const cases: [string, Record<string, string>, 'keep' | 'drop', boolean, boolean, boolean][] = [
    ['{foo="bar"} |= "foo"', { foo: 'bar' }, 'keep', false, true, false],
    ['{foo="bar"} |~ "foo"', { foo: 'bar' }, 'keep', false, true, false],
    ['{foo="bar"} |= "bar"', { foo: 'bar' }, 'keep', false, false, false],
    ['{foo="bar"} |~ "bar"', { foo: 'bar' }, 'keep', false, false, false],
    ['{foo="bar"} != "bar"', { foo: 'bar' }, 'keep', false, true, false],
    ['{foo="bar"} !~ "bar"', { foo: 'bar' }, 'keep', false, true, false],
    ['{foo="bar"} != "foo"', { foo: 'bar' }, 'keep', false, false, false],
    ['{foo="bar"} |= "foo"', { foo: 'bar' }, 'drop', true, false, false],
    ['{foo="bar"} |~ "foo"', { foo: 'bar' }, 'drop', true, false, false],
    ['{foo="bar"} |= "bar"', { foo: 'bar' }, 'drop', false, false, false],
    ['{foo="bar"} |~ "bar"', { foo: 'bar' }, 'drop', false, false, false],
    ['{foo="bar"} != "bar"', { foo: 'bar' }, 'drop', true, false, false],
    ['{foo="bar"} !~ "bar"', { foo: 'bar' }, 'drop', true, false, false],
    ['{foo="bar"} != "foo"', { foo: 'bar' }, 'drop', false, false, false],
    ['{foo="bar"} !~ "[]"', { foo: 'bar' }, 'drop', false, false, true],
    ['foo', { foo: 'bar' }, 'keep', false, false, true],
    ['{}', { foo: 'bar' }, 'keep', false, false, true],
    ['{', { foo: 'bar' }, 'keep', false, false, true],
    ['', { foo: 'bar' }, 'keep', false, true, true],
    ['{foo="bar"}', { foo: 'bar' }, 'keep', false, true, false],
    ['{foo=""}', { foo: 'bar' }, 'keep', false, false, false],
    ['{foo=""}', {}, 'keep', false, true, false],
    ['{foo!="bar"}', { foo: 'bar' }, 'keep', false, false, false],
    ['{foo!="bar"}', { foo: 'bar' }, 'drop', false, false, false],
    ['{foo="bar",bar!="test"}', { foo: 'bar' }, 'keep', false, true, false],
    ['{foo="bar",bar!="test"}', { foo: 'bar' }, 'drop', true, false, false],
    ['{foo="bar",bar!="test"}', { foo: 'bar', bar: 'test' }, 'keep', false, false, false],
    ['{foo="bar",bar=~"te.*"}', { foo: 'bar', bar: 'test' }, 'drop', true, false, false],
    ['{foo="bar",bar=~"te.*"}', { foo: 'bar', bar: 'test' }, 'keep', false, true, false],
    ['{foo="bar",bar!~"te.*"}', { foo: 'bar', bar: 'test' }, 'keep', false, false, false],
    ['{foo="bar",bar!~"te.*"}', { foo: 'bar', bar: 'test' }, 'drop', false, false, false],
    ['{foo="bar"} |= "foo" | status >= 200', { foo: 'bar' }, 'keep', false, false, true],
  ];
  for (const [selector, labels, action, shouldDrop, shouldRun, wantErr] of cases) {
    test(`${selector} ${JSON.stringify(labels)} ${action}`, () => {
      const stages = action === 'keep' ? '\n    stages:\n      - labels: {test_label: ""}' : '';
      const yaml = `- match:\n    selector: ${JSON.stringify(selector)}\n    action: ${action}${stages}`;
      if (wantErr) {
        configError(yaml);
        return;
      }
      const h = pipeline(yaml);
      h.push({ labels, line: 'foo', extracted: { test_label: 'unimportant value' } });
      assert.equal(h.discards.length, shouldDrop ? 1 : 0, 'dropped');
      if (shouldDrop) return;
      assert.equal('test_label' in h.outputs[0]!.labels, shouldRun, 'nested stages ran');
    });
  }
});

describe('selector grammar', () => {
  test('Go string escapes and several line filters, all of which must hold', () => {
    const s = parseSelector(
      '{app=~"api|web", env!="dev"} |= "GET \\"/x\\"" != "\\u00e9" |~ "\\\\d{3}"',
    );
    assert.deepEqual(
      s.filters.map((f) => [f.op, f.value]),
      [
        ['|=', 'GET "/x"'],
        ['!=', 'é'],
        ['|~', '\\d{3}'],
      ],
    );
    assert.equal(s.matches({ app: 'api', env: 'prod' }, 'GET "/x" 200'), true);
    assert.equal(s.matches({ app: 'api', env: 'prod' }, 'GET "/x" 2xx'), false);
    assert.equal(
      s.matches({ app: 'apix', env: 'prod' }, 'GET "/x" 200'),
      false,
      'label regexes are anchored',
    );
    assert.equal(s.matches({ app: 'web', env: 'dev' }, 'GET "/x" 200'), false);
  });
  test('label regexes match across newlines (?s), line regexes follow Go (. stops at \\n)', () => {
    assert.equal(parseSelector('{a=~"x.*"}').matches({ a: 'x\ny' }, ''), true);
    assert.equal(parseSelector('{a=""} |~ "x.y"').matches({}, 'x\ny'), false);
  });
  test('refusals say where', () => {
    const cases: [string, RegExp][] = [
      ['{a="b",}', /col 8/],
      ["{a='b'}", /col 4/],
      ['{a="b"} | json', /col 9/],
      ['{a="b} ', /literal not terminated/],
      ['{a="\\xff"}', /invalid escape/],
      ['{a=~"(?=x)"}', /col 5.*lookahead/],
    ];
    for (const [src, want] of cases) assert.throws(() => parseSelector(src), want, src);
  });
});

describe('match with drop, as users write it', () => {
  const yaml = `
- match:
    selector: '{app="api"} |~ "level=(debug|trace)"'
    action: drop
    drop_counter_reason: api_debug
- match:
    selector: '{app="web"}'
    stages:
      - static_labels: {team: frontend}
      - drop:
          expression: healthz
          drop_counter_reason: healthcheck
`;
  test('drops debug lines from one app, keeps the others and other apps', async () => {
    const h = pipeline(yaml);
    h.push({ labels: { app: 'api' }, line: 'level=debug msg=a' });
    h.push({ labels: { app: 'api' }, line: 'level=info msg=b' });
    h.push({ labels: { app: 'db' }, line: 'level=debug msg=c' });
    h.push({ labels: { app: 'web' }, line: 'GET /healthz' });
    h.push({ labels: { app: 'web' }, line: 'GET /index' });
    assert.deepEqual(
      h.outputs.map((e) => [e.line, e.labels]),
      [
        ['level=info msg=b', { app: 'api' }],
        ['level=debug msg=c', { app: 'db' }],
        ['GET /index', { app: 'web', team: 'frontend' }],
      ],
    );
    assert.deepEqual(
      h.discards.map((d) => [d.entry.line, d.reason]),
      [
        ['level=debug msg=a', { kind: 'dropped', reason: 'api_debug' }],
        ['GET /healthz', { kind: 'dropped', reason: 'healthcheck' }],
      ],
    );
    assert.equal(await sample(h.registry, 'logentry_dropped_lines_total{reason="api_debug"}'), 1);
    assert.equal(await sample(h.registry, 'logentry_dropped_lines_total{reason="healthcheck"}'), 1);
  });

  test('docs example shape: labels from extracted, then a match on the new label', () => {
    const h = pipeline(`
- labels:
    app:
- match:
    selector: '{app="loki"}'
    stages:
      - labels: {component: ""}
- match:
    pipeline_name: "app2"
    selector: '{app="promtail"} |~ ".*noisy error.*"'
    action: drop
    drop_counter_reason: promtail_noisy_error
`);
    h.push({ line: 'app1 log line', extracted: { app: 'loki', component: 'parser' } });
    h.push({ line: 'foo noisy error', extracted: { app: 'promtail', component: 'x' } });
    assert.deepEqual(
      h.outputs.map((e) => e.labels),
      [{ app: 'loki', component: 'parser' }],
    );
    assert.deepEqual(h.discards[0]!.reason, { kind: 'dropped', reason: 'promtail_noisy_error' });
  });

  test('pipeline_name times the nested stages in logentry_pipeline_duration_seconds', async () => {
    const h = pipeline(`
- match:
    pipeline_name: app1
    selector: '{app="loki"}'
    stages:
      - static_labels: {seen: "yes"}
`);
    h.push({ line: 'a', labels: { app: 'loki' } });
    h.push({ line: 'b', labels: { app: 'other' } });
    h.push({ line: 'c', labels: { app: 'loki' } });
    assert.equal(
      await sample(h.registry, 'logentry_pipeline_duration_seconds_count{job_name="app1"}'),
      2,
    );
  });

  test('nested match inside match, and a nested stage seeing labels set just before', () => {
    const h = pipeline(`
- match:
    selector: '{env="prod"}'
    stages:
      - static_labels: {tier: gold}
      - match:
          selector: '{tier="gold", app=~"pay.*"}'
          stages:
            - tenant: {label: app}
`);
    h.push({ labels: { env: 'prod', app: 'payments' } });
    h.push({ labels: { env: 'prod', app: 'search' } });
    h.push({ labels: { env: 'dev', app: 'payments' } });
    assert.deepEqual(
      h.outputs.map((e) => e.labels),
      [
        { env: 'prod', app: 'payments', tier: 'gold', __tenant_id__: 'payments' },
        { env: 'prod', app: 'search', tier: 'gold' },
        { env: 'dev', app: 'payments' },
      ],
    );
  });

  test('entries a nested stage holds come out later through the outer pipeline', async () => {
    const h = pipeline(`
- match:
    selector: '{app="a"}'
    stages:
      - limit: {rate: 100, burst: 1}
- static_labels: {after: match}
`);
    h.push({ labels: { app: 'a' }, line: '1' });
    h.push({ labels: { app: 'a' }, line: '2' });
    h.push({ labels: { app: 'b' }, line: '3' });
    assert.deepEqual(
      h.outputs.map((e) => e.line),
      ['1', '3'],
    );
    const started = Date.now();
    while (h.outputs.length < 3 && Date.now() - started < 5000) await sleep(5);
    assert.deepEqual(
      h.outputs.map((e) => [e.line, e.labels['after']]),
      [
        ['1', 'match'],
        ['3', 'match'],
        ['2', 'match'],
      ],
    );
  });
});

describe('refused, naming the key', () => {
  const P = 'logs.configs[0].scrape_configs[0].pipeline_stages[0].match';
  const cases: [string, string][] = [
    ['- match: {stages: [{labels: {a: ""}}]}', `${P}.selector`],
    ['- match: {selector: "{a=\\"b\\"}"}', `${P}.stages`],
    [
      '- match: {selector: "{a=\\"b\\"}", action: drop, stages: [{labels: {a: ""}}]}',
      `${P}.stages`,
    ],
    ['- match: {selector: "{a=\\"b\\"}", action: skip}', `${P}.action`],
    ['- match: {selector: "{a=\\"b\\"}", action: drop, pipeline_name: ""}', `${P}.pipeline_name`],
    ['- match: {selector: "{a=\\"b\\"", action: drop}', `${P}.selector`],
    [
      '- match: {selector: "{a=\\"b\\"}", stages: [{labels: {"1x": ""}}]}',
      `${P}.stages[0].labels.1x`,
    ],
    ['- match: {selector: "{a=\\"b\\"}", stages: [{nope: {}}]}', `${P}.stages[0].nope`],
  ];
  for (const [yaml, path] of cases) {
    test(yaml, () => assert.equal(configError(yaml).path, path));
  }
});
