import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExpositionError,
  parseExposition,
  parseExpositionBytes,
  type ParseSink,
} from '../../../../src/sources/scrape/parse/index.js';

function collect(run: (sink: ParseSink) => void): string[] {
  const out: string[] = [];
  run({
    sample: (text, value, ts) => out.push(`${text} ${value} ${ts ?? '-'}`),
    metadata: (name, kind, text) => out.push(`# ${kind} ${name} ${text}`),
  });
  return out;
}

/** A text-format page of about `bytes` bytes, with multi-byte UTF-8, CRLF lines and comments. */
function page(bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line =
      i % 50 === 0
        ? `# HELP m_${i} Größe ☃ ${i}\n# TYPE m_${i} gauge\n`
        : `m_${i - (i % 50)}{path="/é/${i}",le="${i % 7}"} ${i * 1.5}${i % 3 === 0 ? ' 1700000000000' : ''}${i % 11 === 0 ? '\r\n' : '\n'}`;
    lines.push(line);
    size += Buffer.byteLength(line);
  }
  return lines.join('');
}

test('a large text body parsed from bytes a run of lines at a time gives exactly the whole-string result', () => {
  for (const size of [1000, 64 * 1024, 300 * 1024]) {
    const text = page(size);
    const whole = collect((sink) => parseExposition(text, 'prometheus-text', sink));
    const chunked = collect((sink) =>
      parseExpositionBytes(Buffer.from(text, 'utf8'), 'prometheus-text', sink),
    );
    assert.equal(chunked.length, whole.length);
    assert.deepEqual(chunked, whole);
  }
  // No final newline, and a single line longer than a run.
  const long = `huge{v="${'x'.repeat(100_000)}"} 1\nafter 2`;
  assert.deepEqual(
    collect((sink) => parseExpositionBytes(Buffer.from(long), 'prometheus-text', sink)).map((l) =>
      l.slice(-12),
    ),
    [collect((sink) => parseExposition(long, 'prometheus-text', sink))[0]!.slice(-12), 'after 2 -'],
  );
});

test('an error deep in a large body names its line in the whole body', () => {
  const good = page(200 * 1024);
  const goodLines = good.split('\n').length - 1;
  const body = Buffer.from(`${good}bad_metric{x="1"} not_a_number\n`, 'utf8');
  assert.throws(
    () => parseExpositionBytes(body, 'prometheus-text', { sample: () => {} }),
    (e: unknown) => {
      assert.ok(e instanceof ExpositionError);
      assert.equal(e.line, goodLines + 1);
      assert.match(e.message, new RegExp(`^line ${goodLines + 1}:\\d+: .*bad_metric`));
      return true;
    },
  );
});

test('a large OpenMetrics body is parsed from bytes a run of lines at a time too, # EOF only at its end', () => {
  const lines: string[] = [];
  for (let i = 0; i < 8000; i++) {
    if (i % 100 === 0) lines.push(`# TYPE m_${i} gauge\n# HELP m_${i} Größe ☃ ${i}\n`);
    lines.push(
      `m_${i - (i % 100)}{path="/é/${i}"} ${i * 1.5}${i % 3 === 0 ? ' 1700000000.5' : ''}\n`,
    );
  }
  const text = `${lines.join('')}# EOF\n`;
  assert.ok(Buffer.byteLength(text) > 3 * 64 * 1024);
  const whole = collect((sink) => parseExposition(text, 'openmetrics', sink));
  const chunked = collect((sink) =>
    parseExpositionBytes(Buffer.from(text, 'utf8'), 'openmetrics', sink),
  );
  assert.equal(chunked.length, 8000 + 160);
  assert.deepEqual(chunked, whole);
  // No # EOF at the end; a # EOF in the middle with lines after it.
  const missing = Buffer.from(text.slice(0, -'# EOF\n'.length));
  assert.throws(
    () => parseExpositionBytes(missing, 'openmetrics', { sample: () => {} }),
    (e: unknown) => e instanceof ExpositionError && /does not end with # EOF/.test(e.message),
  );
  const cut = lines.slice(0, 4000).join('').length;
  const early = Buffer.from(`${text.slice(0, cut)}# EOF\n${text.slice(cut)}`);
  const eofLine = text.slice(0, cut).split('\n').length;
  assert.throws(
    () => parseExpositionBytes(early, 'openmetrics', { sample: () => {} }),
    (e: unknown) =>
      e instanceof ExpositionError &&
      /unexpected data after # EOF/.test(e.message) &&
      e.line === eofLine + 1,
  );
});
