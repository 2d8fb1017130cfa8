/**
 * Finds the copy logrotate's `copytruncate` made of a file before truncating
 * it: a sibling such as `<name>.1`, `<name>-20240101` or `<stem>-20240101.log`,
 * not compressed, whose first bytes are the ones the tailer saw at the start
 * of the truncated generation. The tailer reads it from where it had got to,
 * so a tailer that was behind loses nothing the copy holds.
 */
import { readSync } from 'node:fs';
import { open, readdir, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { sameIdentity, type FileIdentity } from './types.js';

export interface RotatedCopy {
  readonly path: string;
  readonly handle: FileHandle;
  readonly identity: FileIdentity;
  readonly size: number;
}

const compressedExtensions = new Set(['.gz', '.z', '.bz2', '.xz', '.zst', '.lz4', '.zip', '.lzma']);

/** Sibling names a rotation of `name` may have. */
export function isRotatedSiblingName(name: string, candidate: string): boolean {
  if (candidate === name) return false;
  if (compressedExtensions.has(extname(candidate).toLowerCase())) return false;
  const stem = name.slice(0, name.length - extname(name).length);
  const prefixes = [`${name}.`, `${name}-`, `${name}_`];
  if (stem.length > 0 && stem !== name) prefixes.push(`${stem}.`, `${stem}-`, `${stem}_`);
  return prefixes.some((prefix) => candidate.startsWith(prefix));
}

/** Reads up to `length` bytes from the start of a file. */
export async function readHead(handle: FileHandle, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** readHead without the threadpool, for the check made after every chunk read. */
export function readHeadSync(handle: FileHandle, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const bytesRead = readSync(handle.fd, buffer, filled, length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/**
 * The newest sibling at least `minSize` long starting with `fingerprint`, not
 * one of `exclude` (files the tailer already holds). The caller owns the handle.
 */
export async function findRotatedCopy(
  path: string,
  fingerprint: Buffer,
  minSize: number,
  exclude: readonly FileIdentity[],
): Promise<RotatedCopy | undefined> {
  const dir = dirname(path);
  const name = basename(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  let best: (RotatedCopy & { mtimeMs: number }) | undefined;
  for (const candidate of names) {
    if (!isRotatedSiblingName(name, candidate)) continue;
    const candidatePath = join(dir, candidate);
    let handle: FileHandle | undefined;
    try {
      handle = await open(candidatePath, 'r');
      const stats = await handle.stat();
      const identity = { dev: stats.dev, ino: stats.ino };
      // A copy shorter than the fingerprint is compared on its length: the fingerprint
      // may have grown from bytes written between logrotate's copy and its truncate.
      const compared = Math.min(fingerprint.length, stats.size);
      const fits =
        stats.isFile() &&
        stats.size >= minSize &&
        compared > 0 &&
        !exclude.some((held) => sameIdentity(held, identity)) &&
        (best === undefined || stats.mtimeMs > best.mtimeMs) &&
        (await readHead(handle, compared)).equals(fingerprint.subarray(0, compared));
      if (fits) {
        await best?.handle.close();
        best = { path: candidatePath, handle, identity, size: stats.size, mtimeMs: stats.mtimeMs };
        handle = undefined;
      }
    } catch {
      // Gone or unreadable between listing and opening: not the copy.
    } finally {
      await handle?.close();
    }
  }
  if (!best) return undefined;
  return { path: best.path, handle: best.handle, identity: best.identity, size: best.size };
}

/** The copy, only when it holds bytes past `from` (a tailer that was not behind needs none). */
export async function findUnreadCopy(
  path: string,
  fingerprint: Buffer,
  from: number,
  exclude: readonly FileIdentity[],
): Promise<RotatedCopy | undefined> {
  if (fingerprint.length === 0) return undefined;
  const copy = await findRotatedCopy(path, fingerprint, from, exclude);
  if (copy && copy.size <= from) {
    await copy.handle.close();
    return undefined;
  }
  return copy;
}
