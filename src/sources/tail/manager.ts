/**
 * Promtail's file target manager: turns target label sets (relabeled by the
 * pipeline, still holding `__path__` and maybe `__path_exclude__`) into one
 * tailer per matched file, and keeps that set current — the globs are
 * expanded again every `target_config.sync_period`, on every update(), and
 * when a matching file is created in a watched directory (dir-watch.ts);
 * new files get a tailer that starts where the positions file says, and
 * files no longer matched (deleted, or their target gone) for a whole sync
 * period are released and their positions entry removed, as Promtail does
 * (which releases them at the first sync that misses them).
 *
 * A file matched by two targets is tailed once: the first target (in the
 * order given) wins and the other is warned about, where Promtail would read
 * the file twice. Each line's labels are its target's labels without the
 * names starting with `__`, plus `filename` set to the path (Promtail's
 * label; it wins over a target label of that name, as in Promtail).
 *
 * Lines go on in batches through one onLines callback whose promise is
 * awaited by the tailer that read them: a slow pipeline slows every tailer
 * instead of filling memory. Each line carries a settle token (settle.ts);
 * positions are saved every `positions.sync_period` from the settled
 * offsets, and at stop().
 */
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LogLabels } from '../../model/log-entry.js';
import { DirectoryWatcher } from './dir-watch.js';
import {
  compileTargetGlob,
  expandTargetPaths,
  GlobPatternError,
  type CompiledGlob,
} from './globs.js';
import {
  PATH_EXCLUDE_LABEL,
  PATH_LABEL,
  HOST_LABEL,
  FILENAME_LABEL,
  type DroppedFileTarget,
  type FileStatus,
  type FileTarget,
  type FileTargetManagerOptions,
} from './manager-types.js';
import type { FilePosition } from './positions.js';
import { findRenamed } from './renamed.js';
import { FileSettle, SettleLedger, type OriginToken } from './settle.js';
import { sameIdentity, type FileIdentity, type ReadLine, type Tailer } from './tailer-contract.js';

export {
  FILENAME_LABEL,
  HOST_LABEL,
  PATH_EXCLUDE_LABEL,
  PATH_LABEL,
  type DroppedFileTarget,
  type FileStatus,
  type FileTarget,
  type FileTargetManagerOptions,
  type TailBatch,
  type TailingDefaults,
} from './manager-types.js';

interface Tailed {
  readonly path: string;
  readonly tailer: Tailer;
  readonly settle: FileSettle;
  owner: OwnedTarget;
  stopped: boolean;
  /** When the path was first found unmatched; reset when it matches again. */
  unmatchedSince: number | undefined;
}

interface OwnedTarget {
  readonly target: FileTarget;
  readonly labels: LogLabels;
}

export class FileTargetManager {
  readonly ledger = new SettleLedger();
  private targets: readonly FileTarget[] = [];
  private readonly files = new Map<string, Tailed>();
  private dropped: DroppedFileTarget[] = [];
  private readonly warned = new Set<string>();
  private syncing: Promise<void> = Promise.resolve();
  /** The sync waiting for the running one to end, if any. */
  private queued: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  private stopped = false;
  /** The `__path__` globs of the last sync, to tell whether a created file is worth a sync. */
  private includes: CompiledGlob[] = [];
  private readonly watcher: DirectoryWatcher;
  private soon: NodeJS.Timeout | undefined;

  constructor(private readonly options: FileTargetManagerOptions) {
    this.watcher = new DirectoryWatcher(
      (path) => !this.files.has(path) && this.includes.some((glob) => glob.match(path)),
      () => this.syncSoon(),
      options.log,
    );
  }

  /** Starts the periodic sync and positions saving; resolves after the first sync. */
  async start(targets: readonly FileTarget[] = []): Promise<void> {
    this.targets = targets;
    this.reading = true;
    this.options.positions.start({
      collect: () => this.collectPositions(),
      isActive: (path) => this.files.has(path),
    });
    this.timer = setInterval(() => void this.sync(), this.options.syncPeriodMs);
    this.timer.unref();
    await this.sync();
  }

  /** New target label sets (a discovery or config change); applied now. */
  update(targets: readonly FileTarget[]): Promise<void> {
    this.targets = targets;
    return this.sync();
  }

  /** The line of this token is safe: its file's position may move past it. */
  settle(token: OriginToken): void {
    this.ledger.settle(token);
  }

  /**
   * Expands the globs and starts/stops tailers. Runs are serialized, and a
   * request made while one is already waiting joins it (it will see the
   * latest targets), so slow syncs never pile up behind each other.
   */
  sync(): Promise<void> {
    if (this.queued !== undefined) return this.queued;
    const queued = this.syncing.then(async () => {
      this.queued = undefined;
      if (this.reading) await this.syncOnce();
    });
    this.queued = queued.catch((err: unknown) =>
      this.options.log('error', `file targets: sync failed: ${String(err)}`),
    );
    this.syncing = this.queued;
    return this.queued;
  }

  /** Stops the tailers (nothing more is read); positions stay open for late settles. */
  async stopReading(): Promise<void> {
    this.reading = false;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.soon !== undefined) clearTimeout(this.soon);
    this.watcher.close();
    await this.syncing;
    await Promise.all([...this.files.values()].map((file) => this.stopTailer(file)));
  }

  /** Stops reading (if not yet) and writes the positions a last time. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.stopReading();
    await this.options.positions.stop();
    for (const file of this.files.values()) file.settle.close();
    this.files.clear();
  }

  status(): FileStatus[] {
    return [...this.files.values()]
      .map((file) => {
        const { tailer, settle } = file;
        const position = settle.position(tailer.generation, tailer.identity);
        return {
          path: file.path,
          job: file.owner.target.job,
          labels: file.owner.labels,
          readOffset: tailer.readOffset,
          settledOffset: position.offset,
          size: tailer.size,
          lag: settle.lag(tailer.readOffset, tailer.generation),
          unsettledLines: settle.unsettledLines,
          generation: tailer.generation,
        };
      })
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  droppedTargets(): readonly DroppedFileTarget[] {
    return this.dropped;
  }

  /** A file was created in a watched directory: sync shortly (creations come in bursts). */
  private syncSoon(): void {
    if (this.soon !== undefined || !this.reading) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.sync();
    }, 20);
  }

  private collectPositions(): void {
    for (const file of this.files.values()) {
      const position = file.settle.position(file.tailer.generation, file.tailer.identity);
      this.options.positions.put(file.path, position.offset, position.identity);
    }
  }

  private async syncOnce(): Promise<void> {
    const wanted = new Map<string, OwnedTarget>();
    const dropped: DroppedFileTarget[] = [];
    const includes: CompiledGlob[] = [];
    for (const target of this.targets) {
      const problem = this.targetProblem(target);
      if (problem !== undefined) {
        dropped.push({ labels: target.labels, reason: problem });
        continue;
      }
      let paths: string[];
      try {
        paths = await expandTargetPaths(
          target.labels[PATH_LABEL]!,
          target.labels[PATH_EXCLUDE_LABEL],
          this.options.cwd,
        );
      } catch (err) {
        const reason = err instanceof GlobPatternError ? err.toUserString() : String(err);
        dropped.push({ labels: target.labels, reason });
        this.warnOnce(`glob:${reason}`, `file target dropped: ${reason}`);
        continue;
      }
      try {
        includes.push(compileTargetGlob(target.labels[PATH_LABEL]!, this.options.cwd));
      } catch {
        // An existing file named like a bad pattern: taken literally above, not watched for.
      }
      const owned: OwnedTarget = { target, labels: streamLabels(target.labels) };
      for (const path of paths) {
        const first = wanted.get(path);
        if (first === undefined)
          wanted.set(path, { ...owned, labels: withFilename(owned.labels, path) });
        else if (first.target !== target)
          this.warnOnce(
            `twice:${path}`,
            `${path} is matched by two file targets (jobs ${first.target.job} and ${target.job}); it is read once, with the first one's labels`,
          );
      }
    }
    this.dropped = dropped;
    this.includes = includes;
    // The glob's fixed directory too, so a file created there is tailed at once,
    // before it can be rotated away unseen (a matched file's own directory is already in).
    const bases = this.targets.map((t) => globBase(t.labels[PATH_LABEL] ?? '', this.options.cwd));
    if (this.reading)
      this.watcher.set(new Set([...[...wanted.keys()].map((path) => dirname(path)), ...bases]));

    const now = Date.now();
    for (const [path, file] of this.files) {
      if (wanted.has(path)) {
        file.unmatchedSince = undefined;
        continue;
      }
      // A rotation renames the file away and creates the next one a moment later: a path
      // missing at one sync is kept until it has been missing for a whole sync period, so
      // the tailer can finish the old file (Promtail stops it at once and can lose its end).
      // A file still there whose target is gone (a pod removed) is released at once.
      file.unmatchedSince ??= now;
      if (now - file.unmatchedSince < this.options.syncPeriodMs && !(await exists(path))) continue;
      this.files.delete(path);
      await this.stopTailer(file);
      file.settle.close();
      this.options.positions.remove(path);
      this.options.log('info', `file targets: stopped tailing ${path} (no longer matched)`);
    }
    for (const [path, owner] of wanted) {
      const running = this.files.get(path);
      if (running !== undefined) running.owner = owner;
      else if (this.reading) await this.startTailer(path, owner);
    }
  }

  private targetProblem(target: FileTarget): string | undefined {
    const labels = target.labels;
    const host = labels[HOST_LABEL];
    if (host !== undefined && this.options.hostname !== undefined && host !== this.options.hostname)
      return `${HOST_LABEL} is ${host}, not this host (${this.options.hostname})`;
    if (!labels[PATH_LABEL]) return `no ${PATH_LABEL} label`;
    return undefined;
  }

  private async startTailer(path: string, owner: OwnedTarget): Promise<void> {
    const start = await this.startPosition(path);
    if (start === undefined) return; // gone between the glob and now
    // The tailer may call onLines as soon as it starts, after `file` is set below.
    const ref: { file?: Tailed } = {};
    const { target } = owner;
    let tailer: Tailer;
    try {
      tailer = this.options.createTailer({
        ...this.options.tailing,
        path,
        startOffset: start.offset,
        expectIdentity: start.identity,
        encoding: target.encoding,
        decompression: target.decompression,
        onLines: (lines) => (ref.file === undefined ? undefined : this.deliver(ref.file, lines)),
        onEvent: (event) => this.options.onEvent?.(path, event),
        onRead: (bytes, lines) => this.options.onRead?.(path, bytes, lines),
      });
    } catch (err) {
      this.warnOnce(`start:${path}`, `file targets: cannot tail ${path}: ${String(err)}`);
      return;
    }
    const settle = new FileSettle(path, start, this.ledger, tailer.generation);
    const file: Tailed = { path, tailer, settle, owner, stopped: false, unmatchedSince: undefined };
    ref.file = file;
    this.files.set(path, file);
    this.warned.delete(`start:${path}`);
    tailer.start();
    this.options.log('info', `file targets: tailing ${path} from offset ${start.offset}`);
  }

  /**
   * Where a newly matched file starts: its saved offset when the file is the
   * one the offset belongs to and is not shorter than it (Promtail's check);
   * else 0. Undefined when the file is gone.
   */
  private async startPosition(path: string): Promise<FilePosition | undefined> {
    let identity: FileIdentity;
    let size: number;
    try {
      const info = await stat(path);
      identity = { dev: info.dev, ino: info.ino };
      size = info.size;
    } catch {
      return undefined;
    }
    const saved = this.options.positions.get(path);
    if (this.options.positions.getString(path) !== undefined && saved === undefined)
      this.options.log(
        'warn',
        `positions: the entry of ${path} is not an offset; reading it from the start`,
      );
    if (saved === undefined) return { offset: 0, identity };
    if (saved.identity !== undefined && !sameIdentity(saved.identity, identity)) {
      // Rotated while Signet was not running: the tailer reads the rest of the
      // old file (renamed beside the path) from the saved offset, then the new one.
      const renamed = await findRenamed(path, saved.identity, saved.offset);
      this.options.log(
        'info',
        renamed
          ? `${path} was rotated while Signet was stopped; reading the rest of ${renamed.path} first, then the new file from its start`
          : `${path} is another file than the one its position was saved for; reading it from the start`,
      );
      return renamed ? saved : { offset: 0, identity };
    }
    if (size < saved.offset) {
      this.options.log(
        'info',
        `${path} is shorter than its saved position (truncated); reading it from the start`,
      );
      return { offset: 0, identity };
    }
    return { offset: saved.offset, identity };
  }

  private async deliver(file: Tailed, lines: readonly ReadLine[]): Promise<void> {
    if (file.stopped || lines.length === 0) return;
    const firstToken = file.settle.track(lines);
    await this.options.onLines({
      path: file.path,
      job: file.owner.target.job,
      labels: file.owner.labels,
      lines,
      firstToken,
      readAtMs: Date.now(),
    });
  }

  private async stopTailer(file: Tailed): Promise<void> {
    if (file.stopped) return;
    file.stopped = true;
    try {
      await file.tailer.stop();
    } catch (err) {
      this.options.log(
        'warn',
        `file targets: stopping the tailer of ${file.path} failed: ${String(err)}`,
      );
    }
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.log('warn', message);
  }
}

/** The target's labels without the names starting with `__` (Promtail removes them after relabeling). */
export function streamLabels(labels: Readonly<Record<string, string>>): LogLabels {
  const out: LogLabels = {};
  for (const [name, value] of Object.entries(labels)) if (!name.startsWith('__')) out[name] = value;
  return out;
}

function withFilename(labels: LogLabels, path: string): LogLabels {
  return { ...labels, [FILENAME_LABEL]: path };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The directory a `__path__` pattern's first glob character sits under: `/var/log` for `/var/log/*.log`. */
function globBase(pattern: string, cwd: string = process.cwd()): string {
  const absolute = pattern.startsWith('/') ? pattern : `${cwd.replace(/\/+$/, '')}/${pattern}`;
  const fixed: string[] = [];
  for (const part of absolute.split('/').slice(0, -1)) {
    if (/[*?[{]/.test(part)) break;
    fixed.push(part);
  }
  return fixed.join('/') || '/';
}
