/** The segment files of a WAL directory, oldest first. Other files there are not ours to touch. */
import { close as closeCb, fsync as fsyncCb, readdirSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from './errors.js';
import { parseSegmentFileName, segmentFileName } from './format.js';

function numbers(names: readonly string[]): number[] {
  const out: number[] = [];
  for (const name of names) {
    const n = parseSegmentFileName(name);
    if (n !== undefined) out.push(n);
  }
  return out.sort((a, b) => a - b);
}

/** Segment numbers in `dir`, ascending; none if the directory does not exist. */
export async function listSegments(dir: string): Promise<number[]> {
  try {
    return numbers(await readdir(dir));
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
}

export function listSegmentsSync(dir: string): number[] {
  try {
    return numbers(readdirSync(dir));
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
}

export function segmentPath(dir: string, segment: number): string {
  return join(dir, segmentFileName(segment));
}

/** fsync then close, off the event loop; the close happens even if the fsync fails. */
export function syncAndClose(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fsyncCb(fd, (syncErr) => {
      closeCb(fd, (closeErr) => {
        const err = syncErr ?? closeErr;
        if (err) reject(err);
        else resolve();
      });
    });
  });
}

/** undefined if the file is gone. */
export async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

export function sizeOfSync(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}
