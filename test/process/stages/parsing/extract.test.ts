// The regex, json, logfmt and output stages: what each extracts, from the
// cases of Promtail's documentation, and each one's config errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configError, PATH, run, runOne } from './helpers.js';

const APACHE =
  '^(?P<ip>\\S+) (?P<identd>\\S+) (?P<user>\\S+) \\[(?P<timestamp>[\\w:/]+\\s[+\\-]\\d{4})\\] "(?P<action>\\S+)\\s?(?P<path>\\S+)?\\s?(?P<protocol>\\S+)?" (?P<status>\\d{3}|-) (?P<size>\\d+|-)\\s?"?(?P<referer>[^"]*)"?\\s?"?(?P<useragent>[^"]*)?"?$';
const APACHE_LINE =
  '11.11.11.11 - frank [25/Jan/2000:14:00:01 -0500] "GET /1986.js HTTP/1.1" 200 932 "-" "Mozilla/5.0 (Windows; U; Windows NT 5.1; de; rv:1.9.1.7) Gecko/20091221 Firefox/3.5.7 GTB6"';

describe('regex stage', () => {
  it('puts every named group into extracted (the Apache access log of Promtail’s tests)', () => {
    const e = runOne(`- regex: {expression: ${JSON.stringify(APACHE)}}`, APACHE_LINE);
    assert.deepEqual(e.extracted, {
      ip: '11.11.11.11',
      identd: '-',
      user: 'frank',
      timestamp: '25/Jan/2000:14:00:01 -0500',
      action: 'GET',
      path: '/1986.js',
      protocol: 'HTTP/1.1',
      status: '200',
      size: '932',
      referer: '-',
      useragent:
        'Mozilla/5.0 (Windows; U; Windows NT 5.1; de; rv:1.9.1.7) Gecko/20091221 Firefox/3.5.7 GTB6',
    });
    assert.equal(e.line, APACHE_LINE);
  });

  it('reads `source`, and chains with the documented two-stage example', () => {
    const e = runOne(
      `
- regex: {expression: "^(?s)(?P<time>\\\\S+?) (?P<stream>stdout|stderr) (?P<flags>\\\\S+?) (?P<content>.*)$"}
- regex: {expression: "^(?P<year>\\\\d+)", source: time}
`,
      "2019-01-01T01:00:00.000000001Z stderr P i'm a log message!",
    );
    assert.equal(e.extracted['year'], '2019');
    assert.equal(e.extracted['content'], "i'm a log message!");
  });

  it('leaves extracted alone when nothing matches or the source is missing', () => {
    assert.deepEqual(runOne('- regex: {expression: "^(?P<n>\\\\d+)$"}', 'abc').extracted, {});
    assert.deepEqual(
      runOne('- regex: {expression: "(?P<n>\\\\d+)", source: nothere}', '123').extracted,
      {},
    );
  });

  it('gives a group that took no part the empty string, as Go does', () => {
    const e = runOne('- regex: {expression: "^(?P<a>x)?(?P<b>y)$"}', 'y');
    assert.deepEqual(e.extracted, { a: '', b: 'y' });
  });

  it('refuses a missing expression, an empty source and what RE2 refuses', () => {
    assert.equal(configError('- regex: {}').path, `${PATH}[0].regex.expression`);
    assert.equal(
      configError('- regex: {expression: "(?P<a>.)", source: ""}').path,
      `${PATH}[0].regex.source`,
    );
    const err = configError('- cri: {}\n- regex: {expression: "(?P<ts[0-9]+).*"}');
    assert.equal(err.path, `${PATH}[1].regex.expression`);
    assert.match(
      err.message,
      /could not compile regular expression: error parsing regexp: invalid named capture/,
    );
    assert.match(configError('- regex: {expression: "(?=x)"}').message, /lookahead/);
  });
});

const JSON_LINE = JSON.stringify({
  time: '2012-11-01T22:08:41+00:00',
  app: 'loki',
  component: ['parser', 'type'],
  level: 'WARN',
  nested: { child: 'value' },
  duration: 125,
  message: 'this is a log line',
  numeric: { float: 12.34, integer: 123, string: '123' },
  complex: { log: { array: [{ test1: 'test2' }, { test3: 'test4' }] } },
  extra: '{"user":"marco"}',
  '@timestamp': 'at',
  html: { a: '<b>&' },
});

describe('json stage', () => {
  it('extracts with JMESPath: strings and numbers as they are, objects and lists as JSON text', () => {
    const e = runOne(
      `
- json:
    expressions:
      time:
      app:
      component:
      level:
      float: numeric.float
      integer: numeric.integer
      string: numeric.string
      nested:
      message:
      complex: complex.log.array[1].test3
      at: '"@timestamp"'
      html:
      unknown:
`,
      JSON_LINE,
    );
    assert.deepEqual(e.extracted, {
      time: '2012-11-01T22:08:41+00:00',
      app: 'loki',
      component: '["parser","type"]',
      level: 'WARN',
      float: 12.34,
      integer: 123,
      string: '123',
      nested: '{"child":"value"}',
      message: 'this is a log line',
      complex: 'test4',
      at: 'at',
      html: '{"a":"\\u003cb\\u003e\\u0026"}',
      unknown: null,
    });
  });

  it('reads `source` (the documented two json stages)', () => {
    const e = runOne(
      '- json: {expressions: {extra: ""}}\n- json: {expressions: {user: ""}, source: extra}',
      JSON_LINE,
    );
    assert.equal(e.extracted['user'], 'marco');
  });

  it('passes a line that is not a JSON object on, or drops it with drop_malformed', () => {
    for (const line of ['ts=now log=notjson', '[1,2]', '"just a string"']) {
      assert.deepEqual(runOne('- json: {expressions: {app: ""}}', line).extracted, {});
      const h = run('- json: {expressions: {app: ""}, drop_malformed: true}', line);
      assert.equal(h.outputs.length, 0);
      assert.deepEqual(h.discards[0]!.reason, { kind: 'dropped', reason: 'malformed_json' });
    }
    // A missing source is not malformed: the entry goes on.
    assert.equal(
      run('- json: {expressions: {app: ""}, source: log, drop_malformed: true}', JSON_LINE).outputs
        .length,
      1,
    );
  });

  it('refuses missing expressions and ones JMESPath cannot compile, naming the expression', () => {
    assert.equal(configError('- json: {}').path, `${PATH}[0].json.expressions`);
    const err = configError('- json: {expressions: {ok: app, bad: "app.["}}');
    assert.equal(err.path, `${PATH}[0].json.expressions.bad`);
    assert.match(err.message, /could not compile JMES expression "app\.\["/);
    assert.equal(
      configError('- json: {expressions: {a: ""}, drop_malformed: "yes"}').path,
      `${PATH}[0].json.drop_malformed`,
    );
  });
});

describe('logfmt stage', () => {
  const LINE =
    '\n\t\ttime=2012-11-01T22:08:41+00:00 app=loki\tlevel=WARN duration=125 message="this is a log line" extra="user=foo""\n\t';

  it('extracts the mapped keys (Promtail’s case, a stray quote at the end and all)', () => {
    const e = runOne(
      '- logfmt: {mapping: {out: message, app: "", duration: "", unknown: ""}}',
      LINE,
    );
    assert.deepEqual(e.extracted, { out: 'this is a log line', app: 'loki', duration: '125' });
  });

  it('reads `source` (the documented two logfmt stages)', () => {
    const e = runOne(
      '- logfmt: {mapping: {extra: ""}}\n- logfmt: {mapping: {user: ""}, source: extra}',
      LINE,
    );
    assert.deepEqual(e.extracted, { extra: 'user=foo', user: 'foo' });
  });

  it('unquotes escapes and gives a key without a value the empty string', () => {
    const e = runOne(
      '- logfmt: {mapping: {msg: "", flag: "", path: ""}}',
      'msg="say \\"hi\\"\\n" flag path=/a=b',
    );
    // "path=/a=b" is malformed (an = inside a bare value): reading stops there.
    assert.deepEqual(e.extracted, { msg: 'say "hi"\n', flag: '' });
  });

  it('extracts nothing from JSON', () => {
    assert.deepEqual(
      runOne('- logfmt: {mapping: {expr1: ""}}', '{"invalid":"logfmt"}').extracted,
      {},
    );
  });

  it('refuses a missing mapping', () => {
    assert.equal(configError('- logfmt: {source: x}').path, `${PATH}[0].logfmt.mapping`);
  });
});

describe('output stage', () => {
  it('makes the extracted value the line, and leaves it when missing', () => {
    const yaml = '- json: {expressions: {user: "", message: ""}}\n- output: {source: message}';
    assert.equal(runOne(yaml, '{"user":"alexis","message":"hello, world!"}').line, 'hello, world!');
    assert.equal(runOne(yaml, '{"user":"alexis"}').line, '{"user":"alexis"}');
    assert.equal(
      runOne('- output: {source: n}', { line: 'x', extracted: { n: 1e21 } }).line,
      '1000000000000000000000',
    );
  });

  it('refuses a missing source', () => {
    assert.match(
      configError('- output: {}').message,
      /pipeline_stages\[0\]\.output\.source: is required/,
    );
  });
});
