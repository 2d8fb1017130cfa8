/**
 * `npm run package`'s single executable, copied alone into an empty
 * directory and run with no Node.js on PATH and no node_modules anywhere
 * near: every command answers, `signet version` names the commit, and
 * `signet demo --once` scrapes, signs and remote-writes through the native
 * snappy addon the executable unpacks for itself; and, end to end, the
 * executable's `signet run` scrapes a target and remote-writes it to the
 * executable's `signet local`, where a query signed by the AWS SDK's own
 * signer finds the samples.
 *
 * The executable is built here (about 7 s) unless SIGNET_PACKAGED_BIN names
 * one already built; without esbuild and postject the file is skipped, and
 * says why.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY } from '../../src/local/index.js';
import { TestTarget, instantQuery } from '../agent/harness.js';
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
  return outcome(startPackaged(args));
}

function startPackaged(args: string[], env: Record<string, string> = {}, cwd = dir) {
  return spawn(bin, args, {
    cwd,
    env: { PATH: dir, HOME: dir, TMPDIR: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the first match of `pattern` in what `stream` prints (within 15 s). */
function printed(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`not printed: ${pattern}\n${text}`)), 15_000);
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = pattern.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
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

describe('the single executable, end to end', { skip }, () => {
  test(
    '`signet run` scrapes and remote-writes, signed, to `signet local`; the SDK signer reads it back',
    { timeout: 60_000 },
    async (t) => {
      const target = await TestTarget.start(
        '# TYPE shop_orders_total counter\nshop_orders_total{status="paid"} 42\n',
      );
      t.after(() => target.close());
      const local = startPackaged(['local', '--port', '0']);
      t.after(() => local.kill('SIGKILL'));
      const localUrl = await printed(local.stdout, /on (http:\/\/127\.0\.0\.1:\d+)/);
      const work = join(dir, 'e2e');
      mkdirSync(work);
      writeFileSync(
        join(work, 'agent.yaml'),
        `server: { log_level: info, http_listen_address: 127.0.0.1, http_listen_port: 0 }
metrics:
  wal_directory: wal
  global: { scrape_interval: 1s }
  configs:
    - name: e2e
      scrape_configs:
        - job_name: shop
          static_configs: [{ targets: ['${target.address}'] }]
      remote_write:
        - url: ${localUrl}/workspaces/ws-e2e/api/v1/remote_write
          sigv4: { region: us-east-1 }
          queue_config: { batch_send_deadline: 1s }
`,
      );
      const agent = startPackaged(
        ['run', '-config.file=agent.yaml'],
        {
          AWS_ACCESS_KEY_ID: DEMO_ACCESS_KEY_ID,
          AWS_SECRET_ACCESS_KEY: DEMO_SECRET_ACCESS_KEY,
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        work,
      );
      const exited = new Promise<number | null>((r) => agent.on('exit', r));
      t.after(() => agent.kill('SIGKILL'));
      await printed(agent.stderr, /(Signet is running)/);
      let samples: Awaited<ReturnType<typeof instantQuery>> = [];
      for (let i = 0; i < 100 && samples.length === 0; i++) {
        samples = await instantQuery(
          `${localUrl}/workspaces/ws-e2e`,
          'shop_orders_total',
          'us-east-1',
        );
        if (samples.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(samples.length, 1, 'the scraped series arrived');
      assert.equal(samples[0]!.value, 42);
      assert.equal(samples[0]!.metric.job, 'shop');
      agent.kill('SIGTERM');
      assert.equal(await exited, 0, 'a clean stop');
      assert.ok(readdirSync(join(work, 'wal')).length > 0, 'the WAL was in the working directory');
    },
  );
});
