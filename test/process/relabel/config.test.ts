// Loading relabel rules: Prometheus's defaults and refusals (its
// TestRelabelValidate and config/testdata/*.bad.yml cases), with key paths.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRelabelConfigs } from '../../../src/process/relabel/index.js';
import { configError } from './helpers.js';

const P = 'scrape_configs[0].relabel_configs';

describe('defaults', () => {
  test('separator ;, regex (.*), replacement $1, action replace', () => {
    const [rule] = compileRelabelConfigs([{ source_labels: ['a'], target_label: 'b' }], P);
    assert.ok(rule);
    assert.equal(rule.action, 'replace');
    assert.equal(rule.separator, ';');
    assert.equal(rule.regexSource, '(.*)');
    assert.equal(rule.replacement, '$1');
    assert.equal(rule.modulus, 0);
    assert.deepEqual(rule.sourceLabels, ['a']);
    assert.equal(rule.path, `${P}[0]`);
    assert.ok(Object.isFrozen(rule));
  });

  test('explicit empty separator, regex and replacement are kept, not defaulted', () => {
    const [rule] = compileRelabelConfigs(
      [{ source_labels: ['a'], separator: '', regex: '', replacement: '', target_label: 'b' }],
      P,
    );
    assert.equal(rule?.separator, '');
    assert.equal(rule?.regexSource, '');
    assert.equal(rule?.replacement, '');
  });

  test('null is the zero value: `regex:` alone is the empty regex', () => {
    const [rule] = compileRelabelConfigs(
      [{ regex: null, replacement: 'static', target_label: 'abc' }],
      P,
    );
    assert.equal(rule?.regexSource, '');
    assert.equal(rule?.regex.test(''), true);
    assert.equal(rule?.regex.test('x'), false);
  });

  test('action names are case-insensitive', () => {
    const rules = compileRelabelConfigs(
      [
        { source_labels: ['a'], action: 'KEEP' },
        { source_labels: ['a'], action: 'Drop' },
        { regex: 'x', action: 'LabelDrop' },
      ],
      P,
    );
    assert.deepEqual(
      rules.map((r) => r.action),
      ['keep', 'drop', 'labeldrop'],
    );
  });

  test('scalars are read as text, as YAML would give them to Prometheus', () => {
    const [rule] = compileRelabelConfigs(
      [{ source_labels: ['a'], regex: true, target_label: 'b', replacement: 42 }],
      P,
    );
    assert.equal(rule?.regexSource, 'true');
    assert.equal(rule?.replacement, '42');
  });

  test('labelmap accepts the usual forms under legacy names', () => {
    compileRelabelConfigs(
      [
        {
          regex: '__meta_kubernetes_pod_label_(strimzi_io_.+)',
          action: 'labelmap',
          replacement: '$1',
        },
        { regex: '__meta_(.+)', action: 'labelmap', replacement: '${1}' },
      ],
      P,
    );
  });

  test('an empty list compiles to no rules', () => {
    assert.deepEqual(compileRelabelConfigs([], P), []);
  });
});

interface Bad {
  readonly name: string;
  readonly rule: unknown;
  readonly path: string;
  readonly message: RegExp;
  readonly utf8?: boolean;
}

const bad: Bad[] = [
  { name: 'null rule', rule: null, path: `${P}[0]`, message: /empty or null relabeling rule/ },
  { name: 'a list as rule', rule: ['a'], path: `${P}[0]`, message: /must be a mapping/ },
  {
    name: 'null action',
    rule: { action: null },
    path: `${P}[0].action`,
    message: /relabel action cannot be empty/,
  },
  {
    name: 'unknown action',
    rule: { action: 'rename' },
    path: `${P}[0].action`,
    message: /unknown relabel action "rename"/,
  },
  {
    name: 'unknown field, with a suggestion',
    rule: { source_labels: ['a'], target_lable: 'b' },
    path: `${P}[0].target_lable`,
    message: /unknown field "target_lable"/,
  },
  {
    name: 'hashmod without modulus',
    rule: { regex: 'abcdef', action: 'hashmod' },
    path: `${P}[0].modulus`,
    message: /relabel configuration for hashmod requires non-zero modulus/,
  },
  {
    name: 'hashmod without target_label',
    rule: { source_labels: ['__address__'], modulus: 8, action: 'hashmod' },
    path: `${P}[0].target_label`,
    message: /relabel configuration for hashmod action requires 'target_label' value/,
  },
  {
    name: 'replace without target_label',
    rule: { regex: 'abcdef' },
    path: `${P}[0].target_label`,
    message: /relabel configuration for replace action requires 'target_label' value/,
  },
  {
    name: 'lowercase without target_label',
    rule: { action: 'lowercase', source_labels: ['__name__'] },
    path: `${P}[0].target_label`,
    message: /relabel configuration for lowercase action requires 'target_label' value/,
  },
  {
    name: 'lowercase with a replacement',
    rule: {
      action: 'lowercase',
      source_labels: ['__name__'],
      target_label: '__name__',
      replacement: 'bar',
    },
    path: `${P}[0].replacement`,
    message: /'replacement' can not be set for lowercase action/,
  },
  {
    name: 'uppercase with a replacement',
    rule: {
      action: 'uppercase',
      source_labels: ['__name__'],
      target_label: '__name__',
      replacement: 'bar',
    },
    path: `${P}[0].replacement`,
    message: /'replacement' can not be set for uppercase action/,
  },
  {
    name: 'lowercase with a $ target (legacy names)',
    rule: { action: 'lowercase', target_label: '${3}' },
    path: `${P}[0].target_label`,
    message: /"\$\{3\}" is invalid 'target_label' for lowercase action/,
  },
  {
    name: 'replace with a target starting with a digit',
    rule: {
      source_labels: ['a'],
      regex: 'some-([^-]+)-([^,]+)',
      replacement: '${1}',
      target_label: '0${3}',
    },
    path: `${P}[0].target_label`,
    message: /"0\$\{3\}" is invalid 'target_label' for replace action/,
  },
  {
    name: 'replace with a target starting with -',
    rule: {
      source_labels: ['a'],
      regex: 'some-([^-]+)-([^,]+)',
      replacement: '${1}',
      target_label: '-${3}',
    },
    path: `${P}[0].target_label`,
    message: /"-\$\{3\}" is invalid 'target_label' for replace action/,
  },
  {
    name: 'replace with a dotted target (legacy names)',
    rule: { target_label: 'utf-8.label' },
    path: `${P}[0].target_label`,
    message: /"utf-8.label" is invalid 'target_label' for replace action/,
  },
  {
    name: 'dropequal without target_label',
    rule: { source_labels: ['abcdef'], action: 'dropequal' },
    path: `${P}[0].target_label`,
    message: /relabel configuration for dropequal action requires 'target_label' value/,
  },
  {
    name: 'dropequal with a regex',
    rule: { source_labels: ['abcdef'], action: 'dropequal', regex: 'foo', target_label: 'bar' },
    path: `${P}[0].regex`,
    message:
      /dropequal action requires only 'source_labels' and `target_label`, and no other fields/,
  },
  {
    name: 'keepequal with a regex, even the default one',
    rule: { source_labels: ['abcdef'], action: 'keepequal', regex: '(.*)', target_label: 'bar' },
    path: `${P}[0].regex`,
    message: /keepequal action requires only 'source_labels' and `target_label`/,
  },
  {
    name: 'keepequal with a separator',
    rule: { source_labels: ['a', 'b'], action: 'keepequal', separator: ',', target_label: 'bar' },
    path: `${P}[0].separator`,
    message: /keepequal action requires only/,
  },
  {
    name: 'labelkeep with source_labels',
    rule: { source_labels: ['abcdef'], action: 'labelkeep' },
    path: `${P}[0].source_labels`,
    message: /labelkeep action requires only 'regex', and no other fields/,
  },
  {
    name: 'labelkeep with an empty source_labels list',
    rule: { source_labels: [], action: 'labelkeep' },
    path: `${P}[0].source_labels`,
    message: /labelkeep action requires only 'regex'/,
  },
  {
    name: 'labelkeep with modulus',
    rule: { modulus: 8, action: 'labelkeep' },
    path: `${P}[0].modulus`,
    message: /labelkeep action requires only 'regex'/,
  },
  {
    name: 'labelkeep with separator',
    rule: { separator: ',', action: 'labelkeep' },
    path: `${P}[0].separator`,
    message: /labelkeep action requires only 'regex'/,
  },
  {
    name: 'labelkeep with replacement',
    rule: { replacement: 'yolo-{1}', action: 'labelkeep' },
    path: `${P}[0].replacement`,
    message: /labelkeep action requires only 'regex'/,
  },
  {
    name: 'labeldrop with target_label',
    rule: { target_label: 'yolo', action: 'labeldrop' },
    path: `${P}[0].target_label`,
    message: /labeldrop action requires only 'regex', and no other fields/,
  },
  {
    name: 'labelmap with an invalid replacement',
    rule: { regex: '(.*)', action: 'labelmap', replacement: 'a-$1' },
    path: `${P}[0].replacement`,
    message: /"a-\$1" is invalid 'replacement' for labelmap action/,
  },
  {
    name: 'an invalid source label name',
    rule: { source_labels: ['ok', 'not-ok'], action: 'keep' },
    path: `${P}[0].source_labels[1]`,
    message: /"not-ok" is not a valid label name/,
  },
  {
    name: 'an empty source label name, even with UTF-8 names',
    rule: { source_labels: [''], action: 'keep' },
    path: `${P}[0].source_labels[0]`,
    message: /"" is not a valid label name/,
    utf8: true,
  },
  {
    name: 'source_labels as a string',
    rule: { source_labels: 'job', action: 'keep' },
    path: `${P}[0].source_labels`,
    message: /must be a list of label names/,
  },
  {
    name: 'a negative modulus',
    rule: { source_labels: ['a'], target_label: 'b', modulus: -1, action: 'hashmod' },
    path: `${P}[0].modulus`,
    message: /must be a whole number/,
  },
  {
    name: 'a quoted modulus',
    rule: { source_labels: ['a'], target_label: 'b', modulus: '8', action: 'hashmod' },
    path: `${P}[0].modulus`,
    message: /must be a whole number/,
  },
  {
    name: 'a mapping as regex',
    rule: { regex: { a: 1 }, action: 'keep' },
    path: `${P}[0].regex`,
    message: /must be a string, not a mapping/,
  },
  {
    name: 'a regex RE2 refuses',
    rule: { source_labels: ['a'], regex: '(?=x)', action: 'keep' },
    path: `${P}[0].regex`,
    message: /invalid regex "\(\?=x\)": .*lookahead/,
  },
];

describe('refusals, with the key path of the field to fix', () => {
  for (const c of bad) {
    test(c.name, () => {
      const err = configError([c.rule], c.utf8 ? { nameValidation: 'utf8' } : undefined);
      assert.equal(err.path, c.path);
      assert.match(err.message, c.message);
      assert.ok(err.message.startsWith(`${c.path}: `), err.message);
      assert.ok(err.hint !== undefined && err.hint.length > 0);
    });
  }

  test('the index in the path is the failing rule', () => {
    const err = configError([
      { source_labels: ['a'], action: 'keep' },
      { action: 'keep' },
      { action: 'nope' },
    ]);
    assert.equal(err.path, `${P}[2].action`);
  });

  test('an unknown field close to a real one is suggested', () => {
    assert.match(configError([{ sourcelabels: ['a'] }]).hint ?? '', /source_labels/);
  });

  test('a regex error keeps the RE2 cause', () => {
    const err = configError([{ regex: 'a(b' }]);
    assert.match(err.message, /missing closing \)/);
    assert.ok(err.cause instanceof Error);
  });
});

describe('UTF-8 names (Prometheus 3)', () => {
  const utf8 = { nameValidation: 'utf8' } as const;

  test('targets that legacy names refuse are accepted', () => {
    compileRelabelConfigs(
      [
        { action: 'lowercase', target_label: '${3}' },
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
          target_label: '0${3}',
        },
        {
          source_labels: ['a'],
          regex: 'some-([^-]+)-([^,]+)',
          replacement: '${1}',
          target_label: '-${3}',
        },
        { source_labels: ['utf-8.label'], target_label: 'utf-8.label' },
      ],
      P,
      utf8,
    );
  });

  test('an empty target is still refused', () => {
    assert.match(configError([{ regex: 'a' }], utf8).message, /requires 'target_label'/);
  });
});
