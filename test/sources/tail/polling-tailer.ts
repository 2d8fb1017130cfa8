/**
 * A small real-file tailer for the manager's tests, with FileTailer's shape
 * (tailer-contract.ts): it polls the path, reads whole lines from its offset,
 * drains a file renamed away before opening the new one at the path
 * (generation + 1), and reads a truncated file again from 0 (generation + 1).
 * No encodings, no long-line limits: those are the real tailer's.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import type {
  FileIdentity,
  ReadLine,
  Tailer,
  TailerOptions,
} from '../../../src/sources/tail/tailer-contract.js';

export class PollingTailer implements Tailer {
  identity: FileIdentity | undefined;
  size = 0;
  readOffset: number;
  generation = 0;
  private handle: FileHandle | undefined;
  private pending = Buffer.alloc(0);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: TailerOptions) {
    this.readOffset = options.startOffset;
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running;
    await this.handle?.close();
    this.handle = undefined;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.poll()
        .catch(() => {})
        .finally(() => this.schedule(this.options.pollMinMs));
    }, ms);
  }

  private async poll(): Promise<void> {
    if (this.handle === undefined && !(await this.openPath(true))) return;
    await this.readToEnd();
    const now = await stat(this.options.path).catch(() => undefined);
    if (now === undefined) return; // deleted or between rename and create: keep the old file
    if (now.ino !== this.identity!.ino || now.dev !== this.identity!.dev) {
      await this.readToEnd(); // drain what was written before the rename
      await this.handle!.close();
      this.handle = undefined;
      this.generation++;
      this.readOffset = 0;
      this.pending = Buffer.alloc(0);
      if (await this.openPath(false)) await this.readToEnd();
    } else if (now.size < this.readOffset) {
      this.generation++;
      this.readOffset = 0;
      this.pending = Buffer.alloc(0);
      await this.readToEnd();
    }
  }

  private async openPath(first: boolean): Promise<boolean> {
    let handle: FileHandle;
    try {
      handle = await open(this.options.path, 'r');
    } catch {
      return false;
    }
    const info = await handle.stat();
    this.handle = handle;
    this.identity = { dev: info.dev, ino: info.ino };
    this.size = info.size;
    if (first) {
      const expected = this.options.expectIdentity;
      const other =
        expected !== undefined && (expected.dev !== info.dev || expected.ino !== info.ino);
      if (other || info.size < this.readOffset) this.readOffset = 0;
    }
    return true;
  }

  private async readToEnd(): Promise<void> {
    const handle = this.handle!;
    for (;;) {
      if (this.stopped) return;
      const buffer = Buffer.alloc(64 * 1024);
      const start = this.readOffset + this.pending.length;
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
      this.size = Math.max(this.size, start + bytesRead);
      if (bytesRead === 0) return;
      this.options.onRead?.(bytesRead, 0);
      const data = Buffer.concat([this.pending, buffer.subarray(0, bytesRead)]);
      const lines: ReadLine[] = [];
      let from = 0;
      for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10, from)) {
        lines.push({
          line: data.toString('utf8', from, nl),
          start: this.readOffset + from,
          end: this.readOffset + nl + 1,
          generation: this.generation,
          identity: this.identity!,
        });
        from = nl + 1;
      }
      this.pending = data.subarray(from);
      if (lines.length > 0) {
        this.readOffset = lines[lines.length - 1]!.end;
        await this.options.onLines(lines);
      }
    }
  }
}
