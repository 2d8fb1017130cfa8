/** Finding copytruncate's copy among a real directory's siblings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { findRotatedCopy, findUnreadCopy } from '../../../src/sources/tail/rotated-copy.js';
import { tempDir } from './helpers.js';

test('rotated copy: the newest uncompressed sibling with the same first bytes, long enough, not held', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'app.log');
  const content = 'generation two, line 1\ngeneration two, line 2\n';
  await writeFile(path, '');
  await writeFile(join(dir, 'app.log.2'), 'generation one, line 1\n');
  await writeFile(join(dir, 'app.log.1.gz'), gzipSync(content));
  await writeFile(join(dir, 'app.log-20240101'), content);
  await writeFile(join(dir, 'app.log.1'), content);
  await writeFile(join(dir, 'other.log.1'), content);
  const old = new Date(Date.now() - 60_000);
  await utimes(join(dir, 'app.log-20240101'), old, old);
  const fingerprint = Buffer.from(content.slice(0, 30));

  const copy = await findRotatedCopy(path, fingerprint, 10, []);
  assert.equal(copy?.path, join(dir, 'app.log.1'), 'the newest match');
  await copy?.handle.close();

  const held = await stat(join(dir, 'app.log.1'));
  const other = await findRotatedCopy(path, fingerprint, 10, [{ dev: held.dev, ino: held.ino }]);
  assert.equal(other?.path, join(dir, 'app.log-20240101'), 'a held file is never the copy');
  await other?.handle.close();

  assert.equal(await findRotatedCopy(path, fingerprint, 1000, []), undefined, 'too short');
  assert.equal(await findRotatedCopy(path, Buffer.from('nothing like it'), 0, []), undefined);
  // A fingerprint longer than the copy (grown in logrotate's copy-to-truncate window).
  const longer = Buffer.from(`${content}written after the copy\n`);
  const short = await findRotatedCopy(path, longer, content.length, []);
  assert.equal(short?.size, content.length);
  await short?.handle.close();
  // Not behind: a copy with nothing past the read offset is not worth reading.
  assert.equal(await findUnreadCopy(path, fingerprint, content.length, []), undefined);
});
