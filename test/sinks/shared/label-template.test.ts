import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cutToCodePoints,
  parseLabelTemplate,
  perLabels,
} from '../../../src/sinks/shared/label-template.js';

const refuse = (inner: string): Error => new Error(`bad action ${inner}`);

test('a template renders literal text and labels, a missing label as empty', () => {
  const t = parseLabelTemplate('ns={{ .ns }}/{{- .pod -}}!', refuse);
  assert.equal(t.literal, false);
  assert.equal(t.render({ ns: 'kube', pod: 'dns' }), 'ns=kube/dns!');
  assert.equal(t.render({ pod: 'dns' }), 'ns=/dns!');
  assert.equal(parseLabelTemplate('plain', refuse).literal, true);
  assert.equal(parseLabelTemplate('', refuse).render({ a: 'b' }), '');
});

test('an action that is not a label reference is refused with the caller’s error', () => {
  assert.throws(() => parseLabelTemplate('{{ .a | upper }}', refuse), /bad action \.a \| upper/);
  assert.throws(() => parseLabelTemplate('{{ pod }}', refuse), /bad action pod/);
});

test('leftover braces are reported, not refused: each sink decides', () => {
  const open = parseLabelTemplate('{{ .a }', refuse);
  assert.deepEqual([open.unclosed, open.strayClose], [true, false]);
  const close = parseLabelTemplate('{{ .a }}}}', refuse);
  assert.deepEqual([close.unclosed, close.strayClose], [false, true]);
});

test('a cut counts code points and never splits a surrogate pair', () => {
  assert.equal(cutToCodePoints('abc', 3), 'abc');
  assert.equal(cutToCodePoints('😀😀😀', 2), '😀😀');
  assert.equal(cutToCodePoints('😀😀', 2), '😀😀', '4 UTF-16 units but 2 code points');
});

test('perLabels computes once per labels object, undefined included', () => {
  let calls = 0;
  const f = perLabels((labels) => {
    calls++;
    return labels['a'];
  });
  const labels = { b: '1' };
  assert.equal(f(labels), undefined);
  assert.equal(f(labels), undefined);
  assert.equal(calls, 1);
  f({ b: '1' });
  assert.equal(calls, 2, 'an equal but different object is computed again');
});
