/**
 * deploy/ec2, deploy/iam and the Containerfile: the systemd unit passes
 * `systemd-analyze verify` with nothing said, the EC2 agent config passes
 * `signet config check`, the IAM policies are what `signet iam-policy`
 * prints today, and the image's root filesystem, built into a directory as
 * the Containerfile lays it out, runs the packaged binary as user 65532
 * with only the volume writable.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { outcome, runSignet, type CliResult } from '../helpers/run-cli.js';
import { DEPLOY, REPO, byKind, onPath, readDocuments } from './helpers.js';

const UNIT = join(DEPLOY, 'ec2', 'signet.service');
const EC2_AGENT = join(DEPLOY, 'ec2', 'agent.yaml');
const PACKAGED = join(REPO, 'dist', 'signet-linux-x64');
const ACCOUNT = '123456789012';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => boolean, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; !check();) {
    if (Date.now() > end) throw new Error('timed out');
    await delay(100);
  }
}

/** Polls url until it answers 200; fails early with the agent's output if it exits first. */
async function waitUntilReady(url: string, exited: Promise<CliResult>): Promise<void> {
  let done: CliResult | undefined;
  void exited.then((r) => (done = r));
  for (const end = Date.now() + 15_000; Date.now() < end; await delay(100)) {
    if (done) throw new Error(`signet run exited ${String(done.status)}: ${done.stderr}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
  }
  throw new Error(`${url} not ready in 15 s`);
}

function scratch(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'signet-deploy-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The DaemonSet's agent config written to a file, as the ConfigMap mounts it. */
function eksAgentConfig(dir: string): string {
  const [cm] = byKind(
    readDocuments(join(DEPLOY, 'kubernetes', 'base', 'configmap.yaml')),
    'ConfigMap',
  );
  const file = join(dir, 'agent.yaml');
  writeFileSync(file, (cm as unknown as { data: Record<string, string> }).data['agent.yaml']!);
  return file;
}

/** The Containerfile's final stage: its instructions, one per logical line. */
function finalStage(): string[] {
  const lines = readFileSync(join(REPO, 'Containerfile'), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const from = lines.findLastIndex((l) => l.startsWith('FROM '));
  return lines.slice(from);
}

describe('deploy/ec2, deploy/iam and the Containerfile', { concurrency: true }, () => {
  test('the systemd unit passes systemd-analyze verify with nothing to say', async (t) => {
    const unit = readFileSync(UNIT, 'utf8');
    const expected = [
      'User=signet',
      'StateDirectory=signet',
      'ExecStart=/usr/local/bin/signet run -config.file=/etc/signet/agent.yaml',
      'Restart=on-failure',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'ReadWritePaths=/var/lib/signet',
      'ReadOnlyPaths=/var/log',
    ];
    for (const line of expected) assert.ok(unit.split('\n').includes(line), line);
    const analyze = onPath('systemd-analyze');
    if (!analyze) {
      t.skip('systemd-analyze is not installed');
      return;
    }
    // verify insists that ExecStart's program exists: /usr/local/bin/signet
    // is not installed on a test machine, so a copy names Node.js instead.
    const dir = scratch(t);
    const copy = join(dir, 'signet.service');
    writeFileSync(copy, unit.replace('/usr/local/bin/signet ', `${process.execPath} `));
    const result = await outcome(
      spawn(analyze, ['verify', copy], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    assert.equal(result.status, 0, result.stderr);
    // verify exits 0 over unknown keys and bad values: it must say nothing.
    assert.equal(result.stderr + result.stdout, '');
  });

  test('the EC2 agent config passes signet config check, with no key not implemented', async () => {
    const result = await runSignet(['config', 'check', `-config.file=${EC2_AGENT}`]);
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stdout + result.stderr, /not implement|warn/i);
    assert.match(result.stdout, /valid \(1 instance\(s\), 2 scrape job\(s\), 1 remote_write/);
  });

  test('the IAM policies are what signet iam-policy prints for the EC2 and the DaemonSet configs', async (t) => {
    const dir = scratch(t);
    const cases: { policy: string; args: string[]; env: Record<string, string> }[] = [
      { policy: 'ec2-policy.json', args: [`-config.file=${EC2_AGENT}`], env: {} },
      {
        policy: 'eks-policy.json',
        args: ['-config.expand-env', `-config.file=${eksAgentConfig(dir)}`],
        env: { HOSTNAME: 'ip-10-0-1-23.ec2.internal' },
      },
    ];
    for (const c of cases) {
      const result = await runSignet(['iam-policy', ...c.args, '--account', ACCOUNT], {
        env: c.env,
      });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(
        result.stdout,
        readFileSync(join(DEPLOY, 'iam', c.policy), 'utf8'),
        `deploy/iam/${c.policy} is stale: regenerate it with signet iam-policy`,
      );
      const policy = JSON.parse(result.stdout) as { Statement: { Action: string | string[] }[] };
      const actions = policy.Statement.flatMap((s) => s.Action).sort();
      assert.deepEqual(actions, [
        'aps:RemoteWrite',
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ]);
    }
  });

  test("the Containerfile's final stage: distroless, user 65532, one volume, signet run", () => {
    const stage = finalStage();
    assert.equal(stage[0], 'FROM gcr.io/distroless/cc-debian12:nonroot');
    assert.ok(stage.includes('USER 65532:65532'));
    assert.ok(stage.includes('VOLUME ["/var/lib/signet"]'));
    assert.ok(stage.includes('ENTRYPOINT ["/usr/local/bin/signet", "run"]'));
    assert.ok(stage.includes('CMD ["-config.file=/etc/signet/agent.yaml"]'));
    assert.equal(stage.filter((l) => l.startsWith('HEALTHCHECK')).length, 0);
    const copies = stage.filter((l) => l.startsWith('COPY '));
    assert.deepEqual(
      copies.map((l) => l.split(/\s+/).slice(-2)),
      [
        ['/src/dist/signet-linux-x64', '/usr/local/bin/signet'],
        ['/rootfs/var/lib/signet', '/var/lib/signet'],
      ],
    );
  });

  test("the image's root filesystem, built into a directory, runs signet as 65532 with only the volume writable", async (t) => {
    if (!existsSync(PACKAGED)) {
      t.skip('dist/signet-linux-x64 is missing: run npm run package first');
      return;
    }
    const chroot =
      onPath('chroot') ?? (existsSync('/usr/sbin/chroot') ? '/usr/sbin/chroot' : undefined);
    if (process.getuid?.() !== 0 || !chroot || !onPath('dpkg')) {
      t.skip('building and entering the root filesystem needs root, chroot and dpkg (Debian)');
      return;
    }
    const root = scratch(t);
    chmodSync(root, 0o755);
    // The final stage's layers: the binary, root's 0755, and the volume owned by 65532.
    const bin = join(root, 'usr/local/bin/signet');
    mkdirSync(dirname(bin), { recursive: true });
    copyFileSync(PACKAGED, bin);
    chmodSync(bin, 0o755);
    for (const d of ['var/lib/signet', 'var/lib/signet/cache']) {
      mkdirSync(join(root, d), { recursive: true });
      chownSync(join(root, d), 65532, 65532);
    }
    // What distroless cc-debian12 brings: Debian 12's libc6, libgcc-s1 and
    // libstdc++6 packages, here taken from this Debian 12 host.
    const dpkg = execFileSync('dpkg', ['-L', 'libc6', 'libgcc-s1', 'libstdc++6'], {
      encoding: 'utf8',
    });
    const libs = dpkg.split('\n').filter((l) => /\.so(\.\d+)*$/.test(l) && !l.includes('/gconv/'));
    for (const lib of libs) {
      if (!statSync(lib).isFile()) continue;
      mkdirSync(dirname(join(root, lib)), { recursive: true });
      copyFileSync(lib, join(root, lib));
    }
    // The image's ENV, and nothing else.
    const env = { SIGNET_CACHE_DIR: '/var/lib/signet/cache' };
    const inRoot = (...args: string[]) =>
      spawn(chroot, ['--userspec=65532:65532', root, '/usr/local/bin/signet', ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const version = await outcome(inRoot('version'));
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, /^signet \d+\.\d+\.\d+ \(commit /);

    // `signet run` as the image runs it: it scrapes itself, unpacks its
    // native addon into the volume and writes its WAL there.
    const port = await freePort();
    const config = (wal: string): string =>
      `metrics:\n  wal_directory: ${wal}\n  global: { scrape_interval: 1s }\n  configs:\n` +
      `    - name: self\n      scrape_configs:\n        - job_name: signet\n` +
      `          static_configs: [{ targets: ['127.0.0.1:${port}'] }]\n` +
      `      remote_write: [{ url: 'http://127.0.0.1:9/api/v1/write' }]\n`;
    writeFileSync(join(root, 'var/lib/signet/agent.yaml'), config('/var/lib/signet/wal'));
    writeFileSync(join(root, 'var/lib/signet/outside.yaml'), config('/wal'));
    const address = `-server.http.address=127.0.0.1:${port}`;
    const agent = inRoot('run', '-config.file=/var/lib/signet/agent.yaml', address);
    const ran = outcome(agent);
    t.after(() => agent.kill('SIGKILL'));
    let said = '';
    agent.stdout.on('data', (c: Buffer) => (said += c.toString('utf8')));
    agent.stderr.on('data', (c: Buffer) => (said += c.toString('utf8')));
    await waitUntilReady(`http://127.0.0.1:${port}/-/ready`, ran);
    // /-/ready answers before `run` has set its SIGTERM handler; the agent's
    // "Signet is running" comes just before it is set.
    await waitFor(() => said.includes('Signet is running'));
    await waitFor(() =>
      readdirSync(join(root, 'var/lib/signet/cache')).some((f) => f.endsWith('.node')),
    );
    agent.kill('SIGTERM');
    const stopped = await ran;
    assert.equal(stopped.status, 0, stopped.stderr);
    assert.equal(statSync(join(root, 'var/lib/signet/wal')).uid, 65532);
    // The same with the WAL outside the volume: refused, nothing else is writable.
    const outside = await outcome(
      inRoot('run', '-config.file=/var/lib/signet/outside.yaml', address),
    );
    assert.notEqual(outside.status, 0);
    assert.match(outside.stderr, /EACCES|permission denied/i);
  });
});
