/**
 * What the single executable (`npm run package`, scripts/package.mjs) needs
 * at run time that a checkout finds on disk: files shipped with the package
 * (the demo's configuration) and the native snappy addon. Both travel inside
 * the executable as Node.js single-executable-application assets.
 *
 * Node cannot load a native addon from memory, so the addon is written once to
 * a private cache directory, named by its SHA-256, and loaded from there; the
 * bytes on disk are hashed again before every load, so a file someone else
 * wrote or altered is never loaded.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getAsset, getRawAsset, isSea } from 'node:sea';
import { fileURLToPath } from 'node:url';

/** True inside the single executable built by `npm run package`. */
export function isPackaged(): boolean {
  try {
    return isSea();
  } catch {
    return false;
  }
}

/**
 * A text file shipped with Signet, by its path in the package (e.g.
 * `examples/demo-agent.yaml`): the embedded copy inside the single
 * executable, the file next to src/ or dist/src/ otherwise.
 */
export function readPackageText(path: string): string {
  if (isPackaged()) return getAsset(path, 'utf8');
  return readFileSync(join(packageRoot(), path), 'utf8');
}

/** The directory holding Signet's package.json, found upward from this module. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'signet-agent') return dir;
    } catch {
      // No package.json here: keep walking up.
    }
    dir = dirname(dir);
  }
  throw new Error("Signet's package.json was not found above its modules");
}

/** A native addon could not be put where Node can load it. */
export class EmbeddedAddonError extends Error {
  override readonly name = 'EmbeddedAddonError';
}

/**
 * Loads the native addon embedded as asset `asset` and returns its exports
 * (only inside the single executable; scripts/package.mjs routes snappy's
 * binding here).
 */
export function loadEmbeddedAddon(asset: string): unknown {
  const bytes = new Uint8Array(getRawAsset(asset) as ArrayBuffer);
  const path = materializeAddon(bytes, asset, addonCacheDirs());
  const module = { exports: {} as unknown };
  process.dlopen(module, path);
  return module.exports;
}

/**
 * Where the addon may be cached, best first: `SIGNET_CACHE_DIR`, the XDG
 * cache, `~/.cache`, then a per-user directory under the temporary directory
 * (a read-only home, as in a locked-down container, still works).
 */
export function addonCacheDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  if (env.SIGNET_CACHE_DIR) dirs.push(env.SIGNET_CACHE_DIR);
  if (env.XDG_CACHE_HOME) dirs.push(join(env.XDG_CACHE_HOME, 'signet'));
  try {
    dirs.push(join(homedir(), '.cache', 'signet'));
  } catch {
    // No home directory (an unknown uid): the temporary directory remains.
  }
  dirs.push(join(tmpdir(), `signet-${process.getuid?.() ?? 'user'}`));
  return dirs;
}

/**
 * The path of a file holding exactly `bytes`, in the first of `dirs` that is
 * private to this user (created 0700 if missing). An existing file is reused
 * only when its content hashes to the same SHA-256; otherwise it is replaced
 * atomically (write to a temporary name, then rename).
 */
export function materializeAddon(bytes: Uint8Array, name: string, dirs: string[]): string {
  const digest = createHash('sha256').update(bytes).digest('hex');
  const file = `${name.replace(/\.node$/, '').replace(/[^\w.-]/g, '_')}-${digest.slice(0, 16)}.node`;
  const problems: string[] = [];
  for (const dir of dirs) {
    try {
      ensurePrivateDir(dir);
      const path = join(dir, file);
      if (hashOf(path) === digest) return path;
      const partial = `${path}.${process.pid}.tmp`;
      rmSync(partial, { force: true });
      const fd = openSync(partial, 'wx', 0o500);
      try {
        writeSync(fd, bytes);
      } finally {
        closeSync(fd);
      }
      renameSync(partial, path);
      if (hashOf(path) === digest) return path;
      problems.push(`${dir}: the written file does not read back the same`);
    } catch (error) {
      problems.push(`${dir}: ${(error as Error).message}`);
    }
  }
  throw new EmbeddedAddonError(
    `cannot unpack the native addon ${name} (${problems.join('; ')}); ` +
      'set SIGNET_CACHE_DIR to a directory this user owns and can write',
  );
}

/** Creates `dir` (0700) if missing; refuses one owned by another user or writable by others. */
function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) throw new Error('not a directory');
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid)
    throw new Error(`owned by uid ${stat.uid}, not ${uid}`);
  if ((stat.mode & 0o022) !== 0) throw new Error('writable by other users');
}

/** The SHA-256 of a regular file, or undefined when there is none (a symlink does not count). */
function hashOf(path: string): string | undefined {
  try {
    if (!lstatSync(path).isFile()) {
      rmSync(path, { force: true, recursive: true });
      return undefined;
    }
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}
