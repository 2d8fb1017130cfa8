import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildInfo } from '../../src/agent/build-info.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
}

test("Signet's own checkout: the version of package.json, and git's commit and branch", () => {
  const info = buildInfo();
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(info.version, pkg.version);
  let commit: string;
  try {
    commit = git(ROOT, 'rev-parse', 'HEAD');
  } catch {
    assert.equal(info.revision, 'unknown', 'no git checkout: no revision');
    return;
  }
  assert.equal(info.revision, commit);
  const branch = git(ROOT, 'rev-parse', '--abbrev-ref', 'HEAD');
  assert.equal(info.branch, branch === 'HEAD' ? 'unknown' : branch);
});

test('refs packed by git are read, and a directory with no .git says unknown', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-build-info-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'package.json'), '{"name":"signet-agent","version":"9.8.7"}');
  const none = buildInfo(dir);
  assert.deepEqual([none.revision, none.branch], ['unknown', 'unknown']);
  try {
    git(dir, 'init', '-q', '-b', 'release-9');
  } catch {
    t.skip('git is not installed');
    return;
  }
  const env = ['-c', 'user.name=t', '-c', 'user.email=t@example.com'];
  git(dir, 'add', 'package.json');
  git(dir, ...env, 'commit', '-q', '-m', 'one');
  git(dir, 'pack-refs', '--all');
  const info = buildInfo(dir);
  assert.equal(info.revision, git(dir, 'rev-parse', 'HEAD'));
  assert.equal(info.branch, 'release-9');
});
