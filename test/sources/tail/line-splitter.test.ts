/**
 * The splitter gives the same lines and offsets however the bytes are cut into
 * reads: one byte at a time, odd sizes that split UTF-16 code units, or whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, type NewlineShape } from '../../../src/sources/tail/line-splitter.js';

function split(
  bytes: Buffer,
  sizes: number[],
  newline: NewlineShape,
  maxLineSize = 0,
  truncate = true,
) {
  const splitter = new LineSplitter({
    startOffset: 0,
    continuation: false,
    maxLineSize,
    truncateLongLines: truncate,
    newline,
  });
  const out: string[] = [];
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] as number;
    const result = splitter.push(bytes.subarray(at, at + size));
    at += size;
    for (const l of result.lines)
      out.push(`${l.start}-${l.end}:${l.bytes.toString('hex')}:${l.shape}`);
    for (const d of result.dropped) out.push(`${d.start}-${d.end}:dropped ${d.length}`);
  }
  for (const l of splitter.flush(true).lines)
    out.push(`${l.start}-${l.end}:${l.bytes.toString('hex')}:${l.shape}`);
  return out;
}

test('line splitter: the same lines for every way of cutting the reads', () => {
  const cases: [Buffer, NewlineShape][] = [
    [Buffer.from('a\nbb\n\nccc\r\nno newline'), 'byte'],
    [Buffer.from('ਊx\n\ny\u0a00z\nend', 'utf16le'), 'utf-16le'],
    [Buffer.from('ਊx\n\ny\u0a00z\nend', 'utf16le').swap16(), 'utf-16be'],
  ];
  for (const [bytes, newline] of cases) {
    const whole = split(bytes, [bytes.length], newline);
    for (const sizes of [[1], [3], [2, 5], [7, 1, 4]]) {
      assert.deepEqual(
        split(bytes, sizes, newline),
        whole,
        `${newline} in reads of ${sizes.join(',')}`,
      );
    }
    for (const limit of [4, 5]) {
      const cutWhole = split(bytes, [bytes.length], newline, limit);
      assert.deepEqual(split(bytes, [1], newline, limit), cutWhole, `${newline} cut at ${limit}`);
      assert.deepEqual(
        split(bytes, [3], newline, limit, false),
        split(bytes, [bytes.length], newline, limit, false),
      );
    }
  }
  assert.deepEqual(split(Buffer.from('a\nbb\n\nccc\r\nno newline'), [4], 'byte'), [
    '0-2:61:whole',
    '2-5:6262:whole',
    '5-6::whole',
    '6-11:6363630d:whole',
    '11-21:6e6f206e65776c696e65:partial',
  ]);
  // U+0A0A and U+000A-looking bytes inside characters are not newlines in UTF-16.
  assert.equal(split(cases[1]![0], [1], 'utf-16le').length, 4);
  assert.deepEqual(split(Buffer.from('abcdefgh\nxy\n'), [3], 'byte', 4), [
    '0-9:61626364:cut',
    '9-12:7879:whole',
  ]);
  assert.deepEqual(split(Buffer.from('abcdefgh\nxy\n'), [3], 'byte', 4, false), [
    '0-9:dropped 8',
    '9-12:7879:whole',
  ]);
});

test('line splitter: a 50 MB line over the limit keeps only the limit in memory; with no limit, all of it', () => {
  const chunk = Buffer.alloc(64 * 1024, 0x78);
  const run = (maxLineSize: number): { growth: number; length: number } => {
    const splitter = new LineSplitter({
      startOffset: 0,
      continuation: false,
      maxLineSize,
      truncateLongLines: true,
      newline: 'byte',
    });
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 800; i++) splitter.push(chunk);
    const growth = process.memoryUsage().arrayBuffers - before;
    const [line] = splitter.push(Buffer.from('\n')).lines;
    return { growth, length: line?.bytes.length ?? -1 };
  };
  const cut = run(1024);
  assert.equal(cut.length, 1024);
  assert.ok(cut.growth < 4 * 1024 * 1024, `held ${cut.growth} bytes for a cut line`);
  const whole = run(0);
  assert.equal(whole.length, 800 * 64 * 1024);
});
