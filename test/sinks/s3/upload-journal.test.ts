/**
 * The S3 client's upload journal: what one run records is what the next run
 * reads as left over, and a missing or damaged file means nothing to abort.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { UploadJournal } from '../../../src/sinks/s3/upload-journal.js';

const dir = mkdtempSync(join(tmpdir(), 'signet-journal-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}.tmp`, { force: true });
});

test('uploads begun and not ended are the next run’s leftovers; ended ones are not', async () => {
  const path = join(dir, 'sub', 'a.json');
  const first = new UploadJournal(path);
  assert.deepEqual(first.leftovers, []);
  await first.begin('k/1.log', 'u1');
  await first.begin('k/2.log', 'u2');
  await first.end('u1');
  const second = new UploadJournal(path);
  assert.deepEqual(second.leftovers, [{ key: 'k/2.log', uploadId: 'u2' }]);
  // A leftover stays recorded until it is ended (aborted), even as new uploads come and go.
  await second.begin('k/3.log', 'u3');
  await second.end('u3');
  assert.deepEqual(new UploadJournal(path).leftovers, [{ key: 'k/2.log', uploadId: 'u2' }]);
  await second.end('u2');
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { uploads: [] });
});

test('a damaged journal means nothing to abort, and a write that fails is reported, not thrown', async () => {
  const damaged = join(dir, 'damaged.json');
  writeFileSync(damaged, '{"uploads": [{"key": 1}, {"key": "x", "uploadId": "y"}');
  assert.deepEqual(new UploadJournal(damaged).leftovers, []);
  writeFileSync(damaged, '{"uploads": [{"key": 1}, {"key": "x", "uploadId": "y"}]}');
  assert.deepEqual(new UploadJournal(damaged).leftovers, [{ key: 'x', uploadId: 'y' }]);
  const errors: Error[] = [];
  // A directory where the file should be: the write fails.
  const blocked = new UploadJournal(dir, (e) => errors.push(e));
  await blocked.begin('k', 'u');
  assert.equal(errors.length, 1);
});
