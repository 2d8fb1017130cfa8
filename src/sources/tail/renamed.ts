/**
 * The file a saved position belongs to, found again after it was renamed
 * while Signet was not running (a rotation during a restart or a crash): a
 * file beside the path with the saved device and inode. Reading it from the
 * saved offset to its end before the new file at the path means the lines
 * written between the last saved position and the rotation are not lost,
 * where Promtail (which knows files only by path) skips them.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { sameIdentity, type FileIdentity } from './types.js';

export interface RenamedFile {
  readonly path: string;
  readonly size: number;
}

/** The sibling of `path` that is the file `identity`, when it still holds bytes past `offset`. */
export async function findRenamed(
  path: string,
  identity: FileIdentity,
  offset: number,
): Promise<RenamedFile | undefined> {
  const dir = dirname(path);
  const own = basename(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    if (name === own) continue;
    const candidate = join(dir, name);
    try {
      const stats = await stat(candidate);
      if (!stats.isFile() || !sameIdentity(identity, { dev: stats.dev, ino: stats.ino })) continue;
      return stats.size > offset ? { path: candidate, size: stats.size } : undefined;
    } catch {
      // Gone since readdir, or unreadable: not the file.
    }
  }
  return undefined;
}
