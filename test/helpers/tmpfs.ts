/**
 * A small tmpfs to fill up, for tests of what a full disk does: mounted where
 * the machine allows it (root), else the test is skipped saying why.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { tempDir } from '../agent/harness.js';

/** Writes into `path` until the filesystem says ENOSPC: not one free page is left. */
export function fillUp(path: string): void {
  const fd = openSync(path, 'w');
  try {
    for (const chunk of [65536, 4096, 1]) {
      const buf = Buffer.alloc(chunk, 7);
      for (;;) {
        try {
          writeSync(fd, buf);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** A 1 MiB tmpfs, or undefined (the test skipped) where mounting is not allowed. */
export function mountTmpfs(t: TestContext): { path: string; unmount(): void } | undefined {
  const mnt = tempDir('signet-agent-tmpfs-');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt.path]);
  if (mounted.status === 0)
    return {
      path: mnt.path,
      unmount: () => {
        let u = spawnSync('umount', [mnt.path]);
        // A child that just exited can keep it busy for a moment; detaching it
        // (lazy) still leaves no mount behind, which is what must not fail.
        if (u.status !== 0) u = spawnSync('umount', ['-l', mnt.path]);
        mnt.remove();
        assert.equal(u.status, 0, `umount: ${String(u.stderr)}`);
      },
    };
  mnt.remove();
  t.skip(
    `cannot mount a tmpfs here (${String(mounted.stderr).trim() || 'needs root'}); ` +
      'the RLIMIT_FSIZE test covers the agent-level failure path with EFBIG instead',
  );
  return undefined;
}
