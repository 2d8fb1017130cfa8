/**
 * `npm run package`'s single executable, copied alone into an empty
 * directory and run with no Node.js on PATH and no node_modules anywhere
 * near: every command answers, `signet version` names the commit, and
 * `signet demo --once` scrapes, signs and remote-writes through the native
 * snappy addon the executable unpacks for itself.
 *
 * The executable is built here (about 7 s) unless SIGNET_PACKAGED_BIN names
 * one already built; without esbuild and postject the file is skipped, and
 * says why.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { outcome, type CliResult } from '../helpers/run-cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUILT = join(ROOT, 'dist', 'signet-linux-x64');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** Why the executable cannot be had here, or undefined when it can. */
function unavailable(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return 'the single executable is built for linux-x64 only';
  if (process.env.SIGNET_PACKAGED_BIN) return undefined;
  const places = [join(ROOT, 'package.json')];
  if (process.env.SIGNET_PACKAGE_TOOLS)
    places.push(join(process.env.SIGNET_PACKAGE_TOOLS, 'package.json'));
  for (const tool of ['esbuild', 'postject']) {
    const found = places.some((place) => {
      try {
        createRequire(place).resolve(tool);
        return true;
      } catch {
        return false;
      }
    });
    if (!found) return `${tool} is not installed (npm ci, or SIGNET_PACKAGE_TOOLS=DIR)`;
  }
  return undefined;
}

const skip = unavailable();
const dir = mkdtempSync(join(tmpdir(), 'signet-packaged-'));
const bin = join(dir, 'signet');

before(() => {
  if (skip) return;
  let source = process.env.SIGNET_PACKAGED_BIN;
  if (!source) {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    source = BUILT;
  }
  copyFileSync(source, bin);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The executable with an environment of nothing but an empty HOME, TMPDIR and PATH. */
function runPackaged(args: string[]): Promise<CliResult> {
  const child = spawn(bin, args, {
    cwd: dir,
    env: { PATH: dir, HOME: dir, TMPDIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return outcome(child);
}

function headCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

describe('the single executable, alone in an empty directory', { skip, concurrency: true }, () => {
  test('is one file, and nothing of Node.js or npm is beside it', () => {
    assert.deepEqual(readdirSync(dir), ['signet']);
    assert.ok(statSync(bin).size > 50 * 2 ** 20, 'it carries the Node.js runtime');
  });

  test('`version` and `--version` print the version and the commit it was built from', async () => {
    // A given executable may come from another commit: then only the shape is known.
    const commit = process.env.SIGNET_PACKAGED_BIN ? '[0-9a-f]{12}' : (headCommit() ?? 'unknown');
    for (const args of [['version'], ['--version']]) {
      const r = await runPackaged(args);
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stdout,
        new RegExp(
          `^signet ${PKG.version.replace(/\./g, '\\.')} \\(commit ${commit}(\\+dirty)?(, branch \\S+)?\\)\\n$`,
        ),
      );
      assert.equal(r.stderr, '', 'no experimental-feature warning');
    }
  });

  test('`help` lists the commands and `sign --help` is the command’s own usage', async () => {
    const help = await runPackaged(['help']);
    assert.equal(help.status, 0, help.stderr);
    for (const command of ['sign', 'demo', 'run', 'config', 'doctor', 'local', 'version'])
      assert.match(help.stdout, new RegExp(`^ {2}${command} {2,}`, 'm'));
    const sign = await runPackaged(['sign', '--help']);
    assert.equal(sign.status, 0, sign.stderr);
    assert.match(sign.stdout, /^Usage: signet sign \[options\] URL$/m);
    const bogus = await runPackaged(['bogus']);
    assert.equal(bogus.status, 2);
    assert.match(bogus.stderr, /^signet bogus: unknown command 'bogus'/);
  });

  test(
    '`demo --once` delivers signed, snappy-compressed remote writes through the unpacked addon',
    { timeout: 90_000 },
    async () => {
      const r = await runPackaged(['demo', '--once', '--port', '0', '--agent-port', '0']);
      assert.equal(r.status, 0, r.stderr + r.stdout);
      assert.match(
        r.stdout,
        /^✓ delivered: 2 orders_total series .* in \d+ signed remote_write request\(s\) to the local AMP endpoint, signatures verified$/m,
      );
      // The addon went to HOME's cache, private to this user, and is snappy's own file.
      const cache = join(dir, '.cache', 'signet');
      assert.equal(statSync(cache).mode & 0o077, 0, 'the cache directory is private');
      const [addon, ...more] = readdirSync(cache);
      assert.deepEqual(more, []);
      const shipped = createRequire(
        createRequire(join(ROOT, 'package.json')).resolve('snappy'),
      ).resolve('@napi-rs/snappy-linux-x64-gnu/snappy.linux-x64-gnu.node');
      const digest = (path: string) =>
        createHash('sha256').update(readFileSync(path)).digest('hex');
      assert.equal(digest(join(cache, addon!)), digest(shipped));
      assert.match(addon!, new RegExp(`^snappy-${digest(shipped).slice(0, 16)}\\.node$`));
    },
  );
});
