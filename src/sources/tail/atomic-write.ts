/**
 * Replaces a file so that a crash at any moment leaves either the old or the
 * new complete content, never a mix or an empty file: the content goes to a
 * temporary file in the same directory (a rename is only atomic within one
 * file system), is fsynced, renamed over the target, and the directory is
 * fsynced so the rename itself survives a power loss. This is what
 * Promtail's positions writer does (google/renameio).
 */
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Permission bits of the new file; Promtail writes positions with 0600. */
  readonly mode?: number;
}

export async function writeFileAtomic(
  file: string,
  content: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'w', options.mode ?? 0o600);
  try {
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
  await syncDirectory(dir);
}

/** fsync of a directory makes a rename in it durable; some file systems refuse it, which is harmless. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EINVAL/EPERM on file systems without directory fsync: the rename is still atomic.
  } finally {
    await handle?.close();
  }
}
