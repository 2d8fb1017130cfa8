/**
 * `__path__` globs with doublestar's semantics. The match table is taken
 * from doublestar v4's own test table (doublestar_test.go: pattern, path,
 * whether it matches, whether the pattern is bad) and its README; the
 * expansion runs on a real directory tree with symbolic links.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fsPromises, { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  cleanPattern,
  compileGlob,
  expandGlob,
  expandTargetPaths,
  GlobPatternError,
} from '../../../src/sources/tail/globs.js';

const BAD = 'bad';
// [pattern, path, matches (or BAD for ErrBadPattern)]
const MATCH_TABLE: [string, string, boolean | typeof BAD][] = [
  ['', '', true],
  ['*', '', true],
  ['*', '/', false],
  ['/*', '/', true],
  ['/*', '/debug/', false],
  ['/*', '//', false],
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['*/', 'a/', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', false],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*/c/', 'a/b', false],
  ['a*b*c*d*e*', 'axbxcxdxe', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^b-d]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a[!a]b', 'a☺b', true],
  ['a???b', 'a☺b', false],
  ['a[^a][^a][^a]b', 'a☺b', false],
  ['[a-ζ]*', 'α', true],
  ['*[a-ζ]', 'A', false],
  ['a?b', 'a/b', false],
  ['a*b', 'a/b', false],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'x', true],
  ['[x\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['[\\-x]', 'x', true],
  ['[\\-x]', '-', true],
  ['[\\-x]', 'a', false],
  ['[]a]', ']', BAD],
  ['[-]', '-', true],
  ['[x-]', 'x', true],
  ['[x-]', '-', true],
  ['[x-]', 'z', false],
  ['[-x]', 'x', true],
  ['[-x]', '-', true],
  ['[-x]', 'a', false],
  ['[a-b-d]', 'a', true],
  ['[a-b-d]', 'b', true],
  ['[a-b-d]', '-', true],
  ['[a-b-d]', 'c', false],
  ['[a-b-x]', 'x', true],
  ['\\', 'a', BAD],
  ['[', 'a', BAD],
  ['[^', 'a', BAD],
  ['[^bc', 'a', BAD],
  ['a[', 'a', BAD],
  ['a[', 'ab', BAD],
  ['ad[', 'ab', BAD],
  ['*x', 'xxx', true],
  ['[abc]', 'b', true],
  ['[abc123]', '1', true],
  ['[a-z0-9]', '1', true],
  ['**', '', true],
  ['a/**', 'a', true],
  ['a/**/', 'a', true],
  ['a/**', 'a/', true],
  ['a/**/', 'a/', true],
  ['a/**', 'a/b', true],
  ['a/**', 'a/b/c', true],
  ['**/c', 'c', true],
  ['**/c', 'b/c', true],
  ['**/c', 'a/b/c', true],
  ['**/c', 'a/b', false],
  ['**/c', 'abcd', false],
  ['**/c', 'a/abc', false],
  ['a/**/b', 'a/b', true],
  ['a/**/c', 'a/b/c', true],
  ['a/**/d', 'a/b/c/d', true],
  ['a/\\**', 'a/b/c', false],
  ['a/\\[*\\]', 'a/bc', false],
  ['a/b/c', 'a/b//c', false],
  ['a/', 'a', false],
  ['ab{c,d}', 'abc', true],
  ['ab{c,d,*}', 'abcde', true],
  ['ab{c,d}[', 'abcd', BAD],
  ['a{,bc}', 'a', true],
  ['a{,bc}', 'abc', true],
  ['a/{b/c,c/b}', 'a/b/c', true],
  ['a/{b/c,c/b}', 'a/c/b', true],
  ['a/a*{b,c}', 'a/abc', true],
  ['{a/{b,c},abc}', 'a/b', true],
  ['{a/{b,c},abc}', 'a/c', true],
  ['{a/{b,c},abc}', 'abc', true],
  ['{a/{b,c},abc}', 'a/b/c', false],
  ['{a/ab*}', 'a/abc', true],
  ['{a/*}', 'a/b', true],
  ['{a/abc}', 'a/abc', true],
  ['{a/b,a/c}', 'a/c', true],
  ['abc/**', 'abc/b', true],
  ['**/abc', 'abc', true],
  ['abc**', 'abc/b', false],
  ['**/*.txt', 'abc/【test】.txt', true],
  ['**/【*', 'abc/【test】.txt', true],
  ['**/{a,b}', 'a/b', true],
  ['a/*/*/d', 'a/b/c/d', true],
  ['e/\\[x\\]/*', 'e/[x]/[y]', true],
  ['e/\\[x\\]/*/z', 'e/[x]/[y]/z', true],
  ['e/**', 'e/**', true],
  ['e/**', 'e/*', true],
  ['e/**', 'e/?', true],
  ['e/**', 'e/[', true],
  ['e/**', 'e/]', true],
  ['e/**', 'e/[]', true],
  ['e/**', 'e/{', true],
  ['e/**', 'e/}', true],
  ['e/**', 'e/\\', true],
  ['e/*', 'e/*', true],
  ['e/?', 'e/?', true],
  ['e/?', 'e/*', true],
  ['e/?', 'e/[', true],
  ['e/?', 'e/]', true],
  ['e/?', 'e/{', true],
  ['e/?', 'e/}', true],
  ['e/\\[', 'e/[', true],
  ['e/[', 'e/[', BAD],
  ['e/]', 'e/]', true],
  ['e/\\]', 'e/]', true],
  ['e/\\{', 'e/{', true],
  ['e/\\}', 'e/}', true],
  ['e/[\\*\\?]', 'e/*', true],
  ['e/[\\*\\?]', 'e/?', true],
  ['e/[\\*\\?]', 'e/**', false],
  ['e/[\\*\\?]?', 'e/**', true],
  ['e/{\\*,\\?}', 'e/*', true],
  ['e/{\\*,\\?}', 'e/?', true],
  ['e/\\*', 'e/*', true],
  ['e/\\?', 'e/?', true],
  ['e/\\?', 'e/**', false],
  ['*\\}', '}', true],
  // README: a doublestar inside a name is a plain star; a stray } is literal; an unclosed { is bad.
  ['path/to/**.txt', 'path/to/a.txt', true],
  ['path/to/**.txt', 'path/to/x/a.txt', false],
  ['a}b', 'a}b', true],
  ['a{b', 'a{b', BAD],
  // Promtail-style absolute patterns; dotfiles are not special.
  ['/var/log/**/*.log', '/var/log/syslog.log', true],
  ['/var/log/**/*.log', '/var/log/pods/ns_pod_uid/c/0.log', true],
  ['/var/log/*.log', '/var/log/.hidden.log', true],
  ['/var/log/{syslog,messages}', '/var/log/messages', true],
  ['/var/log/*.log', 'var/log/a.log', false],
];

test('matching follows doublestar’s own table', () => {
  for (const [pattern, path, expected] of MATCH_TABLE) {
    if (expected === BAD) {
      assert.throws(
        () => compileGlob(pattern).match(path),
        GlobPatternError,
        `${pattern} is a bad pattern`,
      );
      continue;
    }
    assert.equal(
      compileGlob(pattern).match(path),
      expected,
      `${JSON.stringify(pattern)} on ${JSON.stringify(path)}`,
    );
  }
});

test('patterns are cleaned as Go’s filepath.Clean does', () => {
  assert.equal(cleanPattern('/var//log/./x/../*.log/'), '/var/log/*.log');
  assert.equal(cleanPattern('../a/./b'), '../a/b');
  assert.equal(cleanPattern('/..'), '/');
});

async function tree(root: string): Promise<void> {
  const files = [
    'a/abc',
    'a/b/c/d',
    'abc/b',
    'axbxcxdxe/f',
    'axbxcxdxe/xxx/f',
    'b/c',
    'e/[x]/[y]/z',
    'e/star*',
    '.hidden/x.log',
    'logs/app.log',
    'logs/app.log.1',
    'logs/debug.log',
    'logs/sub/deep/api.log',
    'loop/inner/l.log',
  ];
  for (const file of files) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), 'x\n');
  }
  await symlink('../axbxcxdxe', join(root, 'b/symlink-dir'));
  await symlink('a/b', join(root, 'working-symlink'));
  await symlink('nonexistent', join(root, 'broken-symlink'));
  await symlink('..', join(root, 'loop/inner/up')); // a cycle under **
}

test('expansion walks only what the pattern needs, follows symlinks, never loops', async () => {
  const root = await mkdtemp(join(tmpdir(), 'signet-globs-'));
  try {
    await tree(root);
    const rel = async (pattern: string, filesOnly = false) =>
      (await expandGlob(pattern, { cwd: root, filesOnly })).map((p) => p.slice(root.length + 1));

    assert.deepEqual(await rel('b/**/f'), ['b/symlink-dir/f', 'b/symlink-dir/xxx/f']);
    assert.deepEqual(await rel('working-symlink/c/*'), ['working-symlink/c/d']);
    assert.deepEqual(await rel('working-sym*/*'), ['working-symlink/c']);
    assert.deepEqual(await rel('*/symlink-dir/*'), ['b/symlink-dir/f', 'b/symlink-dir/xxx']);
    assert.deepEqual(await rel('broken-symlink'), [], 'a broken link is no file');
    assert.deepEqual(await rel('broken*/*'), []);
    assert.deepEqual(await rel('nonexistent-path/**'), []);
    assert.deepEqual(await rel('a/**'), ['a', 'a/abc', 'a/b', 'a/b/c', 'a/b/c/d']);
    assert.deepEqual(await rel('a/**', true), ['a/abc', 'a/b/c/d']);
    assert.deepEqual(await rel('{a,abc}/b'), ['a/b', 'abc/b']);
    assert.deepEqual(await rel('e/\\[x\\]/*/z'), ['e/[x]/[y]/z']);
    assert.deepEqual(await rel('**/*.log', true), [
      '.hidden/x.log',
      'logs/app.log',
      'logs/debug.log',
      'logs/sub/deep/api.log',
      'loop/inner/l.log',
    ]);
    assert.deepEqual(await rel('logs/*.log'), ['logs/app.log', 'logs/debug.log']);
    assert.deepEqual(await rel('logs/{app,debug}.log*'), [
      'logs/app.log',
      'logs/app.log.1',
      'logs/debug.log',
    ]);

    const absolute = await expandGlob(`${root}/logs/**/*.log`);
    assert.deepEqual(absolute, [
      `${root}/logs/app.log`,
      `${root}/logs/debug.log`,
      `${root}/logs/sub/deep/api.log`,
    ]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('target paths as Promtail’s FileTarget.sync: an existing file is itself, excludes remove matches, directories are skipped', async () => {
  const root = await mkdtemp(join(tmpdir(), 'signet-globs-'));
  try {
    await tree(root);
    const rel = (paths: string[]) => paths.map((p) => p.slice(root.length + 1));
    // `e/star*` exists with a * in its name: taken literally, as Promtail stats __path__ first.
    assert.deepEqual(rel(await expandTargetPaths(`${root}/e/star*`, undefined)), ['e/star*']);
    assert.deepEqual(rel(await expandTargetPaths(`${root}/logs/**/*.log`, `${root}/logs/sub/**`)), [
      'logs/app.log',
      'logs/debug.log',
    ]);
    assert.deepEqual(rel(await expandTargetPaths('logs/*', '**/debug.log', root)), [
      'logs/app.log',
      'logs/app.log.1',
    ]);
    assert.deepEqual(rel(await expandTargetPaths(`${root}/logs/*`, `${root}/logs/app.log`)), [
      'logs/app.log.1',
      'logs/debug.log',
    ]);
    await assert.rejects(expandTargetPaths(`${root}/{a`, undefined), GlobPatternError);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('expansion lists only the directories the pattern can reach (no scan of the tree around it)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'signet-globs-'));
  const listed: string[] = [];
  const original = fsPromises.readdir;
  // Records every directory listing the walker makes (ESM bindings follow the patched module).
  fsPromises.readdir = ((path: string, options: unknown) => {
    listed.push(String(path).slice(root.length) || '/');
    return (original as (p: string, o: unknown) => Promise<unknown>)(path, options);
  }) as typeof fsPromises.readdir;
  syncBuiltinESMExports();
  try {
    await tree(root);
    const expect = async (pattern: string, dirs: string[]) => {
      listed.length = 0;
      await expandGlob(`${root}/${pattern}`);
      assert.deepEqual(listed.sort(), dirs.sort(), pattern);
    };
    await expect('logs/app.log', []);
    await expect('logs/*.log', ['/logs']);
    await expect('*/app.log', ['/']);
    await expect('logs/**/*.log', ['/logs', '/logs/sub', '/logs/sub/deep']);
    await expect('{logs,abc}/*', ['/logs', '/abc']);
  } finally {
    fsPromises.readdir = original;
    syncBuiltinESMExports();
    await rm(root, { recursive: true, force: true });
  }
});
