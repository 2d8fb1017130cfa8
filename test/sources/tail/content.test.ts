/**
 * What the tailer makes of the bytes: encodings, compressed archives, long
 * lines cut or dropped, invalid UTF-8 and binary files, and back-pressure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { FileTailer } from '../../../src/sources/tail/file-tailer.js';
import { TailEncodingError } from '../../../src/sources/tail/line-decoder.js';
import { collectTail, delay, tempDir, waitFor } from './helpers.js';

test('tailer: utf-16le (with BOM, CRLF, a newline byte inside a character) and iso-8859-1', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'windows.log');
  // U+0A0A (GURMUKHI) is 0a 0a in UTF-16LE: not a newline.
  const text = 'héllo\r\nਊ wörld\n日本\n';
  await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  const c = collectTail({ path, encoding: 'UTF-16LE' }, t);
  c.tailer.start();
  await waitFor(() => c.lines.length === 3, 'three utf-16 lines');
  assert.deepEqual(c.texts(), ['héllo', 'ਊ wörld', '日本']);
  assert.equal(c.lines[0]?.start, 0);
  assert.equal(c.lines[1]?.start, 2 + 7 * 2);

  const latin = join(dir, 'latin.log');
  await writeFile(latin, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a, 0xa9, 0x0a]));
  const l = collectTail({ path: latin, encoding: 'iso-8859-1' }, t);
  l.tailer.start();
  await waitFor(() => l.lines.length === 2, 'two latin-1 lines');
  assert.deepEqual(l.texts(), ['café', '©']);
  assert.equal(l.count('decodeError'), 0);

  const sjis = join(dir, 'sjis.log');
  await writeFile(sjis, Buffer.from([0x93, 0xfa, 0x96, 0x7b, 0x0a]));
  const s = collectTail({ path: sjis, encoding: 'shift_jis' }, t);
  s.tailer.start();
  await waitFor(() => s.lines.length === 1, 'a shift_jis line');
  assert.deepEqual(s.texts(), ['日本']);

  assert.throws(
    () => collectTail({ path, encoding: 'klingon-8' }),
    (error: unknown) =>
      error instanceof TailEncodingError && /klingon-8/.test(error.message) && !!error.hint,
  );
});

test('tailer: gz and z (zlib deflate) archives read once, offsets uncompressed, resumable', async (t) => {
  const dir = await tempDir(t);
  const lines = Array.from({ length: 5000 }, (_, i) => `archived ${i}`);
  const plain = Buffer.from(`${lines.join('\n')}\nlast without newline`);
  await writeFile(join(dir, 'a.log.gz'), gzipSync(plain));
  await writeFile(join(dir, 'a.log.z'), deflateSync(plain));
  for (const format of ['gz', 'z'] as const) {
    const c = collectTail(
      { path: join(dir, `a.log.${format}`), decompression: { format, initialDelayMs: 10 } },
      t,
    );
    c.tailer.start();
    await waitFor(() => c.count('reachedEnd') === 1, `the end of the ${format} file`);
    assert.deepEqual(c.texts(), [...lines, 'last without newline']);
    assert.equal(c.lines.at(-1)?.end, plain.length);
    assert.equal(c.read.bytes, plain.length);
    assert.equal(c.tailer.readOffset, plain.length);
  }
  const resumed = collectTail(
    {
      path: join(dir, 'a.log.gz'),
      startOffset: Buffer.byteLength(`${lines.slice(0, 4998).join('\n')}\n`),
      decompression: { format: 'gz', initialDelayMs: 0 },
    },
    t,
  );
  resumed.tailer.start();
  await waitFor(() => resumed.count('reachedEnd') === 1, 'the end of the resumed archive');
  assert.deepEqual(resumed.texts(), ['archived 4998', 'archived 4999', 'last without newline']);
});

test('tailer: a 10 MB line is cut or dropped at max_line_size (counted), or emitted whole with no limit', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'long.log');
  const huge = 'x'.repeat(10 * 1024 * 1024);
  await writeFile(path, `short\n${huge}\né${'y'.repeat(20)}\nafter\n`);

  const cut = collectTail({ path, maxLineSize: 1024, truncateLongLines: true }, t);
  cut.tailer.start();
  await waitFor(() => cut.lines.length === 4, 'four lines, two cut');
  assert.deepEqual(
    cut.lines.map((l) => l.line.length),
    [5, 1024, 21, 5],
  );
  assert.equal(cut.count('lineTruncated'), 0 + 1, 'only the 10 MB line is over 1024 bytes');
  const small = collectTail({ path, maxLineSize: 10, truncateLongLines: true }, t);
  small.tailer.start();
  await waitFor(() => small.lines.length === 4, 'four lines cut at 10 bytes');
  // "é" is two bytes: the cut never splits a character.
  assert.deepEqual(small.texts(), ['short', 'x'.repeat(10), `é${'y'.repeat(8)}`, 'after']);
  assert.equal(small.count('lineTruncated'), 2);

  const drop = collectTail({ path, maxLineSize: 1024, truncateLongLines: false }, t);
  drop.tailer.start();
  await waitFor(() => drop.lines.length === 3, 'the lines under the limit');
  await delay(50);
  assert.deepEqual(drop.texts(), ['short', `é${'y'.repeat(20)}`, 'after']);
  assert.equal(drop.count('lineDropped'), 1);
  assert.equal(drop.tailer.readOffset, (await stat(path)).size);

  const whole = collectTail({ path }, t);
  whole.tailer.start();
  await waitFor(() => whole.lines.length === 4, 'all four lines whole');
  assert.equal(whole.lines[1]?.line, huge);
});

test('tailer: invalid UTF-8 and a binary file never stop it; decode errors counted', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'bad.log');
  await writeFile(
    path,
    Buffer.concat([
      Buffer.from('ok \ufffd literal\n'),
      Buffer.from([0x62, 0xff, 0xc3, 0x0a]),
      Buffer.from('fine\n'),
    ]),
  );
  const c = collectTail({ path }, t);
  c.tailer.start();
  await waitFor(() => c.lines.length === 3, 'three lines');
  assert.deepEqual(c.texts(), ['ok \ufffd literal', 'b\ufffd\ufffd', 'fine']);
  assert.equal(c.count('decodeError'), 1, 'a literal U+FFFD is not a decode error');

  const binary = join(dir, 'core.bin');
  const bytes = Buffer.alloc(3 * 1024 * 1024);
  let seed = 7;
  for (let i = 0; i < bytes.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    bytes[i] = seed >>> 24;
  }
  await writeFile(binary, bytes);
  const b = collectTail(
    { path: binary, maxLineSize: 4096, truncateLongLines: true, partialLineFlushMs: 50 },
    t,
  );
  b.tailer.start();
  await waitFor(() => b.tailer.readOffset === bytes.length, 'the whole binary file');
  const newlines = bytes.filter((x) => x === 0x0a).length;
  assert.equal(b.lines.length, newlines + (bytes.at(-1) === 0x0a ? 0 : 1));
  assert.ok(b.count('decodeError') > newlines / 2, 'random bytes are mostly invalid UTF-8');
});

test('tailer: back-pressure: while onLines blocks, reading stops and memory stays bounded', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'fast.log');
  const line = `${'z'.repeat(99)}\n`;
  await writeFile(path, line.repeat(200_000));
  let release: () => void = () => undefined;
  let blocked = true;
  let received = 0;
  const tailer = new FileTailer({
    path,
    startOffset: 0,
    maxLineSize: 0,
    truncateLongLines: false,
    pollMinMs: 5,
    pollMaxMs: 20,
    readChunkBytes: 64 * 1024,
    onLines: async (lines) => {
      received += lines.length;
      if (blocked) await new Promise<void>((resolve) => (release = resolve));
    },
  });
  t.after(() => tailer.stop());
  tailer.start();
  await waitFor(() => received > 0, 'the first batch');
  const offsetWhileBlocked = tailer.readOffset;
  const receivedWhileBlocked = received;
  for (let i = 0; i < 5; i++) await appendFile(path, line.repeat(10_000));
  await delay(200);
  assert.equal(received, receivedWhileBlocked, 'no more lines while the consumer blocks');
  assert.equal(tailer.readOffset, offsetWhileBlocked);
  assert.ok(receivedWhileBlocked <= (64 * 1024) / 100 + 1, 'one chunk of lines at most');
  blocked = false;
  release();
  await waitFor(() => received === 250_000, 'every line after the release');
});
