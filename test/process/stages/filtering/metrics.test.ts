// metrics: Promtail's documented examples (metrics.md) read back from the
// registry's exposition text, the value conversions it documents, idle
// expiry, and one metric per name per registry across targets and reloads.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Registry } from 'prom-client';
import { configError, pipeline, sample } from './helpers.js';

describe('counters', () => {
  test('docs: log_lines_total and log_bytes_total with match_all count every line and its bytes, per stream', async () => {
    const h = pipeline(`
- metrics:
    log_lines_total:
      type: Counter
      description: "total number of log lines"
      prefix: my_promtail_custom_
      max_idle_duration: 24h
      config:
        match_all: true
        action: inc
    log_bytes_total:
      type: Counter
      description: "total bytes of log lines"
      prefix: my_promtail_custom_
      max_idle_duration: 24h
      config:
        match_all: true
        count_entry_bytes: true
        action: add
`);
    h.push({ labels: { job: 'a', filename: '/x' }, line: 'héllo' });
    h.push({ labels: { job: 'a', filename: '/x' }, line: 'abc' });
    h.push({ labels: { job: 'b', __path__: '/internal' }, line: '' });
    const text = await h.registry.metrics();
    assert.match(
      text,
      /# HELP my_promtail_custom_log_lines_total total number of log lines\n# TYPE my_promtail_custom_log_lines_total counter\n/,
    );
    assert.equal(
      await sample(h.registry, 'my_promtail_custom_log_lines_total{filename="/x",job="a"}'),
      2,
    );
    assert.equal(
      await sample(h.registry, 'my_promtail_custom_log_lines_total{job="b"}'),
      1,
      '__ labels are left out',
    );
    assert.equal(
      await sample(h.registry, 'my_promtail_custom_log_bytes_total{filename="/x",job="a"}'),
      9,
      'é is two bytes',
    );
    assert.equal(h.outputs.length, 3, 'entries pass on');
  });

  test('docs: successful_orders_total counts entries where the source was extracted', async () => {
    const h = pipeline(`
- metrics:
    successful_orders_total:
      type: Counter
      description: "log lines with the message \`order successful\`"
      source: order_success
      config:
        action: inc
`);
    h.push({ labels: { app: 'shop' }, extracted: { order_success: 'order successful' } });
    h.push({ labels: { app: 'shop' }, extracted: {} });
    assert.equal(
      await sample(h.registry, 'promtail_custom_successful_orders_total{app="shop"}'),
      1,
    );
  });

  test('docs: value picks which entries count (success / fail)', async () => {
    const h = pipeline(`
- metrics:
    successful_orders_total:
      type: Counter
      description: "successful orders"
      source: order_status
      config:
        value: success
        action: inc
    failed_orders_total:
      type: Counter
      description: "failed orders"
      source: order_status
      config:
        value: fail
        action: inc
`);
    for (const status of ['success', 'success', 'fail', 'pending'])
      h.push({ labels: { app: 'shop' }, extracted: { order_status: status } });
    assert.equal(
      await sample(h.registry, 'promtail_custom_successful_orders_total{app="shop"}'),
      2,
    );
    assert.equal(await sample(h.registry, 'promtail_custom_failed_orders_total{app="shop"}'), 1);
  });

  test('add takes numbers, numeric text and durations (as seconds); a negative or non-number adds nothing', async () => {
    const h = pipeline('- metrics: {bytes: {type: counter, config: {action: add}}}');
    for (const bytes of [10, '2.5', '500ms', true, -4, 'lots', { n: 1 }])
      h.push({ extracted: { bytes } });
    assert.equal(await sample(h.registry, 'promtail_custom_bytes'), 14);
  });
});

describe('gauges and histograms', () => {
  test('docs: retries_total gauge adds the extracted number; set, inc, dec, sub', async () => {
    const h = pipeline(`
- metrics:
    retries_total:
      type: Gauge
      description: "total retries"
      source: retries
      config:
        action: add
    queue: {type: gauge, config: {action: set}}
    inflight_up: {type: gauge, source: req, config: {action: inc}}
    inflight_down: {type: gauge, source: done, config: {action: dec}}
    budget: {type: gauge, source: spent, config: {action: sub}}
`);
    h.push({ extracted: { retries: '3', queue: 7, req: 'x', spent: 1.5 } });
    h.push({ extracted: { retries: 2, queue: '4', req: 'y', done: 'y', spent: '1s' } });
    assert.equal(await sample(h.registry, 'promtail_custom_retries_total'), 5);
    assert.equal(await sample(h.registry, 'promtail_custom_queue'), 4);
    assert.equal(await sample(h.registry, 'promtail_custom_inflight_up'), 2);
    assert.equal(await sample(h.registry, 'promtail_custom_inflight_down'), -1);
    assert.equal(await sample(h.registry, 'promtail_custom_budget'), -2.5);
  });

  test('docs: http_response_time_seconds histogram with its buckets', async () => {
    const h = pipeline(`
- metrics:
    http_response_time_seconds:
      type: Histogram
      description: "distribution of log response time"
      source: response_time
      config:
        buckets: [0.001,0.0025,0.005,0.010,0.025,0.050]
`);
    for (const t of ['0.002', 0.004, '4ms', '25ms', 1])
      h.push({ labels: { app: 'api' }, extracted: { response_time: t } });
    const name = 'promtail_custom_http_response_time_seconds';
    const bucket = (le: string): Promise<number | undefined> =>
      sample(h.registry, `${name}_bucket{app="api",le="${le}"}`);
    assert.equal(await bucket('0.001'), 0);
    assert.equal(await bucket('0.0025'), 1);
    assert.equal(await bucket('0.005'), 3);
    assert.equal(await bucket('0.01'), 3);
    assert.equal(await bucket('0.025'), 4, 'le is inclusive');
    assert.equal(await bucket('0.05'), 4);
    assert.equal(await bucket('+Inf'), 5);
    assert.equal(await sample(h.registry, `${name}_count{app="api"}`), 5);
    assert.ok(Math.abs((await sample(h.registry, `${name}_sum{app="api"}`))! - 1.035) < 1e-9);
    assert.match(
      await h.registry.metrics(),
      /# TYPE promtail_custom_http_response_time_seconds histogram/,
    );
  });

  test("a histogram without buckets has Prometheus's default ones", async () => {
    const h = pipeline('- metrics: {latency: {type: histogram}}');
    h.push({ extracted: { latency: 0.3 } });
    assert.equal(await sample(h.registry, 'promtail_custom_latency_bucket{le="0.25"}'), 0);
    assert.equal(await sample(h.registry, 'promtail_custom_latency_bucket{le="0.5"}'), 1);
    assert.equal(await sample(h.registry, 'promtail_custom_latency_bucket{le="10"}'), 1);
  });
});

describe('lifecycle', () => {
  test('series idle for max_idle_duration are forgotten when the registry is read', async () => {
    let now = 0;
    const h = pipeline(
      '- metrics: {lines: {type: counter, max_idle_duration: 10s, config: {match_all: true, action: inc}}}',
      {
        now: () => now,
      },
    );
    h.push({ labels: { app: 'a' } });
    now = 5000;
    h.push({ labels: { app: 'b' } });
    now = 10_000;
    assert.equal(await sample(h.registry, 'promtail_custom_lines{app="a"}'), undefined);
    assert.equal(await sample(h.registry, 'promtail_custom_lines{app="b"}'), 1);
  });

  test('several targets and a reloaded configuration update the same metric', async () => {
    const registry = new Registry();
    const yaml = '- metrics: {lines: {type: counter, config: {match_all: true, action: inc}}}';
    const first = pipeline(yaml, { registry });
    const second = pipeline(yaml, { registry });
    first.push({ labels: { app: 'a' } });
    second.push({ labels: { app: 'a' } });
    second.push({ labels: { app: 'b' } });
    first.runner.stop();
    const reloaded = pipeline(yaml.replace('lines: {', 'lines: {description: new help, '), {
      registry,
    });
    reloaded.push({ labels: { app: 'a' } });
    assert.equal(await sample(registry, 'promtail_custom_lines{app="a"}'), 3);
    assert.equal(await sample(registry, 'promtail_custom_lines{app="b"}'), 1);
    assert.equal(registry.getMetricsAsArray().length, 1);
  });

  test("a name another metrics stage uses with another type, or one of the agent's own, is refused by path", () => {
    const registry = new Registry();
    pipeline('- metrics: {lines: {type: counter, config: {action: inc}}}', { registry });
    assert.throws(
      () => pipeline('- metrics: {lines: {type: gauge, config: {action: set}}}', { registry }),
      (err: Error & { path?: string }) =>
        err.path === 'logs.configs[0].scrape_configs[0].pipeline_stages[0].metrics.lines' &&
        /already a counter/.test(err.message),
    );
    new Counter({ name: 'promtail_custom_own', help: 'x', registers: [registry] });
    assert.throws(
      () => pipeline('- metrics: {own: {type: counter, config: {action: inc}}}', { registry }),
      /agent's own/,
    );
  });
});

describe('refused, naming the key', () => {
  const P = 'logs.configs[0].scrape_configs[0].pipeline_stages[0].metrics';
  const cases: [string, string][] = [
    ['- metrics: {}', P],
    ['- metrics: {a: {type: summary}}', `${P}.a.type`],
    ['- metrics: {a: {config: {action: inc}}}', `${P}.a.type`],
    ['- metrics: {a: {type: counter}}', `${P}.a.config.action`],
    ['- metrics: {a: {type: counter, config: {action: set}}}', `${P}.a.config.action`],
    ['- metrics: {a: {type: gauge, config: {action: observe}}}', `${P}.a.config.action`],
    [
      '- metrics: {a: {type: counter, config: {action: inc, match_all: true, value: x}}}',
      `${P}.a.config.match_all`,
    ],
    [
      '- metrics: {a: {type: counter, config: {action: inc, count_entry_bytes: true}}}',
      `${P}.a.config.count_entry_bytes`,
    ],
    [
      '- metrics: {a: {type: counter, config: {action: inc, match_all: true, count_entry_bytes: true}}}',
      `${P}.a.config.count_entry_bytes`,
    ],
    [
      '- metrics: {a: {type: counter, config: {action: add, match_all: true}}}',
      `${P}.a.config.action`,
    ],
    [
      '- metrics: {a: {type: gauge, config: {action: set, match_all: true}}}',
      `${P}.a.config.match_all`,
    ],
    ['- metrics: {a: {type: histogram, config: {buckets: [1, 0.5]}}}', `${P}.a.config.buckets[1]`],
    ['- metrics: {a: {type: histogram, config: {buckets: ["a"]}}}', `${P}.a.config.buckets`],
    [
      '- metrics: {a: {type: counter, max_idle_duration: 500ms, config: {action: inc}}}',
      `${P}.a.max_idle_duration`,
    ],
    [
      '- metrics: {a: {type: counter, max_idle_duration: 1d, config: {action: inc}}}',
      `${P}.a.max_idle_duration`,
    ],
    ['- metrics: {a: {type: counter, prefix: "my-", config: {action: inc}}}', `${P}.a.prefix`],
    ['- metrics: {a: {type: counter, labels: [x], config: {action: inc}}}', `${P}.a.labels`],
  ];
  for (const [yaml, path] of cases) {
    test(yaml, () => assert.equal(configError(yaml).path, path));
  }
});
