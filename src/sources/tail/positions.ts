/**
 * Promtail's positions file: how far each tailed file has been read, so a
 * restart resumes there. The format is Promtail's, so a user can switch from
 * Promtail (or back) without shipping everything again:
 *
 *     positions:
 *       /var/log/syslog: "12345"
 *
 * a mapping from path to the byte offset as a quoted string. Promtail keeps
 * other strings there too (journal cursors under `journal-…`/`cursor-…`
 * keys); entries Signet does not use are kept untouched on rewrite.
 *
 * Signet adds one thing Promtail does not have: the identity (device and
 * inode) of the file each offset belongs to, as a YAML comment after the
 * value (`"12345" # signet:dev=2049,ino=1234567`). Promtail ignores comments,
 * so the file stays Promtail's; Signet uses the identity to tell a file
 * rotated while it was not running from the one it was reading, which
 * Promtail can only guess from the size (see settle.ts for what a restart
 * does with it).
 *
 * Like Promtail: a missing file is an empty start; an unreadable one is an
 * error unless `ignore_invalid_yaml` is set (then a warning and a fresh
 * start); the file is rewritten atomically every `sync_period` and on stop,
 * with mode 0600; entries of files that no longer exist are removed every
 * period, except cursors.
 */
import { readFile, stat } from 'node:fs/promises';
import {
  isMap,
  isScalar,
  parseDocument,
  Document,
  LineCounter,
  Pair,
  Scalar,
  type YAMLMap,
} from 'yaml';
import { SignetError } from '../../errors.js';
import type { LogCallback } from '../../log.js';
import { writeFileAtomic } from './atomic-write.js';
import type { FileIdentity } from './tailer-contract.js';

/** Keys that are not files (journal and other cursors): never removed by the cleanup, as in Promtail. */
const CURSOR_PREFIXES = ['cursor-', 'journal-'];
const IDENTITY_COMMENT = /^\s*signet:dev=(\d+),ino=(\d+)\s*$/;
const OFFSET = /^\+?\d+$/;

export interface PositionsOptions {
  readonly file: string;
  /** How often the file is rewritten (and entries of gone files dropped); positions.sync_period. */
  readonly syncPeriodMs: number;
  /** positions.ignore_invalid_yaml: start afresh (with a warning) when the file cannot be parsed. */
  readonly ignoreInvalidYaml: boolean;
  readonly log: LogCallback;
}

export interface FilePosition {
  readonly offset: number;
  /** The file the offset was read in, when Signet wrote the entry. */
  readonly identity?: FileIdentity | undefined;
}

/** The positions file exists but cannot be used. */
export class PositionsFileError extends SignetError {
  constructor(
    readonly file: string,
    problem: string,
    cause?: unknown,
  ) {
    super(`positions file ${file}${problem.startsWith(':') ? '' : ': '}${problem}`, {
      hint:
        `fix or remove ${file} (without it every file is read from its start again), ` +
        'or set positions.ignore_invalid_yaml: true to start afresh when it cannot be read',
      cause,
    });
  }
}

interface Entry {
  value: string;
  identity: FileIdentity | undefined;
}

/** Hooks the owner of the tailers gives `start`: called on every sync tick. */
export interface PositionsSyncHooks {
  /** Put the latest positions in, just before they are written. */
  readonly collect?: () => void;
  /** Paths being tailed now: their entries are kept even if the path is missing for a moment. */
  readonly isActive?: (path: string) => boolean;
}

export class Positions {
  private readonly entries: Map<string, Entry>;
  private timer: NodeJS.Timeout | undefined;
  private hooks: PositionsSyncHooks = {};
  private dirty = false;
  /** The write in progress; saves are chained so two never race for the rename. */
  private writing: Promise<void> = Promise.resolve();
  private stopped = false;

  private constructor(
    private readonly options: PositionsOptions,
    entries: Map<string, Entry>,
  ) {
    this.entries = entries;
  }

  /** Reads the file (a missing one is an empty start). Throws PositionsFileError as described above. */
  static async load(options: PositionsOptions): Promise<Positions> {
    let text: string;
    try {
      text = await readFile(options.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return new Positions(options, new Map());
      throw new PositionsFileError(options.file, `cannot be read: ${(err as Error).message}`, err);
    }
    try {
      return new Positions(options, parsePositions(text));
    } catch (err) {
      // "3:5: problem" becomes "file:3:5: problem", the place editors jump to.
      const problem =
        err instanceof PositionsParseError && err.line !== undefined
          ? `:${err.message}`
          : (err as Error).message;
      if (!options.ignoreInvalidYaml) throw new PositionsFileError(options.file, problem, err);
      options.log(
        'warn',
        `positions file ${options.file}${problem.startsWith(':') ? '' : ': '}${problem}; ignored (ignore_invalid_yaml), every file is read from its start`,
      );
      const positions = new Positions(options, new Map());
      positions.dirty = true;
      return positions;
    }
  }

  /** The offset of a file, or undefined when there is none or the entry is not an offset. */
  get(path: string): FilePosition | undefined {
    const entry = this.entries.get(path);
    if (entry === undefined || !OFFSET.test(entry.value)) return undefined;
    const offset = Number(entry.value);
    if (!Number.isSafeInteger(offset)) return undefined;
    return entry.identity === undefined ? { offset } : { offset, identity: entry.identity };
  }

  /** The raw value, as Promtail's GetString: offsets and cursors alike. */
  getString(path: string): string | undefined {
    return this.entries.get(path)?.value;
  }

  put(path: string, offset: number, identity?: FileIdentity): void {
    const value = String(offset);
    const entry = this.entries.get(path);
    if (
      entry !== undefined &&
      entry.value === value &&
      entry.identity?.dev === identity?.dev &&
      entry.identity?.ino === identity?.ino
    )
      return;
    this.entries.set(path, { value, identity });
    this.dirty = true;
  }

  putString(path: string, value: string): void {
    if (this.entries.get(path)?.value === value) return;
    this.entries.set(path, { value, identity: undefined });
    this.dirty = true;
  }

  remove(path: string): void {
    if (this.entries.delete(path)) this.dirty = true;
  }

  /** Every key, files and cursors. */
  paths(): string[] {
    return [...this.entries.keys()];
  }

  /** Entries that are file offsets with a known identity, for finding a file renamed while Signet was stopped. */
  withIdentity(): { path: string; position: FilePosition }[] {
    const out: { path: string; position: FilePosition }[] = [];
    for (const path of this.entries.keys()) {
      const position = this.get(path);
      if (position?.identity !== undefined) out.push({ path, position });
    }
    return out;
  }

  /** Saves every syncPeriodMs (after `collect`), dropping entries of files gone, until stop(). */
  start(hooks: PositionsSyncHooks = {}): void {
    this.hooks = hooks;
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setInterval(() => {
      void this.sync();
    }, this.options.syncPeriodMs);
    this.timer.unref();
  }

  /** One sync tick: collect, drop entries of gone files, write if anything changed. */
  async sync(): Promise<void> {
    this.hooks.collect?.();
    await this.cleanup();
    await this.save();
  }

  /** Writes the file now if anything changed since the last write. Errors are logged, not thrown. */
  save(): Promise<void> {
    const next = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await writeFileAtomic(this.options.file, this.serialize(), { mode: 0o600 });
      } catch (err) {
        this.dirty = true;
        this.options.log(
          'error',
          `positions file ${this.options.file}: cannot be written: ${(err as Error).message}`,
        );
      }
    });
    this.writing = next;
    return next;
  }

  /** Stops the timer and writes the last positions (after a final `collect`). */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.stopped) return this.writing;
    this.stopped = true;
    this.hooks.collect?.();
    await this.save();
  }

  /** Promtail's cleanup: entries of files that no longer exist go; cursors and active paths stay. */
  private async cleanup(): Promise<void> {
    for (const path of [...this.entries.keys()]) {
      if (CURSOR_PREFIXES.some((p) => path.startsWith(p))) continue;
      if (this.hooks.isActive?.(path)) continue;
      try {
        await stat(path);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') this.remove(path);
        else
          this.options.log(
            'warn',
            `positions: cannot tell whether ${path} still exists (${code ?? String(err)}); its entry is kept`,
          );
      }
    }
  }

  /** The file's text: Promtail's layout (sorted keys, offsets as quoted strings) plus identity comments. */
  serialize(): string {
    const doc = new Document({ positions: {} });
    const map = doc.get('positions') as YAMLMap;
    for (const path of [...this.entries.keys()].sort()) {
      const entry = this.entries.get(path)!;
      const value = new Scalar(entry.value);
      if (OFFSET.test(entry.value)) value.type = Scalar.QUOTE_DOUBLE;
      if (entry.identity !== undefined)
        value.comment = ` signet:dev=${entry.identity.dev},ino=${entry.identity.ino}`;
      map.add(new Pair(new Scalar(path), value));
    }
    return doc.toString({ lineWidth: 0 });
  }
}

/** What is wrong in the text, and where (1-based line and column) when known. */
export class PositionsParseError extends Error {
  constructor(
    problem: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line === undefined ? problem : `${line}:${column ?? 1}: ${problem}`);
  }
}

/** Parses the text as Promtail's UnmarshalStrict would accept it; throws PositionsParseError. */
export function parsePositions(text: string): Map<string, Entry> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter: lines });
  const first = doc.errors[0];
  if (first !== undefined) {
    const [line, column] = first.linePos?.[0] ? [first.linePos[0].line, first.linePos[0].col] : [];
    const problem = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new PositionsParseError(`not valid YAML: ${problem}`, line, column);
  }
  const fail = (problem: string, node: unknown): never => {
    const offset = (node as { range?: [number, number, number] } | null)?.range?.[0];
    const place = offset === undefined ? undefined : lines.linePos(offset);
    throw new PositionsParseError(problem, place?.line, place?.col);
  };
  const entries = new Map<string, Entry>();
  if (doc.contents === null) return entries;
  if (!isMap(doc.contents)) fail('is not a mapping with a positions: key', doc.contents);
  for (const pair of (doc.contents as YAMLMap).items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (key !== 'positions') fail(`unknown key '${key}' (only positions: is expected)`, pair.key);
    if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) continue;
    if (!isMap(pair.value)) fail('positions: is not a mapping of path to offset', pair.value);
    for (const item of (pair.value as YAMLMap).items) {
      if (!isScalar(item.key)) return fail('a key of positions: is not a path', item.key);
      const path = String(item.key.value);
      // Any scalar, as yaml.v2 decodes one into Promtail's string (`42` is "42").
      if (!isScalar(item.value) || item.value.value === null)
        return fail(`the value of '${path}' is not a string or number`, item.value ?? item.key);
      const value = item.value.value;
      const text = typeof value === 'string' ? value : item.value.source;
      if (text === undefined)
        return fail(`the value of '${path}' is not a string or number`, item.value);
      entries.set(path, {
        value: text,
        identity: parseIdentity(item.value.comment),
      });
    }
  }
  return entries;
}

function parseIdentity(comment: string | null | undefined): FileIdentity | undefined {
  const match = comment ? IDENTITY_COMMENT.exec(comment) : null;
  if (match === null) return undefined;
  return { dev: Number(match[1]), ino: Number(match[2]) };
}
