// $-references in target_label and replacement, expanded as Go's regexp.Expand.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Re2Regex } from '../../../src/process/relabel/re2/index.js';
import { ExpandTemplate } from '../../../src/process/relabel/template.js';
import { run } from './helpers.js';

// Groups: 1=a, 2 (name)=b, 3 (1x)=c, 4 did not take part.
const regex = new Re2Regex('^(?:(a)(?P<name>b)(?P<1x>c)(x)?)$');
const expand = (template: string, re = regex, input = 'abc'): string => {
  const m = re.exec(input);
  assert.ok(m, 'the test input matches');
  return new ExpandTemplate(template, re).expand(m);
};

const cases: [template: string, want: string][] = [
  ['$1', 'a'],
  ['${1}', 'a'],
  ['${1}x', 'ax'],
  ['$1x', 'c'], // the group named "1x", not group 1 then "x"
  ['$1y', ''], // a group named "1y": there is none
  ['$0', 'abc'],
  ['${0}', 'abc'],
  ['$01', ''], // leading zero: the name "01"
  ['$4', ''], // a group that did not take part
  ['$10', ''], // no group 10, not group 1 then "0"
  ['$name', 'b'],
  ['${name}', 'b'],
  ['$name_x', ''], // the name runs on through letters, digits and _
  ['${name}_x', 'b_x'],
  ['$name-x', 'b-x'],
  ['$$', '$'],
  ['$$1', '$1'],
  ['$$$1', '$a'],
  ['a$', 'a$'],
  ['$', '$'],
  ['${', '${'],
  ['${1', '${1'],
  ['${}', '${}'],
  ['${-}', '${-}'],
  ['$-', '$-'],
  ['$ 1', '$ 1'],
  ['${1}${name}${1x}', 'abc'],
  ['x${1}y$2z', 'xay'], // $2z is the group named "2z": absent
  ['$é', ''], // a letter: a name
  ['$١', ''], // an Arabic-Indic digit is a letter-or-digit: a name, not a number
  ['$100000000', ''],
  ['$1000000000', ''],
  ['no references', 'no references'],
  ['', ''],
];

describe('Go regexp.Expand rules', () => {
  for (const [template, want] of cases) {
    test(JSON.stringify(template), () => {
      assert.equal(expand(template), want);
    });
  }

  test('with a name used twice, the first group that took part', () => {
    const re = new Re2Regex('^(?:(?P<d>x)?(?P<d>y)?)$');
    assert.equal(expand('[$d]', re, 'y'), '[y]');
    assert.equal(expand('[$d]', re, 'x'), '[x]');
    assert.equal(expand('[$d]', re, ''), '[]');
  });

  test('templates without live references are constants', () => {
    assert.equal(new ExpandTemplate('static', regex).constant, 'static');
    assert.equal(new ExpandTemplate('a$$b', regex).constant, 'a$b');
    assert.equal(new ExpandTemplate('x$9', regex).constant, 'x');
    assert.equal(new ExpandTemplate('$1', regex).constant, undefined);
  });
});

describe('in rules', () => {
  test('$1x in a replacement is empty, so the target is deleted', () => {
    const out = run({ a: 'foo', t: 'old' }, [
      { source_labels: ['a'], regex: '(f)oo', target_label: 't', replacement: '$1x' },
    ]);
    assert.deepEqual(out, { a: 'foo' });
  });

  test('${1}x in a replacement', () => {
    const out = run({ a: 'foo' }, [
      { source_labels: ['a'], regex: '(f)oo', target_label: 't', replacement: '${1}x' },
    ]);
    assert.deepEqual(out, { a: 'foo', t: 'fx' });
  });

  test('$$ in a replacement is a literal $', () => {
    const out = run({ a: 'foo' }, [
      { source_labels: ['a'], target_label: 't', replacement: 'cost: $$$1' },
    ]);
    assert.deepEqual(out, { a: 'foo', t: 'cost: $foo' });
  });
});
