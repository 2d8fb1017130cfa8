// drop, sampling and limit: Promtail's documented examples (drop.md,
// limit.md, sampling.md) and drop_test.go's cases; what is dropped comes
// back through discard with its reason and is counted in
// logentry_dropped_lines_total{reason}.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { configError, pipeline, runOne, sample, type Input } from './helpers.js';

const ERROR_LINE =
  '11.11.11.11 - "POST /loki/api/push/ HTTP/1.1" 200 932 "-" "Mozilla/5.0 (Windows; U; Windows NT 5.1; de; rv:1.9.1.7) Gecko/20091221 Firefox/3.5.7 GTB6"';

function dropped(yaml: string, input: Input, now?: () => number): boolean {
  const h = pipeline(yaml, now ? { now } : {});
  h.push(input);
  assert.equal(h.outputs.length + h.discards.length, 1, 'one entry in, one out');
  return h.discards.length === 1;
}

describe('drop', () => {
  const ms = (iso: string): number => Date.parse(iso);
  const ns = (iso: string): bigint => BigInt(ms(iso)) * 1_000_000n;
  const cases: { name: string; yaml: string; input: Input; drop: boolean; now?: string }[] = [
    {
      name: 'docs: source list without value drops when all are extracted',
      yaml: '- drop:\n    source: ["level","msg"]',
      input: { extracted: { level: 'error', msg: 'x' } },
      drop: true,
    },
    {
      name: 'source list: one missing keeps the line',
      yaml: '- drop:\n    source: ["level","msg"]',
      input: { extracted: { level: 'error' } },
      drop: false,
    },
    {
      name: 'docs: expression searched in the line',
      yaml: '- drop:\n    expression: ".*debug.*"',
      input: { line: 'level=debug msg=hi' },
      drop: true,
    },
    {
      name: 'docs: expression not matching keeps the line',
      yaml: '- drop:\n    expression: ".*debug.*"',
      input: { line: 'level=info msg=hi' },
      drop: false,
    },
    {
      name: 'docs: concatenated sources with separator # matched by an expression (error)',
      yaml: '- drop:\n    source: ["level","msg"]\n    separator: "#"\n    expression: "(error|ERROR)#.*\\/loki\\/api\\/push.*"',
      input: { extracted: { level: 'error', msg: ERROR_LINE } },
      drop: true,
    },
    {
      name: 'docs: concatenated sources with separator # matched by an expression (ERROR)',
      yaml: '- drop:\n    source: ["level","msg"]\n    separator: "#"\n    expression: "(error|ERROR)#.*\\/loki\\/api\\/push.*"',
      input: { extracted: { level: 'ERROR', msg: ERROR_LINE } },
      drop: true,
    },
    {
      name: 'concatenated sources: the default separator is ;',
      yaml: '- drop: {source: [a, b], expression: "^1;2$"}',
      input: { extracted: { a: 1, b: 2 } },
      drop: true,
    },
    {
      name: 'docs: value is an exact match for the source',
      yaml: '- drop:\n    source: "level"\n    value: "error"',
      input: { extracted: { level: 'error', msg: ERROR_LINE } },
      drop: true,
    },
    {
      name: 'value is exact, not a regex or a substring',
      yaml: '- drop: {source: level, value: "err.r"}',
      input: { extracted: { level: 'error' } },
      drop: false,
    },
    {
      name: 'value against a missing source keeps the line',
      yaml: '- drop: {source: level, value: error}',
      input: { extracted: {} },
      drop: false,
    },
    {
      name: 'docs: older_than 24h drops a line from 2020-08-11T11:00Z at 2020-08-12T12:00Z',
      yaml: '- drop:\n    older_than: 24h\n    drop_counter_reason: "line_too_old"',
      input: { timestampNs: ns('2020-08-11T11:00:00Z') },
      now: '2020-08-12T12:00:00Z',
      drop: true,
    },
    {
      name: 'docs: older_than 24h keeps a line from 2020-08-11T13:00Z',
      yaml: '- drop:\n    older_than: 24h',
      input: { timestampNs: ns('2020-08-11T13:00:00Z') },
      now: '2020-08-12T12:00:00Z',
      drop: false,
    },
    {
      name: 'docs: longer_than 8kb drops a line of 8193 bytes',
      yaml: '- drop:\n    longer_than: 8kb\n    drop_counter_reason: "line_too_long"',
      input: { line: 'x'.repeat(8193) },
      drop: true,
    },
    {
      name: 'longer_than 8kb keeps a line of exactly 8192 bytes',
      yaml: '- drop: {longer_than: 8kb}',
      input: { line: 'x'.repeat(8192) },
      drop: false,
    },
    {
      name: 'longer_than counts bytes, not characters (é is 2 bytes)',
      yaml: '- drop: {longer_than: 10}',
      input: { line: 'é'.repeat(6) },
      drop: true,
    },
    {
      name: 'docs: expression AND longer_than — debug but short is kept',
      yaml: '- drop:\n    expression: ".*debug.*"\n    longer_than: 1kb',
      input: { line: 'debug short' },
      drop: false,
    },
    {
      name: 'docs: expression AND longer_than — debug and long is dropped',
      yaml: '- drop:\n    expression: ".*debug.*"\n    longer_than: 1kb',
      input: { line: `debug ${'x'.repeat(1024)}` },
      drop: true,
    },
    {
      name: 'docs: msg source containing trace',
      yaml: '- drop:\n    source: "msg"\n    expression: ".*trace.*"',
      input: { extracted: { msg: 'a trace here' } },
      drop: true,
    },
    {
      name: 'a source that is a label (labels are in the extracted map)',
      yaml: '- drop: {source: app, value: noisy}',
      input: { labels: { app: 'noisy' } },
      drop: true,
    },
    {
      name: 'RE2 syntax: \\pL and (?i) work as in Go',
      yaml: '- drop: {expression: "(?i)^\\\\pL+ DEBUG$"}',
      input: { line: 'Überall debug' },
      drop: true,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const now = c.now === undefined ? undefined : () => ms(c.now!);
      assert.equal(dropped(c.yaml, c.input, now), c.drop);
    });
  }

  test('drops are given back with their reason and counted under it', async () => {
    const h = pipeline(
      '- drop:\n    longer_than: 5\n    drop_counter_reason: line_too_long\n- drop:\n    expression: debug',
    );
    h.push({ line: 'too long' });
    h.push({ line: 'debug' });
    h.push({ line: 'ok' });
    assert.deepEqual(
      h.discards.map((d) => d.reason),
      [
        { kind: 'dropped', reason: 'line_too_long' },
        { kind: 'dropped', reason: 'drop_stage' },
      ],
    );
    assert.deepEqual(
      h.outputs.map((e) => e.line),
      ['ok'],
    );
    assert.equal(
      await sample(h.registry, 'logentry_dropped_lines_total{reason="line_too_long"}'),
      1,
    );
    assert.equal(await sample(h.registry, 'logentry_dropped_lines_total{reason="drop_stage"}'), 1);
  });
});

describe('sampling', () => {
  test('rate 0 drops all, counted as sampling_stage; rate 1 keeps all', async () => {
    const none = pipeline('- sampling: {rate: 0}');
    const all = pipeline('- sampling: {rate: 1}');
    for (let i = 0; i < 100; i++) {
      none.push({ line: `${i}` });
      all.push({ line: `${i}` });
    }
    assert.equal(none.discards.length, 100);
    assert.deepEqual(none.discards[0]!.reason, { kind: 'limited', reason: 'sampling_stage' });
    assert.equal(
      await sample(none.registry, 'logentry_dropped_lines_total{reason="sampling_stage"}'),
      100,
    );
    assert.equal(all.outputs.length, 100);
  });
  test('docs: rate 0.1 keeps about one in ten', () => {
    const h = pipeline('- sampling:\n    rate: 0.1\n    drop_counter_reason: sampled_out');
    for (let i = 0; i < 20000; i++) h.push({ line: 'x' });
    // Binomial(20000, 0.1): mean 2000, sd ~42; 6 sd either way.
    assert.ok(h.outputs.length > 1750 && h.outputs.length < 2250, `${h.outputs.length} kept`);
    assert.equal(h.outputs.length + h.discards.length, 20000);
    assert.equal(
      h.discards[0]!.reason.kind === 'limited' && h.discards[0]!.reason.reason,
      'sampled_out',
    );
  });
});

describe('limit', () => {
  test('docs: rate 10 burst 10 drop true — the burst passes, the rest is dropped until tokens refill', async () => {
    let now = 0;
    const h = pipeline('- limit:\n    rate: 10\n    burst: 10\n    drop: true', { now: () => now });
    for (let i = 0; i < 15; i++) h.push({ line: `${i}` });
    assert.equal(h.outputs.length, 10);
    assert.equal(h.discards.length, 5);
    assert.deepEqual(h.discards[0]!.reason, { kind: 'limited', reason: 'ratelimit_drop_stage' });
    now = 300; // three tokens later
    for (let i = 0; i < 5; i++) h.push({ line: `later ${i}` });
    assert.equal(h.outputs.length, 13);
    assert.equal(
      await sample(h.registry, 'logentry_dropped_lines_total{reason="ratelimit_drop_stage"}'),
      7,
    );
  });

  test('docs: by_label_name limits each namespace apart; entries without it are not limited', async () => {
    const h = pipeline(
      '- limit:\n    rate: 1\n    burst: 2\n    drop: true\n    by_label_name: "namespace"',
      {
        now: () => 0,
      },
    );
    for (let i = 0; i < 3; i++) {
      h.push({ labels: { namespace: 'a' } });
      h.push({ labels: { namespace: 'b' } });
      h.push({ labels: {} });
    }
    const passed = (ns: string | undefined): number =>
      h.outputs.filter((e) => e.labels['namespace'] === ns).length;
    assert.equal(passed('a'), 2);
    assert.equal(passed('b'), 2);
    assert.equal(passed(undefined), 3);
    assert.equal(
      await sample(
        h.registry,
        'logentry_dropped_lines_by_label_total{label_name="namespace",label_value="a"}',
      ),
      1,
    );
    assert.match(h.logs.join('\n'), /^$/, 'no warning when max_distinct_labels is not set');
  });

  test('docs: without drop, entries over the rate wait (in order) instead of blocking the event loop', async () => {
    const h = pipeline('- limit:\n    rate: 50\n    burst: 2');
    const started = Date.now();
    for (let i = 0; i < 6; i++) h.push({ line: `${i}` });
    assert.equal(h.outputs.length, 2, 'the burst passes at once; push returned without waiting');
    // The event loop turns while entries wait: a callback queued now runs before they are out.
    let outWhenLoopTurned = -1;
    setImmediate(() => (outWhenLoopTurned = h.outputs.length));
    while (h.outputs.length < 6 && Date.now() - started < 5000) await sleep(5);
    const took = Date.now() - started;
    assert.deepEqual(
      h.outputs.map((e) => e.line),
      ['0', '1', '2', '3', '4', '5'],
    );
    assert.equal(h.discards.length, 0);
    assert.ok(took >= 70, `4 entries at 50/s take ~80 ms, took ${took}`);
    assert.ok(
      outWhenLoopTurned >= 2 && outWhenLoopTurned < 6,
      'the event loop ran while entries waited',
    );
  });

  test('stop lets waiting entries out, so none is lost', () => {
    const h = pipeline('- limit: {rate: 1, burst: 1}');
    for (let i = 0; i < 4; i++) h.push({ line: `${i}` });
    assert.equal(h.outputs.length, 1);
    h.runner.stop();
    assert.deepEqual(
      h.outputs.map((e) => e.line),
      ['0', '1', '2', '3'],
    );
  });
});

describe('refused, naming the key', () => {
  const P = 'logs.configs[0].scrape_configs[0].pipeline_stages[0]';
  const cases: [string, string][] = [
    ['- drop: {}', `${P}.drop`],
    ['- drop: {separator: ","}', `${P}.drop`],
    ['- drop: {source: {a: 1}}', `${P}.drop.source`],
    ['- drop: {source: [a, [b]]}', `${P}.drop.source[1]`],
    ['- drop: {expression: "a", value: "b", source: c}', `${P}.drop.value`],
    ['- drop: {value: "b", longer_than: 1}', `${P}.drop.value`],
    ['- drop: {expression: "(?=lookahead)"}', `${P}.drop.expression`],
    ['- drop: {older_than: 1d}', `${P}.drop.older_than`],
    ['- drop: {longer_than: 8KiB}', `${P}.drop.longer_than`],
    ['- drop: {longer_than: 8kb, reason: x}', `${P}.drop.reason`],
    ['- sampling: {}', `${P}.sampling.rate`],
    ['- sampling: {rate: 1.5}', `${P}.sampling.rate`],
    ['- limit: {burst: 1}', `${P}.limit.rate`],
    ['- limit: {rate: 1}', `${P}.limit.burst`],
    ['- limit: {rate: 1, burst: 1, by_label_name: ns}', `${P}.limit.drop`],
    [
      '- limit: {rate: 1, burst: 1, drop: true, max_distinct_labels: 5}',
      `${P}.limit.max_distinct_labels`,
    ],
  ];
  for (const [yaml, path] of cases) {
    test(yaml, () => assert.equal(configError(yaml).path, path));
  }
});

test('runOne helper sees one entry out for one in', () => {
  assert.ok('line' in (runOne('- drop: {expression: x}', { line: 'y' }) as object));
});
