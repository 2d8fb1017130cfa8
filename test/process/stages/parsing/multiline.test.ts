// The multiline stage, and the pipelines users build around it and around
// JSON logs: Java and Python stack traces behind cri, json → timestamp → output.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { configError, Harness, isoNs, PATH, run } from './helpers.js';

const START = "- multiline: {firstline: '^START', max_wait_time: 3s}";

describe('multiline stage', () => {
  it('passes lines before the first block on, then joins each block (Promtail’s case)', () => {
    const h = run(
      START,
      'not a start line before 1',
      'not a start line before 2',
      { line: 'START line 1', timestampNs: 10n },
      { line: 'not a start line', timestampNs: 11n },
      'START line 2',
      'START line 3',
    );
    assert.deepEqual(h.lines(), [
      'not a start line before 1',
      'not a start line before 2',
      'START line 1\nnot a start line',
      'START line 2',
      'START line 3',
    ]);
    // The block is its first line's entry; the line joined into it is given back as merged.
    assert.equal(h.outputs[2]!.timestampNs, 10n);
    assert.deepEqual(
      h.discards.map((d) => [d.entry.line, d.reason]),
      [['not a start line', { kind: 'merged' }]],
    );
  });

  it('keeps one block per label set (Promtail’s case)', () => {
    const one = { value: 'one' };
    const two = { value: 'two' };
    const h = run(
      START,
      { line: 'START line 1', labels: one },
      { line: 'not a start line 1', labels: one },
      { line: 'START line 1', labels: two },
      { line: 'not a start line 2', labels: one },
      { line: 'START line 2', labels: two },
      { line: 'START line 2', labels: one },
      { line: 'not a start line 1', labels: one },
    );
    assert.deepEqual(
      h.outputs.map((e) => [e.labels['value'], e.line]),
      [
        ['two', 'START line 1'],
        ['one', 'START line 1\nnot a start line 1\nnot a start line 2'],
        ['one', 'START line 2\nnot a start line 1'],
        ['two', 'START line 2'],
      ],
    );
  });

  it('ends a block at max_lines', () => {
    const h = run("- multiline: {firstline: '^S', max_lines: 2}", 'S1', 'a', 'b', 'c', 'S2');
    assert.deepEqual(h.lines(), ['S1\na', 'b\nc', 'S2']);
  });

  it('passes a block on after max_wait_time without a new line, on its own timer', async () => {
    const h = new Harness("- multiline: {firstline: '^START', max_wait_time: 40ms}");
    h.push('START line', 'more');
    assert.equal(h.outputs.length, 0, 'held while the block may go on');
    await sleep(150);
    assert.deepEqual(h.lines(), ['START line\nmore']);
    h.push('not a start line hitting timeout');
    h.stop();
    assert.deepEqual(h.lines(), ['START line\nmore', 'not a start line hitting timeout']);
  });

  it('waits max_wait_time from the last line, by the context clock', async () => {
    let now = 0;
    const h = new Harness("- multiline: {firstline: '^S', max_wait_time: 40ms}", () => now);
    h.push('S1');
    // The clock says no time has passed: the timer finds the block still fresh.
    await sleep(100);
    assert.equal(h.outputs.length, 0);
    now = 1000;
    await sleep(100);
    assert.deepEqual(h.lines(), ['S1']);
    h.stop();
  });

  it('refuses a missing firstline, a bad pattern, a bad max_wait_time and max_lines', () => {
    assert.equal(configError('- multiline: {max_lines: 3}').path, `${PATH}[0].multiline.firstline`);
    assert.match(
      configError("- multiline: {firstline: '(?<x>'}").message,
      /multiline\.firstline: could not compile/,
    );
    assert.match(
      configError("- multiline: {firstline: '^S', max_wait_time: 3}").message,
      /max_wait_time: must be a string/,
    );
    assert.match(
      configError("- multiline: {firstline: '^S', max_wait_time: 3 seconds}").message,
      /max_wait_time: "3 seconds" is not a positive duration/,
    );
    assert.equal(
      configError("- multiline: {firstline: '^S', max_lines: 0}").path,
      `${PATH}[0].multiline.max_lines`,
    );
  });
});

describe('pipelines users write', () => {
  it('Java stack traces from a container: cri → multiline → regex → timestamp → output', () => {
    const yaml = String.raw`
- cri: {}
- multiline:
    firstline: '^\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}:\d{2}'
    max_wait_time: 3s
- regex:
    expression: '(?s)^(?P<time>\S+ \S+) (?P<level>[A-Z]+) (?P<message>.*)$'
- timestamp:
    source: time
    format: '2006-01-02 15:04:05.000'
- output:
    source: message
`;
    const cri = (time: string, text: string) => `${time} stdout F ${text}`;
    const h = run(
      yaml,
      cri(
        '2024-03-01T10:00:00.000000001Z',
        '2024-03-01 10:00:00.123 INFO Started application in 2.1 seconds',
      ),
      cri('2024-03-01T10:00:01.000000001Z', '2024-03-01 10:00:01.456 ERROR Request failed'),
      cri('2024-03-01T10:00:01.000000002Z', 'java.lang.IllegalStateException: no connection'),
      cri('2024-03-01T10:00:01.000000003Z', '\tat com.example.Db.query(Db.java:42)'),
      cri('2024-03-01T10:00:01.000000004Z', '\tat com.example.Api.handle(Api.java:17)'),
      cri('2024-03-01T10:00:01.000000005Z', 'Caused by: java.net.ConnectException: refused'),
      cri('2024-03-01T10:00:01.000000006Z', '\t... 12 more'),
      cri('2024-03-01T10:00:02.000000001Z', '2024-03-01 10:00:02.789 WARN Retrying'),
    );
    assert.deepEqual(h.lines(), [
      'Started application in 2.1 seconds',
      'Request failed\njava.lang.IllegalStateException: no connection\n\tat com.example.Db.query(Db.java:42)\n\tat com.example.Api.handle(Api.java:17)\nCaused by: java.net.ConnectException: refused\n\t... 12 more',
      'Retrying',
    ]);
    assert.deepEqual(
      h.outputs.map((e) => e.extracted['level']),
      ['INFO', 'ERROR', 'WARN'],
    );
    assert.equal(h.outputs[1]!.timestampNs, isoNs('2024-03-01T10:00:01.456Z'));
    assert.equal(h.outputs[1]!.labels['stream'], 'stdout');
    assert.equal(h.discards.length, 5);
  });

  it('Python tracebacks (the documented multiline example)', () => {
    const h = run(
      String.raw`- multiline: {firstline: '^\[\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}:\d{2}\]', max_wait_time: 3s}`,
      '[2020-12-03 11:36:20] "GET /hello HTTP/1.1" 200 -',
      '[2020-12-03 11:36:23] ERROR in app: Exception on /error [GET]',
      'Traceback (most recent call last):',
      '  File "/home/pallets/.pyenv/versions/3.8.5/lib/python3.8/site-packages/flask/app.py", line 2447, in wsgi_app',
      '    response = self.full_dispatch_request()',
      'Exception: Custom exception',
      '[2020-12-03 11:36:24] "GET /error HTTP/1.1" 500 -',
    );
    assert.equal(h.outputs.length, 3);
    assert.equal(h.outputs[1]!.line.split('\n').length, 5);
    assert.ok(h.outputs[1]!.line.endsWith('\nException: Custom exception'));
  });

  it('JSON logs: json → timestamp → output', () => {
    const yaml = `
- json:
    expressions:
      ts: timestamp
      level:
      msg: message
      user: context.user
- timestamp: {source: ts, format: RFC3339Nano}
- output: {source: msg}
`;
    const h = run(
      yaml,
      '{"timestamp":"2024-03-01T10:00:00.123456789Z","level":"info","message":"user logged in","context":{"user":"ana"}}',
      {
        line: '{"timestamp":"not a time","level":"warn","message":"clock broken"}',
        timestampNs: 5n,
      },
      { line: 'not json at all', timestampNs: 6n },
    );
    assert.deepEqual(h.lines(), ['user logged in', 'clock broken', 'not json at all']);
    assert.equal(h.outputs[0]!.timestampNs, isoNs('2024-03-01T10:00:00.123456789Z'));
    assert.equal(h.outputs[0]!.extracted['user'], 'ana');
    // A bad time is fudged to just after the last good one of the stream.
    assert.equal(h.outputs[1]!.timestampNs, isoNs('2024-03-01T10:00:00.123456790Z'));
    assert.equal(h.outputs[2]!.timestampNs, isoNs('2024-03-01T10:00:00.123456791Z'));
  });
});
