// The cri and docker stages, with the lines and results of Promtail's documentation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configError, isoNs, run, runOne } from './helpers.js';

const CRI = '- cri: {}';

describe('cri stage', () => {
  it("reads the documented line: content as the line, stream label, the line's own time", () => {
    const e = runOne(CRI, '2019-04-30T02:12:41.8443515Z stdout F message');
    assert.equal(e.line, 'message');
    assert.deepEqual(e.labels, { stream: 'stdout' });
    assert.equal(e.timestampNs, isoNs('2019-04-30T02:12:41.8443515Z'));
    assert.equal(e.extracted['flags'], 'F');
    assert.equal(e.extracted['stream'], 'stdout');
    assert.equal(e.extracted['content'], 'message');
    assert.equal(e.extracted['time'], '2019-04-30T02:12:41.8443515Z');
  });

  it('keeps nanoseconds and numeric offsets (containerd writes +00:00)', () => {
    const e = runOne(CRI, '2019-05-07T18:57:50.904275087+00:00 stderr F some full line');
    assert.equal(e.timestampNs, isoNs('2019-05-07T18:57:50.904275087+00:00'));
    assert.equal(e.labels['stream'], 'stderr');
  });

  it('keeps a content with a newline whole ((?s) in Promtail’s pattern)', () => {
    const e = runOne(CRI, '2019-01-01T01:00:00.000000001Z stderr P test\ngood');
    assert.equal(e.line, 'test\ngood');
  });

  for (const line of [
    '2019-01-01 T01:00:00.000000001Z stderr testgood',
    '2019-01-01T01:00:00.000000001Z testgood',
    '3242 stdin F message',
  ]) {
    it(`passes a line that is not CRI on untouched: ${JSON.stringify(line)}`, () => {
      const e = runOne(CRI, { line, timestampNs: 42n });
      assert.equal(e.line, line);
      assert.equal(e.timestampNs, 42n);
      assert.deepEqual(e.labels, {});
    });
  }

  it('joins P lines to the next F of the same labels; the parts are given back as merged', () => {
    const h = run(
      CRI,
      {
        line: '2019-05-07T18:57:50.904275087+00:00 stdout P partial line 1 ',
        labels: { foo: 'bar' },
      },
      {
        line: '2019-05-07T18:57:50.904275087+00:00 stdout P partial line 2 ',
        labels: { foo: 'bar2' },
      },
      { line: '2019-05-07T18:57:55.904275087+00:00 stdout F log finished', labels: { foo: 'bar' } },
      {
        line: '2019-05-07T18:57:55.904275087+00:00 stdout F another full log',
        labels: { foo: 'bar2' },
      },
    );
    assert.deepEqual(h.lines(), ['partial line 1 log finished', 'partial line 2 another full log']);
    assert.deepEqual(
      h.discards.map((d) => [d.entry.origin, d.reason.kind]),
      [
        [0, 'merged'],
        [1, 'merged'],
      ],
    );
    // The joined entry keeps the final part's time and the stream label.
    assert.equal(h.outputs[0]!.timestampNs, isoNs('2019-05-07T18:57:55.904275087+00:00'));
    assert.deepEqual(h.outputs[0]!.labels, { foo: 'bar', stream: 'stdout' });
  });

  it('joins many P lines of one stream into one line', () => {
    const h = run(
      CRI,
      '2019-05-07T18:57:50.904275087+00:00 stdout P partial line 1 ',
      '2019-05-07T18:57:50.904275087+00:00 stdout P partial line 2 ',
      '2019-05-07T18:57:50.904275087+00:00 stdout P partial line 3 ',
      '2019-05-07T18:57:55.904275087+00:00 stdout F log finished',
      '2019-05-07T18:57:55.904275087+00:00 stdout F another full log',
    );
    assert.deepEqual(h.lines(), [
      'partial line 1 partial line 2 partial line 3 log finished',
      'another full log',
    ]);
    assert.equal(h.discards.length, 3);
  });

  it('at max_partial_lines label sets held, passes every held line on as it is', () => {
    const h = run(
      '- cri: {max_partial_lines: 3}',
      {
        line: '2019-05-07T18:57:50.904275087+00:00 stdout P partial line 1 ',
        labels: { label1: 'val1', label2: 'val2' },
      },
      {
        line: '2019-05-07T18:57:50.904275087+00:00 stdout P partial line 2 ',
        labels: { label1: 'val1' },
      },
      {
        line: '2019-05-07T18:57:50.904275087+00:00 stdout P partial line 3 ',
        labels: { label1: 'val1', label2: 'val2' },
      },
      {
        line: '2019-05-07T18:57:50.904275087+00:00 stdout P partial line 4 ',
        labels: { label1: 'val3' },
      },
      {
        line: '2019-05-07T18:57:50.904275087+00:00 stdout P partial line 5 ',
        labels: { label1: 'val4' },
      },
      {
        line: '2019-05-07T18:57:55.904275087+00:00 stdout F log finished',
        labels: { label1: 'val1', label2: 'val2' },
      },
      {
        line: '2019-05-07T18:57:55.904275087+00:00 stdout F another full log',
        labels: { label1: 'val3' },
      },
      {
        line: '2019-05-07T18:57:55.904275087+00:00 stdout F yet an another full log',
        labels: { label1: 'val4' },
      },
    );
    assert.deepEqual(
      new Set(h.lines()),
      new Set([
        'partial line 1 partial line 3 ',
        'partial line 2 ',
        'partial line 4 ',
        'log finished',
        'another full log',
        'partial line 5 yet an another full log',
      ]),
    );
    assert.ok(
      h.logs.some((l) => l.startsWith('warn: cri stage: partial lines upperbound exceeded')),
    );
  });

  it('cuts held partial lines to max_partial_line_size bytes when asked', () => {
    const h = run(
      '- cri: {max_partial_line_size: 11, max_partial_line_size_truncate: true}',
      {
        line: '2019-05-07T18:57:50.904275087+00:00 stdout P partial line 1 ',
        labels: { foo: 'bar' },
      },
      { line: '2019-05-07T18:57:50.904275087+00:00 stdout P partial', labels: { foo: 'bar2' } },
      { line: '2019-05-07T18:57:55.904275087+00:00 stdout F log finished', labels: { foo: 'bar' } },
      { line: '2019-05-07T18:57:55.904275087+00:00 stdout F full', labels: { foo: 'bar2' } },
    );
    assert.deepEqual(h.lines(), ['partial lin', 'partialfull']);
  });

  it('passes on partial lines still held when the runner stops', () => {
    const h = run(CRI, '2019-05-07T18:57:50.904275087+00:00 stdout P never finished');
    assert.deepEqual(h.lines(), ['never finished']);
  });

  it('refuses settings Promtail does not have, and truncation to nothing', () => {
    assert.equal(
      configError('- cri: {max_partial_line: 3}').path,
      `${'logs.configs[0].scrape_configs[0].pipeline_stages'}[0].cri.max_partial_line`,
    );
    const err = configError('- cri: {max_partial_line_size_truncate: true}');
    assert.match(err.message, /pipeline_stages\[0\]\.cri\.max_partial_line_size: is 0/);
    assert.match(
      configError('- cri: {max_partial_lines: -1}').message,
      /cri\.max_partial_lines: must be a whole number/,
    );
  });
});

describe('docker stage', () => {
  const raw =
    '{"log":"level=info ts=2019-04-30T02:12:41.844179Z caller=filetargetmanager.go:180 msg=\\"Adding target\\"\\n","stream":"stderr","time":"2019-04-30T02:12:41.8443515Z"}';

  it('reads the documented line: log as the line (with its newline), stream label, time', () => {
    const e = runOne('- docker: {}', raw);
    assert.equal(
      e.line,
      'level=info ts=2019-04-30T02:12:41.844179Z caller=filetargetmanager.go:180 msg="Adding target"\n',
    );
    assert.deepEqual(e.labels, { stream: 'stderr' });
    assert.equal(e.timestampNs, isoNs('2019-04-30T02:12:41.8443515Z'));
    assert.equal(e.extracted['output'], e.line);
    assert.equal(e.extracted['timestamp'], '2019-04-30T02:12:41.8443515Z');
  });

  it('keeps the read time for a time it cannot read, when no earlier line had one', () => {
    const e = runOne('- docker:', {
      line: '{"log":"log message\\n","stream":"stderr","time":"hi!"}',
      timestampNs: 7n,
    });
    assert.equal(e.line, 'log message\n');
    assert.equal(e.timestampNs, 7n);
    assert.equal(e.labels['stream'], 'stderr');
  });

  it('fudges a bad time to the last good one plus 1ns, as Promtail does', () => {
    const h = run('- docker: {}', raw, '{"log":"next\\n","stream":"stderr","time":"hi!"}');
    assert.equal(h.outputs[1]!.timestampNs, isoNs('2019-04-30T02:12:41.8443515Z') + 1n);
  });

  it('passes a line that is not JSON on as it is', () => {
    const e = runOne('- docker: {}', { line: 'i am not json', timestampNs: 5n });
    assert.equal(e.line, 'i am not json');
    assert.deepEqual(e.labels, {});
  });

  it('takes no settings', () => {
    assert.match(
      configError('- docker: {format: json}').message,
      /pipeline_stages\[0\]\.docker\.format: is not a setting of the docker stage/,
    );
  });
});
