// The cases of Prometheus's model/relabel TestRelabel, restated as data: the
// same inputs, rules and expected outcomes, with the rules in YAML shape.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RelabelOptions } from '../../../src/process/relabel/index.js';
import { run } from './helpers.js';

interface Case {
  readonly name: string;
  readonly input: Record<string, string>;
  readonly rules: readonly Record<string, unknown>[];
  readonly want: Record<string, string> | 'dropped';
  readonly options?: RelabelOptions;
}

const abc = { a: 'foo', b: 'bar', c: 'baz' };
const ports = { __tmp_port: '1234', __port1: '1234', __port2: '5678' };
const lines = { a: 'line1\nline2', b: 'bar', c: 'baz' };
// Prometheus 3 semantics: `.` matches newlines, any non-empty label name.
const v3: RelabelOptions = { dotMatchesNewline: true, nameValidation: 'utf8' };

const cases: Case[] = [
  {
    name: 'replace with ${1} twice',
    input: abc,
    rules: [
      { source_labels: ['a'], regex: 'f(.*)', target_label: 'd', replacement: 'ch${1}-ch${1}' },
    ],
    want: { ...abc, d: 'choo-choo' },
  },
  {
    name: 'two replaces, the second reading what the first wrote',
    input: abc,
    rules: [
      {
        source_labels: ['a', 'b'],
        regex: 'f(.*);(.*)r',
        target_label: 'a',
        replacement: 'b${1}${2}m',
      },
      {
        source_labels: ['c', 'a'],
        regex: '(b).*b(.*)ba(.*)',
        target_label: 'd',
        replacement: '$1$2$2$3',
      },
    ],
    want: { a: 'boobam', b: 'bar', c: 'baz', d: 'boooom' },
  },
  {
    name: 'drop stops before later rules',
    input: { a: 'foo' },
    rules: [
      { source_labels: ['a'], regex: '.*o.*', action: 'drop' },
      { source_labels: ['a'], regex: 'f(.*)', target_label: 'd', replacement: 'ch$1-ch$1' },
    ],
    want: 'dropped',
  },
  {
    name: 'drop on a match',
    input: { a: 'foo', b: 'bar' },
    rules: [{ source_labels: ['a'], regex: '.*o.*', action: 'drop' }],
    want: 'dropped',
  },
  {
    name: 'replace with a group in the middle',
    input: { a: 'abc' },
    rules: [{ source_labels: ['a'], regex: '.*(b).*', target_label: 'd', replacement: '$1' }],
    want: { a: 'abc', d: 'b' },
  },
  {
    name: 'drop without a match keeps',
    input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: 'no-match', action: 'drop' }],
    want: { a: 'foo' },
  },
  {
    name: 'regexes are anchored: f|o does not match foo',
    input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: 'f|o', action: 'drop' }],
    want: { a: 'foo' },
  },
  {
    name: 'keep without a match drops',
    input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: 'no-match', action: 'keep' }],
    want: 'dropped',
  },
  {
    name: 'keep on a match',
    input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: 'f.*', action: 'keep' }],
    want: { a: 'foo' },
  },
  {
    name: 'no replacement without a match',
    input: { a: 'boo' },
    rules: [{ source_labels: ['a'], regex: 'f', target_label: 'b', replacement: 'bar' }],
    want: { a: 'boo' },
  },
  {
    name: 'a blank replacement deletes the target',
    input: { a: 'foo', f: 'baz' },
    rules: [{ source_labels: ['a'], regex: '(f).*', target_label: '$1', replacement: '$2' }],
    want: { a: 'foo' },
  },
  {
    name: 'hashmod',
    input: abc,
    rules: [{ source_labels: ['c'], target_label: 'd', action: 'hashmod', modulus: 1000 }],
    want: { ...abc, d: '976' },
  },
  {
    name: 'hashmod over a value with a newline',
    input: { a: 'foo\nbar' },
    rules: [{ source_labels: ['a'], target_label: 'b', action: 'hashmod', modulus: 1000 }],
    want: { a: 'foo\nbar', b: '734' },
  },
  {
    name: 'labelmap with a prefix',
    input: { a: 'foo', b1: 'bar', b2: 'baz' },
    rules: [{ regex: '(b.*)', replacement: 'bar_${1}', action: 'labelmap' }],
    want: { a: 'foo', b1: 'bar', b2: 'baz', bar_b1: 'bar', bar_b2: 'baz' },
  },
  {
    name: 'labelmap stripping __meta_',
    input: { a: 'foo', __meta_my_bar: 'aaa', __meta_my_baz: 'bbb', __meta_other: 'ccc' },
    rules: [{ regex: '__meta_(my.*)', replacement: '${1}', action: 'labelmap' }],
    want: {
      a: 'foo',
      __meta_my_bar: 'aaa',
      __meta_my_baz: 'bbb',
      __meta_other: 'ccc',
      my_bar: 'aaa',
      my_baz: 'bbb',
    },
  },
  {
    name: 'target label taken from the value',
    input: { a: 'some-name-value' },
    rules: [
      {
        source_labels: ['a'],
        regex: 'some-([^-]+)-([^,]+)',
        replacement: '${2}',
        target_label: '${1}',
      },
    ],
    want: { a: 'some-name-value', name: 'value' },
  },
  {
    name: 'a replacement of a missing group is empty: nothing is set',
    input: { a: 'some-name-value' },
    rules: [
      {
        source_labels: ['a'],
        regex: 'some-([^-]+)-([^,]+)',
        replacement: '${3}',
        target_label: '${1}',
      },
    ],
    want: { a: 'some-name-value' },
  },
  {
    name: 'a target that expands to an invalid name changes nothing',
    input: { a: 'some-name-0' },
    rules: [
      {
        source_labels: ['a'],
        regex: 'some-([^-]+)-([^,]+)',
        replacement: '${1}',
        target_label: '${3}',
      },
      {
        source_labels: ['a'],
        regex: 'some-([^-]+)-([^,]+)',
        replacement: '${1}',
        target_label: '${3}',
      },
      {
        source_labels: ['a'],
        regex: 'some-([^-]+)(-[^,]+)',
        replacement: '${1}',
        target_label: '${3}',
      },
    ],
    want: { a: 'some-name-0' },
  },
  {
    name: 'service discovery tags, real-life style',
    input: { __meta_sd_tags: 'path:/secret,job:some-job,label:foo=bar' },
    rules: [
      {
        source_labels: ['__meta_sd_tags'],
        regex: '(?:.+,|^)path:(/[^,]+).*',
        replacement: '${1}',
        target_label: '__metrics_path__',
      },
      {
        source_labels: ['__meta_sd_tags'],
        regex: '(?:.+,|^)job:([^,]+).*',
        replacement: '${1}',
        target_label: 'job',
      },
      {
        source_labels: ['__meta_sd_tags'],
        regex: '(?:.+,|^)label:([^=]+)=([^,]+).*',
        replacement: '${2}',
        target_label: '${1}',
      },
    ],
    want: {
      __meta_sd_tags: 'path:/secret,job:some-job,label:foo=bar',
      __metrics_path__: '/secret',
      job: 'some-job',
      foo: 'bar',
    },
  },
  {
    name: 'prometheus/prometheus#12283: a label dropped, then set again, is seen by keep',
    input: {
      __meta_kubernetes_pod_container_port_name: 'foo',
      __meta_kubernetes_pod_annotation_XXX_metrics_port: '9091',
    },
    rules: [
      { regex: '^__meta_kubernetes_pod_container_port_name$', action: 'labeldrop' },
      {
        source_labels: ['__meta_kubernetes_pod_annotation_XXX_metrics_port'],
        regex: '(.+)',
        replacement: 'metrics',
        target_label: '__meta_kubernetes_pod_container_port_name',
      },
      {
        source_labels: ['__meta_kubernetes_pod_container_port_name'],
        regex: '^metrics$',
        action: 'keep',
      },
    ],
    want: {
      __meta_kubernetes_pod_annotation_XXX_metrics_port: '9091',
      __meta_kubernetes_pod_container_port_name: 'metrics',
    },
  },
  {
    name: 'labelkeep',
    input: { a: 'foo', b1: 'bar', b2: 'baz' },
    rules: [{ regex: '(b.*)', action: 'labelkeep' }],
    want: { b1: 'bar', b2: 'baz' },
  },
  {
    name: 'labeldrop',
    input: { a: 'foo', b1: 'bar', b2: 'baz' },
    rules: [{ regex: '(b.*)', action: 'labeldrop' }],
    want: { a: 'foo' },
  },
  {
    name: 'uppercase and lowercase',
    input: { foo: 'bAr123Foo' },
    rules: [
      { source_labels: ['foo'], action: 'uppercase', target_label: 'foo_uppercase' },
      { source_labels: ['foo'], action: 'lowercase', target_label: 'foo_lowercase' },
    ],
    want: { foo: 'bAr123Foo', foo_lowercase: 'bar123foo', foo_uppercase: 'BAR123FOO' },
  },
  {
    name: 'keepequal with an equal target keeps',
    input: ports,
    rules: [{ source_labels: ['__tmp_port'], action: 'keepequal', target_label: '__port1' }],
    want: ports,
  },
  {
    name: 'dropequal with an equal target drops',
    input: ports,
    rules: [{ source_labels: ['__tmp_port'], action: 'dropequal', target_label: '__port1' }],
    want: 'dropped',
  },
  {
    name: 'dropequal with a different target keeps',
    input: ports,
    rules: [{ source_labels: ['__tmp_port'], action: 'dropequal', target_label: '__port2' }],
    want: ports,
  },
  {
    name: 'keepequal with a different target drops',
    input: ports,
    rules: [{ source_labels: ['__tmp_port'], action: 'keepequal', target_label: '__port2' }],
    want: 'dropped',
  },
  {
    name: 'Prometheus 3: . matches a newline',
    input: lines,
    rules: [
      { source_labels: ['a'], regex: 'line1.*line2', target_label: 'd', replacement: 'match${1}' },
    ],
    want: { ...lines, d: 'match' },
    options: v3,
  },
  {
    name: 'Prometheus 2: . does not match a newline',
    input: lines,
    rules: [
      { source_labels: ['a'], regex: 'line1.*line2', target_label: 'd', replacement: 'match${1}' },
    ],
    want: lines,
  },
  {
    name: 'Prometheus 3: a UTF-8 source label',
    input: { 'utf-8.label': 'line1\nline2', b: 'bar', c: 'baz' },
    rules: [
      {
        source_labels: ['utf-8.label'],
        regex: 'line1.*line2',
        target_label: 'd',
        replacement: 'match${1}',
      },
    ],
    want: { 'utf-8.label': 'line1\nline2', b: 'bar', c: 'baz', d: 'match' },
    options: v3,
  },
  {
    name: 'Prometheus 3: a UTF-8 target label',
    input: lines,
    rules: [
      {
        source_labels: ['a'],
        regex: 'line1.*line2',
        target_label: 'utf-8.label',
        replacement: 'match${1}',
      },
    ],
    want: { ...lines, 'utf-8.label': 'match' },
    options: v3,
  },
  {
    name: 'Prometheus 3: a UTF-8 target label with a reference to a missing group',
    input: lines,
    rules: [
      {
        source_labels: ['a'],
        regex: 'line1.*line2',
        target_label: 'utf-8.label${1}',
        replacement: 'match${1}',
      },
    ],
    want: { ...lines, 'utf-8.label': 'match' },
    options: v3,
  },
  {
    name: 'named groups, in ${name} and $name form',
    input: lines,
    rules: [
      {
        source_labels: ['a'],
        regex: '(line1).*(?<second>line2)',
        target_label: 'label1_${1}',
        replacement: 'val_${second}',
      },
      {
        source_labels: ['a'],
        regex: '(line1).*(?<second>line2)',
        target_label: 'label2_$1',
        replacement: 'val_$second',
      },
    ],
    want: { ...lines, label1_line1: 'val_line2', label2_line1: 'val_line2' },
    options: v3,
  },
  {
    name: 'a __type__ label from the metric name',
    input: { __name__: 'http_requests_total' },
    rules: [
      {
        source_labels: ['__name__'],
        regex: '.*_total$',
        target_label: '__type__',
        replacement: 'counter',
      },
    ],
    want: { __name__: 'http_requests_total', __type__: 'counter' },
  },
  {
    name: 'a __unit__ label from the metric name',
    input: { __name__: 'disk_usage_bytes' },
    rules: [
      {
        source_labels: ['__name__'],
        regex: '.*_bytes$',
        target_label: '__unit__',
        replacement: 'bytes',
      },
    ],
    want: { __name__: 'disk_usage_bytes', __unit__: 'bytes' },
  },
];

describe("Prometheus's relabel test cases", () => {
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(run(c.input, c.rules, c.options), c.want);
    });
  }
});
