/**
 * Writes container logs the way the kubelet lays them out and formats them:
 * `<root>/pods/<namespace>_<pod>_<uid>/<container>/0.log`, each line
 * `<RFC 3339 time with nanoseconds> stdout F <message>` (CRI's log format,
 * `F` for a full line). Lines are written at a fixed total rate spread over
 * the files, catching up on what is due whenever the event loop runs, so the
 * average rate holds even when the process is busy. Each message carries its
 * file's number, a sequence number and the write time in ms (also in the CRI timestamp), which the
 * receiver uses to check order and loss and to measure delay.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface CriFile {
  readonly path: string;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

const LEVELS = ['info', 'info', 'info', 'warn', 'error'] as const;
const PATHS = ['/api/v1/items', '/api/v1/users/42', '/healthz', '/api/v1/orders?page=3'];

/** The pod directories and (empty) log files, created before the agent starts. */
export function createPodFiles(root: string, count: number): CriFile[] {
  return Array.from({ length: count }, (_, i) => {
    const namespace = i % 2 === 0 ? 'default' : 'shop';
    const pod = `web-7d9f8c6b5-${String(i).padStart(5, 'x')}`;
    const uid = `6f1c2d3e-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const container = 'app';
    const dir = join(root, 'pods', `${namespace}_${pod}_${uid}`, container);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, '0.log');
    closeSync(openSync(path, 'a'));
    return { path, namespace, pod, container };
  });
}

/** The glob that finds them, as a DaemonSet config would write it. */
export function podGlob(root: string): string {
  return join(root, 'pods', '*', '*', '*.log');
}

/** `seq=<file>:<n>` and `t=<ms>` as the writer puts them in each message. */
export function parseMarks(
  line: string,
): { file: number; seq: number; writtenMs: number } | undefined {
  const s = line.indexOf('seq=');
  if (s < 0) return undefined;
  const colon = line.indexOf(':', s);
  const space = line.indexOf(' ', colon);
  const t = line.indexOf('t=', space);
  const end = line.indexOf(' ', t);
  return {
    file: Number(line.slice(s + 4, colon)),
    seq: Number(line.slice(colon + 1, space)),
    writtenMs: Number(line.slice(t + 2, end)),
  };
}

/** CRI's timestamp, RFC 3339 in UTC with nanoseconds as the kubelet writes it, built once per tick: `<seconds>.` and the ms digits. */
function criTimePrefix(ms: number): { seconds: string; millis: string } {
  const iso = new Date(ms).toISOString(); // 2026-12-03T10:00:00.123Z
  return { seconds: iso.slice(0, 20), millis: iso.slice(20, 23) };
}

export class CriWriter {
  private readonly fds: number[];
  /** Lines written to each file so far; the next line's sequence number. */
  readonly written: number[];
  private startMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private total = 0;
  private due = 0;

  constructor(
    private readonly files: readonly CriFile[],
    /** Lines a second over all files. */
    private readonly rate: number,
  ) {
    this.fds = files.map((f) => openSync(f.path, 'a'));
    this.written = files.map(() => 0);
  }

  /** Starts writing; every `tickMs` it writes what is due since the start. */
  start(tickMs = 10): void {
    this.startMs = performance.now();
    this.timer = setInterval(() => this.writeDue(), tickMs);
  }

  private writeDue(): void {
    this.due = Math.floor(((performance.now() - this.startMs) * this.rate) / 1000);
    // At most 50 ms worth at once: a starved process falls behind (reported
    // as a lower offered rate) instead of building ever larger bursts.
    const count = Math.min(this.due - this.total, Math.ceil(this.rate / 20));
    if (count <= 0) return;
    const now = Date.now();
    const { seconds, millis } = criTimePrefix(now);
    const perFile = this.files.map(() => [] as string[]);
    // Round robin, so every file gets its share of each tick.
    for (let k = 0; k < count; k++) {
      const f = (this.total + k) % this.files.length;
      const n = this.written[f]!++;
      const level = LEVELS[n % LEVELS.length]!;
      const path = PATHS[n % PATHS.length]!;
      perFile[f]!.push(
        `${seconds}${millis}${String(n % 1_000_000).padStart(6, '0')}Z stdout F level=${level} seq=${f}:${n} t=${now} caller=server.go:214 msg="request done" method=GET path=${path} status=200 duration_ms=${n % 97}.${n % 10}\n`,
      );
    }
    this.total += count;
    perFile.forEach((chunk, f) => {
      if (chunk.length) writeSync(this.fds[f]!, chunk.join(''));
    });
  }

  /** Lines written over all files. */
  get lines(): number {
    return this.total;
  }

  /** Lines that should have been written by now at the rate: more than `lines` when the writer fell behind. */
  get scheduled(): number {
    return this.due;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.stop();
    for (const fd of this.fds) closeSync(fd);
  }
}
