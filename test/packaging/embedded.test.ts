/**
 * How the single executable puts its native addon on disk: once, under its
 * hash, in a directory private to the user; a file that does not hash right
 * is replaced, and a directory others may write is passed over.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EmbeddedAddonError,
  addonCacheDirs,
  isPackaged,
  materializeAddon,
  readPackageText,
} from '../../src/packaging/embedded.js';

function scratch(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'signet-embedded-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('the addon is written once, 0700 directory, named by its hash, and reused as is', (t) => {
  const root = scratch(t);
  const bytes = Buffer.from('not really an ELF file, but bytes all the same');
  const path = materializeAddon(bytes, 'snappy.node', [join(root, 'cache')]);
  assert.match(path, /[\\/]cache[\\/]snappy-[0-9a-f]{16}\.node$/);
  assert.deepEqual(readFileSync(path), bytes);
  assert.equal(statSync(join(root, 'cache')).mode & 0o777, 0o700);
  const first = statSync(path);
  assert.equal(materializeAddon(bytes, 'snappy.node', [join(root, 'cache')]), path);
  assert.equal(statSync(path).ino, first.ino, 'not written again');
});

test('a cached file altered since is replaced, not loaded', (t) => {
  const root = scratch(t);
  const bytes = Buffer.from('the genuine addon');
  const path = materializeAddon(bytes, 'snappy.node', [root]);
  chmodSync(path, 0o600);
  writeFileSync(path, 'something else');
  assert.equal(materializeAddon(bytes, 'snappy.node', [root]), path);
  assert.deepEqual(readFileSync(path), bytes);
});

test('a directory others may write is passed over for the next; none usable is a clear error', (t) => {
  const root = scratch(t);
  const shared = join(root, 'shared');
  mkdirSync(shared);
  chmodSync(shared, 0o777);
  const bytes = Buffer.from('addon');
  const path = materializeAddon(bytes, 'snappy.node', [shared, join(root, 'own')]);
  assert.ok(path.startsWith(join(root, 'own')), path);
  assert.throws(
    () => materializeAddon(bytes, 'snappy.node', [shared]),
    (error: unknown) =>
      error instanceof EmbeddedAddonError &&
      /shared: writable by other users/.test(error.message) &&
      /set SIGNET_CACHE_DIR/.test(error.message),
  );
});

test('cache directories: SIGNET_CACHE_DIR, then XDG, then home, then a per-user temporary one', () => {
  const dirs = addonCacheDirs({ SIGNET_CACHE_DIR: '/a', XDG_CACHE_HOME: '/b' });
  assert.deepEqual(dirs.slice(0, 2), ['/a', join('/b', 'signet')]);
  assert.match(dirs.at(-1)!, /signet-\d+$/);
});

test('outside the executable, package files are read from the checkout', () => {
  assert.equal(isPackaged(), false);
  assert.match(readPackageText('examples/demo-agent.yaml'), /^metrics:$/m);
});
