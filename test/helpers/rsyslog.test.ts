/**
 * The rsyslog/logrotate peer the logs interop tests rely on: real rsyslogd
 * writes the numbered messages in order, and logrotate leaves the files each
 * rotation style is known for (checked by inode, not by the helper's word).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { RsyslogPeer, messageText, seqOf } from './rsyslog.js';

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
const inode = (path: string) => statSync(path).ino;

describe('rsyslog peer', () => {
  it('messageText and seqOf agree, and seqOf finds the number inside a longer line', () => {
    assert.equal(seqOf(messageText(42)), 42);
    assert.equal(seqOf(`2026-12-03T10:00:00+00:00 ${messageText(7, 'x')}`), 7);
    assert.equal(seqOf('no number here'), undefined);
  });

  describe('writing', () => {
    let peer: RsyslogPeer;
    before(async () => (peer = await RsyslogPeer.start()));
    after(() => peer.stop());

    it('writes every message once, in order, as "<RFC 3339 time> <message>"', async () => {
      await peer.send(1, 2000, { batch: 250 });
      await peer.waitForWritten(2000);
      assert.deepEqual(peer.files(), [peer.file]);
      assert.deepEqual(peer.written(), range(1, 2000));
      const first = readFileSync(peer.file, 'utf8').split('\n')[0]!;
      assert.match(first, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) seq=00000001 /);
    });
  });

  describe('rotation with create', () => {
    let peer: RsyslogPeer;
    before(async () => (peer = await RsyslogPeer.start()));
    after(() => peer.stop());

    it('renames the file, shifts older copies, and rsyslogd reopens a new file after SIGHUP', async () => {
      await peer.send(1, 100);
      await peer.waitForWritten(100);
      const firstInode = inode(peer.file);
      await peer.rotate('create');
      assert.equal(inode(`${peer.file}.1`), firstInode, 'the old file was renamed, not copied');
      await peer.send(101, 100);
      await peer.waitForWritten(200);
      const secondInode = inode(peer.file);
      assert.notEqual(secondInode, firstInode);
      await peer.rotate('create');
      await peer.send(201, 100);
      await peer.waitForWritten(300);

      assert.deepEqual(peer.files(), [`${peer.file}.2`, `${peer.file}.1`, peer.file]);
      assert.equal(inode(`${peer.file}.2`), firstInode);
      assert.equal(inode(`${peer.file}.1`), secondInode);
      assert.deepEqual(RsyslogPeer.seqsIn(`${peer.file}.2`), range(1, 100));
      assert.deepEqual(RsyslogPeer.seqsIn(`${peer.file}.1`), range(101, 200));
      assert.deepEqual(RsyslogPeer.seqsIn(peer.file), range(201, 300));
      assert.equal(peer.rotated, 2);
    });
  });

  describe('rotation with copytruncate', () => {
    let peer: RsyslogPeer;
    before(async () => (peer = await RsyslogPeer.start()));
    after(() => peer.stop());

    it('copies the file and truncates it in place; rsyslogd goes on writing from offset 0', async () => {
      await peer.send(1, 100);
      await peer.waitForWritten(100);
      const theInode = inode(peer.file);
      const sizeBefore = statSync(peer.file).size;
      await peer.rotate('copytruncate');
      assert.equal(inode(peer.file), theInode, 'the same file, truncated');
      assert.equal(statSync(peer.file).size, 0);
      assert.equal(statSync(`${peer.file}.1`).size, sizeBefore);
      assert.notEqual(inode(`${peer.file}.1`), theInode);
      await peer.send(101, 100);
      await peer.waitForWritten(200);
      await peer.rotate('copytruncate');
      await peer.send(201, 50);
      await peer.waitForWritten(250);

      assert.deepEqual(peer.files(), [`${peer.file}.2`, `${peer.file}.1`, peer.file]);
      assert.equal(inode(peer.file), theInode);
      assert.deepEqual(RsyslogPeer.seqsIn(`${peer.file}.2`), range(1, 100));
      assert.deepEqual(RsyslogPeer.seqsIn(`${peer.file}.1`), range(101, 200));
      assert.deepEqual(RsyslogPeer.seqsIn(peer.file), range(201, 250));
      // Written in append mode: no hole of NUL bytes where the old content was.
      assert.equal(readFileSync(peer.file).indexOf(0), -1);
    });
  });

  it('stop ends rsyslogd and removes its temp dir', async () => {
    const peer = await RsyslogPeer.start({ name: 'other' });
    assert.ok(peer.file.endsWith('/logs/other.log'));
    const pid = peer.pid;
    await peer.stop();
    assert.equal(existsSync(peer.root), false);
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
  });
});
