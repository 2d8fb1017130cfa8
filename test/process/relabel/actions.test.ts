// Action semantics beyond Prometheus's table: input immutability, empty values,
// labelmap ordering, Go's case mapping, and how missing labels join.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { labelsFromRecord, type Label } from '../../../src/model/labels.js';
import { compileRelabelConfigs, relabel } from '../../../src/process/relabel/index.js';
import { run } from './helpers.js';

describe('the input is never changed', () => {
  const rules = compileRelabelConfigs(
    [
      { source_labels: ['a'], target_label: 'a', replacement: 'changed' },
      { regex: 'b', action: 'labeldrop' },
      { regex: '(c)', action: 'labelmap', replacement: 'c2' },
      { source_labels: ['a'], target_label: 'up', action: 'uppercase' },
    ],
    'r',
  );

  test('frozen input labels and array survive, the result is new', () => {
    const input: readonly Label[] = Object.freeze(
      labelsFromRecord({ a: '1', b: '2', c: '3' }).map((l) => Object.freeze(l)),
    );
    const before = JSON.stringify(input);
    const out = relabel(input, rules);
    assert.equal(JSON.stringify(input), before);
    assert.deepEqual(out, labelsFromRecord({ a: 'changed', c: '3', c2: '3', up: 'CHANGED' }));
    assert.notEqual(out, input);
  });

  test('no rules: an equal copy, not the same array', () => {
    const input = labelsFromRecord({ a: '1' });
    const out = relabel(input, []);
    assert.deepEqual(out, input);
    assert.notEqual(out, input);
  });
});

describe('empty values', () => {
  test('labels with empty values are gone from the result', () => {
    const input: Label[] = [
      { name: 'a', value: '' },
      { name: 'b', value: '1' },
    ];
    assert.deepEqual(relabel(input, []), [{ name: 'b', value: '1' }]);
  });

  test('setting a label to an empty value deletes it, and later rules see it missing', () => {
    const out = run({ a: 'x', b: 'y' }, [
      { source_labels: ['missing'], target_label: 'a' }, // (.*) matches "", $1 is ""
      { source_labels: ['a'], regex: '', action: 'keep' },
    ]);
    assert.deepEqual(out, { b: 'y' });
  });

  test('lowercase of nothing deletes the target', () => {
    assert.deepEqual(
      run({ t: 'x' }, [{ source_labels: ['nope'], target_label: 't', action: 'lowercase' }]),
      {},
    );
  });

  test('a constant replacement is set even when the sources are missing', () => {
    assert.deepEqual(run({}, [{ target_label: 'cluster', replacement: 'dev' }]), {
      cluster: 'dev',
    });
  });
});

describe('joining source labels', () => {
  test('missing labels join as empty strings', () => {
    const out = run({ b: '2' }, [
      { source_labels: ['a', 'b', 'c'], target_label: 'j', regex: '(.*)' },
    ]);
    assert.deepEqual(out, { b: '2', j: ';2;' });
  });

  test('keepequal: a missing target equals empty sources', () => {
    const rule = { source_labels: ['x'], target_label: 'y', action: 'keepequal' };
    assert.deepEqual(run({ a: '1' }, [rule]), { a: '1' });
    assert.equal(run({ x: '1' }, [rule]), 'dropped');
  });

  test("the default regex's . stops at a newline (Prometheus 2): no replacement", () => {
    const rule = { source_labels: ['a'], target_label: 'b' };
    assert.deepEqual(run({ a: 'x\ny' }, [rule]), { a: 'x\ny' });
    assert.deepEqual(run({ a: 'x\ny' }, [rule], { dotMatchesNewline: true }), {
      a: 'x\ny',
      b: 'x\ny',
    });
  });
});

describe('labelmap', () => {
  test('when two labels map to one name, the last visited wins (name order)', () => {
    const out = run({ x_a: '1', y_a: '2' }, [{ regex: '[xy]_(a)', action: 'labelmap' }]);
    assert.deepEqual(out, { x_a: '1', y_a: '2', a: '2' });
  });

  test('labels set by earlier rules are visited after unchanged ones, in the order set', () => {
    const out = run({ m_a: 'base' }, [
      { target_label: 'z_a', replacement: 'second' },
      { target_label: 'b_a', replacement: 'third' },
      { regex: '[a-z]_(a)', action: 'labelmap' },
    ]);
    assert.deepEqual(out, { m_a: 'base', z_a: 'second', b_a: 'third', a: 'third' });
  });

  test('sees the label set as it was when it started', () => {
    const out = run({ a_x: '1' }, [
      { regex: '(.*)_x', replacement: '${1}_x_x', action: 'labelmap' },
    ]);
    assert.deepEqual(out, { a_x: '1', a_x_x: '1' });
  });

  test('labeldrop and labelkeep match whole names', () => {
    assert.deepEqual(run({ ab: '1', b: '2' }, [{ regex: 'b', action: 'labeldrop' }]), { ab: '1' });
    assert.deepEqual(run({ ab: '1', b: '2' }, [{ regex: 'b', action: 'labelkeep' }]), { b: '2' });
  });
});

describe("lowercase and uppercase follow Go's simple case mapping", () => {
  const caseOf = (value: string, action: 'lowercase' | 'uppercase'): string | undefined => {
    const out = run({ v: value }, [{ source_labels: ['v'], target_label: 't', action }]);
    return out === 'dropped' ? undefined : out.t;
  };

  test('ASCII', () => {
    assert.equal(caseOf('MiXeD_1', 'lowercase'), 'mixed_1');
    assert.equal(caseOf('MiXeD_1', 'uppercase'), 'MIXED_1');
  });

  test('where full and simple mappings differ', () => {
    assert.equal(caseOf('straße', 'uppercase'), 'STRAßE'); // not STRASSE
    assert.equal(caseOf('ΟΔΟΣ', 'lowercase'), 'οδοσ'); // no final sigma
    assert.equal(caseOf('İx', 'lowercase'), 'ix'); // not i + combining dot
    assert.equal(caseOf('ᾳ', 'uppercase'), 'ᾼ'); // not ΑΙ
    assert.equal(caseOf('ﬁ', 'uppercase'), 'ﬁ'); // the ligature has no simple uppercase
    assert.equal(caseOf('Ǆǅ', 'lowercase'), 'ǆǆ');
    assert.equal(caseOf('😀a', 'uppercase'), '😀A');
  });
});

describe('case-insensitive regexes in rules', () => {
  test('(?i) across the whole regex', () => {
    assert.equal(
      run({ a: 'ERROR' }, [{ source_labels: ['a'], regex: '(?i)error', action: 'drop' }]),
      'dropped',
    );
  });

  test('(?i:…) on part of it', () => {
    const rule = { source_labels: ['a'], regex: 'level=(?i:warn|error)', action: 'keep' };
    assert.deepEqual(run({ a: 'level=WARN' }, [rule]), { a: 'level=WARN' });
    assert.equal(run({ a: 'LEVEL=WARN' }, [rule]), 'dropped');
  });
});
