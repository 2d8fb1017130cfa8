// The template and replace stages: Go's text/template as Promtail's users
// write it, with Promtail's documented and tested cases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configError, PATH, runOne } from './helpers.js';

function templated(
  template: string,
  extracted: Record<string, unknown>,
  source = 'testval',
): Record<string, unknown> {
  return runOne(`- template: {source: ${source}, template: ${JSON.stringify(template)}}`, {
    line: 'the line',
    extracted,
  }).extracted;
}

describe('template stage', () => {
  const cases: [
    name: string,
    template: string,
    source: string,
    input: Record<string, unknown>,
    expected: Record<string, unknown>,
  ][] = [
    [
      'simple template',
      '{{ .Value }} appended',
      'some',
      { some: 'value' },
      { some: 'value appended' },
    ],
    [
      'adds a missing source',
      'newval',
      'missing',
      { notmissing: 'value' },
      { notmissing: 'value', missing: 'newval' },
    ],
    [
      'several keys',
      '{{.Value}} in module {{.module}}',
      'message',
      { level: 'warn', message: 'warn for app loki', module: 'test' },
      { level: 'warn', message: 'warn for app loki in module test', module: 'test' },
    ],
    [
      'several keys, no source value',
      '{{ .level }} for app {{ .app | ToUpper }}',
      'missing',
      { level: 'warn', app: 'loki' },
      { level: 'warn', app: 'loki', missing: 'warn for app LOKI' },
    ],
    [
      'a missing key prints <no value>',
      '{{.Value}} in module {{.module}}',
      'message',
      { message: 'warn for app loki' },
      { message: 'warn for app loki in module <no value>' },
    ],
    [
      'a null value elsewhere is skipped',
      '{{ Replace .Value "Warning" "warn" 1 }}',
      'level',
      { level: 'Warning', testval: null },
      { level: 'warn', testval: null },
    ],
    [
      'pipeline ToLower',
      '{{ .Value | ToLower }}',
      'testval',
      { testval: 'Value' },
      { testval: 'value' },
    ],
    ['call ToLower', '{{ ToLower .Value }}', 'testval', { testval: 'Value' }, { testval: 'value' }],
    [
      'Replace then pipe',
      '{{ Replace .Value " " "_" -1 | ToLower }}',
      'testval',
      { testval: 'Some Silly Value With Lots Of Spaces' },
      { testval: 'some_silly_value_with_lots_of_spaces' },
    ],
    [
      'regexReplaceAll with ${1}',
      '{{ regexReplaceAll "(Silly)" .Value "${1}foo"  }}',
      'testval',
      { testval: 'Some Silly Value With Lots Of Spaces' },
      { testval: 'Some Sillyfoo Value With Lots Of Spaces' },
    ],
    [
      'regexReplaceAll with alternatives',
      '{{ regexReplaceAll "( |Of)" .Value "_"  }}',
      'testval',
      { testval: 'Some Silly Value With Lots Of Spaces' },
      { testval: 'Some_Silly_Value_With_Lots___Spaces' },
    ],
    [
      'a pattern RE2 refuses fails the execution: nothing changes',
      '{{ regexReplaceAll "\\\\K" .Value "err"  }}',
      'testval',
      { testval: 'Some Silly Value' },
      { testval: 'Some Silly Value' },
    ],
    [
      'Trim',
      '{{ Trim .Value "!" }}',
      'testval',
      { testval: '!!!!!WOOOOO!!!!!' },
      { testval: 'WOOOOO' },
    ],
    [
      'TrimLeft, TrimRight, TrimPrefix, TrimSuffix, TrimSpace',
      '{{ TrimLeft .a "x" }}|{{ TrimRight .a "x" }}|{{ TrimPrefix .a "xx" }}|{{ TrimSuffix .a "yx" }}|{{ TrimSpace .b }}',
      'out',
      { a: 'xxyx', b: ' \t b \n' },
      { a: 'xxyx', b: ' \t b \n', out: 'yx|xxy|yx|xx|b' },
    ],
    ['an empty result removes the source', '', 'testval', { testval: 'WOOOOO' }, {}],
    ['an empty result adds nothing', '', 'testval', {}, {}],
    [
      'Sha2Hash',
      '{{ Sha2Hash .Value "salt" }}',
      'testval',
      { testval: 'this is PII data' },
      { testval: '5526fd6f8ad457279cf8ff06453c6cb61bf479fa826e3b099caa6c846f9376f2' },
    ],
    [
      'Hash (SHA3-256)',
      '{{ Hash .Value "salt" }}',
      'testval',
      { testval: 'this is PII data' },
      { testval: '0807ea24e992127128b38e4930f7155013786a4999c73a25910318a793847658' },
    ],
    ['.Entry is the line', '{{ .Entry }}!', 'out', {}, { out: 'the line!' }],
    [
      'numbers and booleans are text',
      '{{ .n }} {{ .b }}',
      'out',
      { n: 125, b: true },
      { n: 125, b: true, out: '125 true' },
    ],
    [
      'if / else if / else with eq, ne, and, or, not',
      '{{ if and (eq .level "WARN") (not (eq .app "x")) }}warn{{ else if or (ne .level "INFO") .nope }}other{{ else }}info{{ end }}',
      'out',
      { level: 'WARN', app: 'loki' },
      { level: 'WARN', app: 'loki', out: 'warn' },
    ],
    [
      'eq with several choices',
      '{{ if eq .Value "a" "b" "c" }}yes{{ else }}no{{ end }}',
      'testval',
      { testval: 'b' },
      { testval: 'yes' },
    ],
    [
      'eq with a missing value is false, not a failure (Go 1.18+)',
      '{{ if eq .nope "x" }}yes{{ else }}no{{ end }}',
      'out',
      {},
      { out: 'no' },
    ],
    [
      'the Sprig functions Promtail users reach for',
      '{{ .a | lower }} {{ .a | upper | trunc 3 }} {{ .b | trim }} {{ replace "-" "_" .c }} {{ .c | trimPrefix "x-" | trimSuffix "-z" }} {{ .nope | default "none" }} {{ if contains "ell" .a }}c{{ end }}{{ if hasPrefix "He" .a }}p{{ end }}{{ if hasSuffix "lo" .a }}s{{ end }}',
      'out',
      { a: 'Hello', b: '  b ', c: 'x-y-z' },
      { a: 'Hello', b: '  b ', c: 'x-y-z', out: 'hello HEL b x_y_z y none cps' },
    ],
    [
      'trim markers and comments',
      '  {{- /* a comment */ -}}  {{ .Value -}}  \n !',
      'testval',
      { testval: 'v' },
      { testval: 'v!' },
    ],
  ];
  for (const [name, template, source, input, expected] of cases) {
    it(name, () => assert.deepEqual(templated(template, input, source), expected));
  }

  it('runs the documented json → template → template pipeline', () => {
    const e = runOne(
      `
- json: {expressions: {app: app, level: level}}
- template:
    source: app
    template: '{{ .Value | ToUpper }} doki'
- template:
    source: level
    template: '{{ if eq .Value "WARN" }}{{ Replace .Value "WARN" "OK" -1 }}{{ else }}{{ .Value }}{{ end }}'
- template:
    source: nonexistent
    template: "TEST"
`,
      '{"time":"2012-11-01T22:08:41+00:00","app":"loki","level":"WARN","message":"this is a log line"}',
    );
    assert.equal(e.extracted['app'], 'LOKI doki');
    assert.equal(e.extracted['level'], 'OK');
    assert.equal(e.extracted['nonexistent'], 'TEST');
  });

  const refused: [template: string, words: RegExp][] = [
    ['{{ add 7 3 }}', /function "add" not defined/],
    ['{{ range .x }}{{ end }}', /\{\{range\}\} is not supported/],
    ['{{ with .x }}{{ end }}', /\{\{with\}\} is not supported/],
    ['{{ $x := .Value }}', /variables/],
    ['{{ printf "%s" .Value }}', /"printf" is not supported/],
    ['{{ if .Value }}x', /has no \{\{end\}\}/],
    ['{{ .Value ', /unclosed action/],
    ['{{ ToUpper }}', /wrong number of args for ToUpper: want 1 got 0/],
    ['{{ .Value | Replace "a" "b" }}', /wrong number of args for Replace: want 4 got 3/],
  ];
  for (const [template, words] of refused) {
    it(`refuses ${template} naming the construct`, () => {
      const err = configError(`- template: {source: x, template: ${JSON.stringify(template)}}`);
      assert.equal(err.path, `${PATH}[0].template.template`);
      assert.match(err.message, words);
      assert.match(err.hint!, /ToUpper/);
    });
  }

  it('refuses a missing source', () => {
    assert.equal(configError('- template: {template: x}').path, `${PATH}[0].template.source`);
  });
});

const LINE =
  '11.11.11.11 - frank [25/Jan/2000:14:00:01 -0500] "GET /1986.js HTTP/1.1" 200 932 "-" "Mozilla/5.0 (Windows; U; Windows NT 5.1; de; rv:1.9.1.7) Gecko/20091221 Firefox/3.5.7 GTB6"';
const UPPER =
  '{{ if eq .Value "200" }}{{ Replace .Value "200" "HttpStatusOk" -1 }}{{ else }}{{ .Value | ToUpper }}{{ end }}';
const REPLACED =
  '11.11.11.11 - FRANK [25/JAN/2000:14:00:01 -0500] "GET /1986.JS HTTP/1.1" HttpStatusOk 932 "-" "MOZILLA/5.0 (WINDOWS; U; WINDOWS NT 5.1; DE; RV:1.9.1.7) GECKO/20091221 FIREFOX/3.5.7 GTB6"';

function replaced(expression: string, replace: string, line: string, source = '') {
  return runOne(
    `- replace: {expression: ${JSON.stringify(expression)}, replace: ${JSON.stringify(replace)}${source}}`,
    line,
  );
}

describe('replace stage', () => {
  it('replaces the group, keeping the rest of the match (documented)', () => {
    assert.equal(
      replaced('11.11.11.11 - (\\S+) .*', 'dummy', LINE).line,
      LINE.replace('frank', 'dummy'),
    );
  });

  it('an empty replace removes the group', () => {
    assert.equal(replaced('11.11.11.11 - (\\S+\\s)', '', LINE).line, LINE.replace('frank ', ''));
  });

  it('replaces every match (adjacent groups too)', () => {
    assert.equal(replaced('(a|b|c)', '', 'abc').line, '');
    assert.equal(replaced('(\\d+)', '#', 'a1b22c333').line, 'a#b#c#');
  });

  it('runs the template for each group, and puts named groups’ results into extracted', () => {
    const expression =
      '^(?P<ip>\\S+) (?P<identd>\\S+) (?P<user>\\S+) \\[(?P<timestamp>[\\w:/]+\\s[+\\-]\\d{4})\\] "(?P<action>\\S+)\\s?(?P<path>\\S+)?\\s?(?P<protocol>\\S+)?" (?P<status>\\d{3}|-) (\\d+|-)\\s?"?(?P<referer>[^"]*)"?\\s?"?(?P<useragent>[^"]*)?"?$';
    const e = replaced(expression, UPPER, LINE);
    assert.equal(e.line, REPLACED);
    assert.equal(e.extracted['user'], 'FRANK');
    assert.equal(e.extracted['status'], 'HttpStatusOk');
    assert.equal(e.extracted['path'], '/1986.JS');
  });

  it('replaces an outer group whole and still extracts the nested ones', () => {
    const expression =
      '(?P<ip_user>^(?P<ip>\\S+) (?P<identd>\\S+) (?P<user>\\S+)) \\[(?P<timestamp>[\\w:/]+\\s[+\\-]\\d{4})\\] "(?P<action_path>(?P<action>\\S+)\\s?(?P<path>\\S+)?)\\s?(?P<protocol>\\S+)?" (?P<status>\\d{3}|-) (\\d+|-)\\s?"?(?P<referer>[^"]*)"?\\s?"?(?P<useragent>[^"]*)?"?$';
    const e = replaced(expression, UPPER, LINE);
    assert.equal(e.line, REPLACED);
    assert.equal(e.extracted['ip_user'], '11.11.11.11 - FRANK');
    assert.equal(e.extracted['action_path'], 'GET /1986.JS');
    assert.equal(e.extracted['user'], 'FRANK');
  });

  it('works on `source`, leaving the line (documented json → replace)', () => {
    const line =
      '{"time":"2019-01-01T01:00:00.000000001Z", "level": "info", "msg": "11.11.11.11 - \\"POST /loki/api/push/ HTTP/1.1\\" 200 932"}';
    const e = runOne(
      '- json: {expressions: {level: "", msg: ""}}\n- replace: {expression: "\\\\S+ - \\"POST (\\\\S+) .*", source: msg, replace: "/loki/api/v1/push/"}',
      line,
    );
    assert.equal(e.line, line);
    assert.equal(e.extracted['msg'], '11.11.11.11 - "POST /loki/api/v1/push/ HTTP/1.1" 200 932');
  });

  it('masks with a template over the value (documented password example)', () => {
    const e = replaced('password (\\S+)', '****', '2023-01-01 user=alice password secret123 ok');
    assert.equal(e.line, '2023-01-01 user=alice password **** ok');
  });

  it('refuses a missing expression, a bad pattern and a bad template', () => {
    assert.equal(configError('- replace: {replace: x}').path, `${PATH}[0].replace.expression`);
    assert.match(
      configError('- replace: {expression: "(?P<ts[0-9]+).*"}').message,
      /invalid named capture/,
    );
    assert.equal(
      configError('- replace: {expression: "(a)", replace: "{{ nope }}"}').path,
      `${PATH}[0].replace.replace`,
    );
  });
});
