/**
 * `__path__` globs as Promtail expands them, with bmatcuk/doublestar v4
 * (FilepathGlob; Promtail's last releases use v4.8):
 *
 * - `*` any run of characters but `/`, `?` one character but `/`,
 *   `[abc]`, `[a-z]`, `[^…]`/`[!…]` one character of (not of) a class,
 *   `{a,b}` alternatives (nested, may hold `/`), `\` escapes the next one;
 * - `**` as a whole path segment: zero or more directories (`/var/log/**`
 *   matches `/var/log` itself and everything under it); elsewhere, as in
 *   `**.log`, it is a plain `*`;
 * - names starting with `.` are not special; the pattern is cleaned first
 *   (`//`, `.`, `..` lexically) and a relative one is taken from the
 *   working directory; results are absolute, as Promtail makes them;
 * - symbolic links are followed, also while walking `**` (doublestar does),
 *   with one difference: a link back to a directory already being walked is
 *   not followed again, where doublestar would loop until the path is too
 *   long.
 *
 * Expanding reads only the directories the pattern can reach: the literal
 * leading segments are joined without listing anything, a segment with
 * wildcards lists one directory, and only `**` walks a tree.
 *
 * No npm glob library was used. picomatch/micromatch only match strings
 * (walking is the larger half here), and they read more into a pattern than
 * doublestar does — extglobs such as `@(a|b)` and `!(x)`, POSIX classes, `*`
 * not matching dotfiles unless `dot` is set — so every `__path__` would need
 * options and escaping to mean what it means to Promtail; a walker on top
 * (fast-glob, tinyglobby) is one more dependency with its own rules for
 * links and unreadable directories. The matcher (glob-pattern.ts) is checked
 * against doublestar's own test table instead.
 */
import { readdir, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import {
  cleanPattern,
  compileAlternative,
  compileGlob,
  expandBraces,
  type CompiledGlob,
  type Segment,
} from './glob-pattern.js';

export {
  cleanPattern,
  compileGlob,
  expandBraces,
  GlobPatternError,
  matchGlob,
} from './glob-pattern.js';
export type { CompiledGlob } from './glob-pattern.js';

export interface ExpandOptions {
  /** Where a relative pattern starts; default process.cwd(). */
  readonly cwd?: string;
  /** Only files (anything but directories and links to directories), as doublestar's WithFilesOnly. */
  readonly filesOnly?: boolean;
}

/** The absolute paths that match, sorted, each once; unreadable directories are skipped, as doublestar does. */
export async function expandGlob(pattern: string, options: ExpandOptions = {}): Promise<string[]> {
  const cwd = options.cwd ?? process.cwd();
  const found = new Set<string>();
  for (const alt of expandBraces(pattern)) {
    const compiled = compileAlternative(pattern, alt, true);
    const root = compiled.absolute ? '/' : cwd;
    await walk(root, compiled.segments, 0, found, options.filesOnly === true, new Set());
  }
  return [...found].sort();
}

/**
 * Promtail's FileTarget.sync: the files of `__path__` (itself when it names
 * an existing file, else its glob) less those of `__path_exclude__`.
 */
export async function expandTargetPaths(
  include: string,
  exclude: string | undefined,
  cwd: string = process.cwd(),
): Promise<string[]> {
  let matches: string[];
  const literal = await existingFile(include, cwd);
  if (literal !== undefined) matches = [literal];
  else matches = await expandGlob(include, { cwd, filesOnly: true });
  if (exclude === undefined || exclude === '') return matches;
  const excludedFile = await existingFile(exclude, cwd);
  const excluded = compileTargetGlob(exclude, cwd);
  return matches.filter((path) => path !== excludedFile && !excluded.match(path));
}

/** A `__path__` pattern compiled for matching absolute paths, as expandTargetPaths returns them. */
export function compileTargetGlob(pattern: string, cwd: string = process.cwd()): CompiledGlob {
  return compileGlob(absolutePattern(cleanPattern(pattern), cwd));
}

async function existingFile(path: string, cwd: string): Promise<string | undefined> {
  const absolute = path.startsWith('/') ? path : `${cwd.replace(/\/+$/, '')}/${path}`;
  try {
    const info = await stat(absolute);
    return info.isDirectory() ? undefined : cleanPattern(absolute);
  } catch {
    return undefined;
  }
}

function absolutePattern(pattern: string, cwd: string): string {
  if (pattern.startsWith('/')) return pattern;
  return `${escapeLiteral(cwd.replace(/\/+$/, ''))}/${pattern}`;
}

function escapeLiteral(text: string): string {
  return text.replace(/[*?[\]{}\\]/g, '\\$&');
}

async function walk(
  dir: string,
  segments: readonly Segment[],
  index: number,
  found: Set<string>,
  filesOnly: boolean,
  ancestors: Set<string>,
): Promise<void> {
  // Literal segments need no listing: join them, and look once at the end.
  let path = dir;
  while (index < segments.length && segments[index]!.kind === 'literal') {
    path = join(path, (segments[index] as { text: string }).text);
    index++;
  }
  if (index === segments.length) {
    const info = await stat(path).catch(() => undefined);
    if (info !== undefined && !(filesOnly && info.isDirectory())) found.add(path);
    return;
  }
  const entries = await readdir(path, { withFileTypes: true }).catch(() => undefined);
  if (entries === undefined) return;
  if (segments[index]!.kind === 'globstar')
    await walkGlobstar(path, entries, segments, index, found, filesOnly, ancestors);
  else await walkEntries(path, entries, segments, index, found, filesOnly, ancestors);
}

/** `**` at `segments[index]`: zero directories here, or any directory below (links followed, cycles not). */
async function walkGlobstar(
  dir: string,
  entries: readonly Dirent[],
  segments: readonly Segment[],
  index: number,
  found: Set<string>,
  filesOnly: boolean,
  ancestors: Set<string>,
): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) return;
  const key = `${info.dev}:${info.ino}`;
  if (ancestors.has(key)) return;
  ancestors.add(key);
  try {
    const last = index === segments.length - 1;
    if (last) {
      if (!filesOnly) found.add(dir);
    } else {
      await walkEntries(dir, entries, segments, index + 1, found, filesOnly, ancestors);
    }
    for (const entry of entries) {
      const child = join(dir, entry.name);
      if (await isDirectory(child, entry)) {
        const below = await readdir(child, { withFileTypes: true }).catch(() => undefined);
        if (below !== undefined)
          await walkGlobstar(child, below, segments, index, found, filesOnly, ancestors);
      } else if (last) {
        found.add(child);
      }
    }
  } finally {
    ancestors.delete(key);
  }
}

/** Continues with `segments[index]` in `dir`, whose entries are already listed. */
async function walkEntries(
  dir: string,
  entries: readonly Dirent[],
  segments: readonly Segment[],
  index: number,
  found: Set<string>,
  filesOnly: boolean,
  ancestors: Set<string>,
): Promise<void> {
  const segment = segments[index]!;
  if (segment.kind !== 'pattern') {
    await walk(dir, segments, index, found, filesOnly, ancestors);
    return;
  }
  const last = index === segments.length - 1;
  for (const entry of entries) {
    if (!segment.regex.test(entry.name)) continue;
    const child = join(dir, entry.name);
    if (last) {
      if (!filesOnly || !(await isDirectory(child, entry))) found.add(child);
    } else if (await isDirectory(child, entry)) {
      await walk(child, segments, index + 1, found, filesOnly, ancestors);
    }
  }
}

async function isDirectory(path: string, entry: Dirent): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() ?? false;
}

function join(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}
