// labels, labeldrop, labelallow, static_labels, structured_metadata, tenant,
// pack and decolorize: Promtail's documented examples and its stage tests'
// cases, expected outputs written from Promtail's docs and code.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TENANT_LABEL } from '../../../../src/model/log-entry.js';
import type { StageEntry } from '../../../../src/process/stages/index.js';
import { configError, pipeline, runOne, type Input } from './helpers.js';

function out(yaml: string, input: Input): StageEntry {
  const result = runOne(yaml, input);
  assert.ok('line' in result, 'passed on');
  return result;
}

describe('labels', () => {
  const cases: { name: string; yaml: string; input: Input; labels: Record<string, string> }[] = [
    {
      name: 'docs: an empty source takes the value extracted under the label name',
      yaml: '- labels:\n    stream:',
      input: { labels: { job: 'varlogs' }, extracted: { stream: 'stderr', time: 'x' } },
      labels: { job: 'varlogs', stream: 'stderr' },
    },
    {
      name: 'a source names another extracted value',
      yaml: '- labels:\n    level: lvl\n    app: ""',
      input: { extracted: { lvl: 'WARN', app: 'loki' } },
      labels: { level: 'WARN', app: 'loki' },
    },
    {
      name: 'numbers and booleans become text as Go formats them',
      yaml: '- labels: {status: "", ratio: "", ok: "", big: ""}',
      input: { extracted: { status: 200, ratio: 0.25, ok: true, big: 1e21 } },
      labels: { status: '200', ratio: '0.25', ok: 'true', big: '1000000000000000000000' },
    },
    {
      name: 'a map, a list or a missing value is skipped, not an error',
      yaml: '- labels: {a: "", b: "", c: ""}',
      input: { extracted: { a: { x: 1 }, b: [1, 2] } },
      labels: {},
    },
    {
      name: 'text that is not UTF-8 is skipped',
      yaml: '- labels: {a: ""}',
      input: { extracted: { a: 'bad \ud800' } },
      labels: {},
    },
    {
      name: 'labels are in the extracted map, so a label can be copied',
      yaml: '- labels: {file: filename}',
      input: { labels: { filename: '/var/log/a.log' } },
      labels: { filename: '/var/log/a.log', file: '/var/log/a.log' },
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(out(c.yaml, c.input).labels, c.labels));
  }
});

describe('labeldrop and labelallow', () => {
  const labels = {
    kubernetes_pod_name: 'alloy-abc',
    kubernetes_container_name: 'alloy',
    kubernetes_pod_template_hash: '79f7d8bd6b',
    filename: '/var/log/pods/a.log',
  };
  test('docs: labeldrop removes the listed labels', () => {
    const e = out('- labeldrop:\n    - kubernetes_pod_name\n    - kubernetes_container_name', {
      labels,
    });
    assert.deepEqual(e.labels, {
      kubernetes_pod_template_hash: '79f7d8bd6b',
      filename: '/var/log/pods/a.log',
    });
  });
  test('docs: labelallow keeps only the listed labels', () => {
    const e = out('- labelallow:\n    - kubernetes_pod_name\n    - kubernetes_container_name', {
      labels,
    });
    assert.deepEqual(e.labels, {
      kubernetes_pod_name: 'alloy-abc',
      kubernetes_container_name: 'alloy',
    });
  });
  test('labelallow also removes the reserved tenant label when not listed', () => {
    const e = out('- labelallow: [app]', { labels: { app: 'a', [TENANT_LABEL]: 't' } });
    assert.deepEqual(e.labels, { app: 'a' });
  });
});

describe('static_labels', () => {
  test('docs: adds fixed labels, replacing a label of the same name', () => {
    const e = out('- static_labels:\n    custom_label: custom_value\n    app: fixed', {
      labels: { app: 'x' },
    });
    assert.deepEqual(e.labels, { app: 'fixed', custom_label: 'custom_value' });
  });
  test('an empty value sets nothing', () => {
    assert.deepEqual(out('- static_labels: {a: "", b: 1x}', {}).labels, { b: '1x' });
  });
  test('a name that is not a legacy name is accepted, as Promtail (UTF-8 validation) does', () => {
    assert.deepEqual(out('- static_labels: {"service.name": api}', {}).labels, {
      'service.name': 'api',
    });
  });
});

describe('structured_metadata', () => {
  test('docs: an extracted trace id goes to structured metadata, not labels', () => {
    const e = out('- structured_metadata:\n    traceID:', {
      labels: { app: 'api' },
      extracted: { traceID: '0242ac120002' },
    });
    assert.deepEqual(e.structuredMetadata, { traceID: '0242ac120002' });
    assert.deepEqual(e.labels, { app: 'api' });
  });
  test('a label named as source is moved out of the labels', () => {
    const e = out('- structured_metadata: {pod: ""}', { labels: { app: 'api', pod: 'api-7c9' } });
    assert.deepEqual(e.structuredMetadata, { pod: 'api-7c9' });
    assert.deepEqual(e.labels, { app: 'api' });
  });
  test('renamed: the label stays when the extracted value differs from it', () => {
    const e = out('- structured_metadata: {trace: tid}', {
      labels: { tid: 'label' },
      extracted: {},
    });
    // The runner copies labels into extracted, so the value is the label's, and the label moves.
    assert.deepEqual(e.structuredMetadata, { trace: 'label' });
    assert.deepEqual(e.labels, {});
  });
});

describe('tenant', () => {
  const cases: { name: string; yaml: string; input: Input; tenant: string | undefined }[] = [
    {
      name: 'docs: from an extracted value',
      yaml: '- tenant:\n    source: customer_id',
      input: { extracted: { customer_id: 1 } },
      tenant: '1',
    },
    {
      name: 'docs: from a label',
      yaml: '- tenant:\n    label: namespace',
      input: { labels: { namespace: 'team-a' } },
      tenant: 'team-a',
    },
    {
      name: 'docs: a fixed value',
      yaml: '- tenant:\n    value: team-b',
      input: {},
      tenant: 'team-b',
    },
    {
      name: 'a missing source leaves the tenant as it was',
      yaml: '- tenant: {source: customer_id}',
      input: { labels: { [TENANT_LABEL]: 'before' } },
      tenant: 'before',
    },
    {
      name: 'a missing label sets none',
      yaml: '- tenant: {label: ns}',
      input: {},
      tenant: undefined,
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.equal(out(c.yaml, c.input).labels[TENANT_LABEL], c.tenant));
  }
});

describe('pack', () => {
  test('docs: labels go into the line, sorted, the line under _entry last, and leave the labels', () => {
    const now = 1_800_000_000_123;
    const h = pipeline('- pack:\n    labels:\n      - pod\n      - container', { now: () => now });
    h.push({
      labels: { container: 'myapp', pod: 'pod-3223f', job: 'k8s' },
      line: 'original log message',
    });
    const e = h.outputs[0]!;
    assert.equal(e.line, '{"container":"myapp","pod":"pod-3223f","_entry":"original log message"}');
    assert.deepEqual(e.labels, { job: 'k8s' });
    assert.equal(e.timestampNs, 1_800_000_000_123_000_000n, 'ingest_timestamp defaults to true');
  });
  test('Promtail pack_test: extracted values are packed too; quotes escaped', () => {
    const e = out('- pack: {labels: [foo, "ex\\"tr2", missing], ingest_timestamp: false}', {
      labels: { foo: 'bar', bar: 'baz' },
      line: 'test line 1',
      extracted: { 'ex"tr2': '"fd"' },
      timestampNs: 5n,
    });
    assert.equal(e.line, '{"ex\\"tr2":"\\"fd\\"","foo":"bar","_entry":"test line 1"}');
    assert.deepEqual(e.labels, { bar: 'baz' });
    assert.equal(e.timestampNs, 5n);
  });
  test('nothing found: only _entry', () => {
    assert.equal(
      out('- pack: {labels: [nope]}', { line: 'test line 1' }).line,
      '{"_entry":"test line 1"}',
    );
  });
  test("escapes as Go's HTML-safe encoder: <, >, &, U+2028, control characters", () => {
    const e = out('- pack: {labels: [a]}', {
      labels: { a: '<b>&' },
      line: 'x\u2028y\b\t\u0001"\\',
    });
    assert.equal(
      e.line,
      '{"a":"\\u003cb\\u003e\\u0026","_entry":"x\\u2028y\\u0008\\t\\u0001\\"\\\\"}',
    );
    const back = JSON.parse(e.line) as Record<string, string>;
    assert.deepEqual(back, { a: '<b>&', _entry: 'x\u2028y\b\t\u0001"\\' });
  });
});

describe('decolorize', () => {
  test("Promtail's decolorize_test", () => {
    assert.equal(out('- decolorize:', { line: 'sample text' }).line, 'sample text');
    assert.equal(
      out('- decolorize: {}', { line: '\u001b[0;32mgreen\u001b[0m \u001b[0;31mred\u001b[0m' }).line,
      'green red',
    );
  });
  test('cursor moves and OSC sequences go too', () => {
    assert.equal(
      out('- decolorize:', { line: '\u001b[2Kdone \u001b]0;title\u0007ok' }).line,
      'done ok',
    );
  });
});

describe('refused, naming the key', () => {
  const P = 'logs.configs[0].scrape_configs[0].pipeline_stages[0]';
  const cases: [string, string][] = [
    ['- labels:', `${P}.labels`],
    ['- labels: {"1bad": ""}', `${P}.labels.1bad`],
    ['- labels: {a: [x]}', `${P}.labels.a`],
    ['- labeldrop: []', `${P}.labeldrop`],
    ['- labelallow: {a: b}', `${P}.labelallow`],
    ['- labelallow: [a, 1]', `${P}.labelallow[1]`],
    ['- static_labels:', `${P}.static_labels`],
    ['- static_labels: {a: [b]}', `${P}.static_labels.a`],
    ['- structured_metadata: {"a-b": ""}', `${P}.structured_metadata.a-b`],
    ['- tenant: {}', `${P}.tenant`],
    ['- tenant: {label: a, value: b}', `${P}.tenant`],
    ['- tenant: {labels: a}', `${P}.tenant.labels`],
    ['- pack: {labels: pod}', `${P}.pack.labels`],
    ['- pack: {labels: [pod], ingest_timestamp: yes please}', `${P}.pack.ingest_timestamp`],
    ['- decolorize: {strip: true}', `${P}.decolorize`],
  ];
  for (const [yaml, path] of cases) {
    test(yaml, () => assert.equal(configError(yaml).path, path));
  }
});
