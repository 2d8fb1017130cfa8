/** Shared by the tailer tests: a temp dir, a tailer whose lines and events are collected, waiting with a deadline. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTailer, type FileTailerOptions } from '../../../src/sources/tail/file-tailer.js';
import type { ReadLine, TailEvent } from '../../../src/sources/tail/types.js';

export async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'signet-tail-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface Collected {
  readonly tailer: FileTailer;
  readonly lines: ReadLine[];
  readonly events: TailEvent[];
  readonly texts: () => string[];
  readonly count: (kind: TailEvent['kind']) => number;
  readonly read: { bytes: number; lines: number };
}

export function collectTail(
  options: Partial<FileTailerOptions> & { path: string },
  t?: { after: (fn: () => Promise<void>) => void },
): Collected {
  const lines: ReadLine[] = [];
  const events: TailEvent[] = [];
  const read = { bytes: 0, lines: 0 };
  const tailer = new FileTailer({
    startOffset: 0,
    maxLineSize: 0,
    truncateLongLines: false,
    pollMinMs: 10,
    pollMaxMs: 50,
    rotateWaitMs: 300,
    onLines: (batch) => {
      lines.push(...batch);
    },
    onEvent: (event) => events.push(event),
    onRead: (bytes, count) => {
      read.bytes += bytes;
      read.lines += count;
    },
    ...options,
  });
  t?.after(() => tailer.stop());
  return {
    tailer,
    lines,
    events,
    read,
    texts: () => lines.map((l) => l.line),
    count: (kind) => events.filter((e) => e.kind === kind).length,
  };
}

export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const delay = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
