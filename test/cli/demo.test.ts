/**
 * `signet demo` as a child process: --once finishes within its bound, says
 * what was delivered and that its servers are gone (and they are), and
 * leaves no WAL directory behind; a busy port is a clear one-line error.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runSignet } from '../helpers/run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'signet-demo-test-'));
let busy: Server;
let busyPort: number;

before(async () => {
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  busyPort = (busy.address() as AddressInfo).port;
});
after(async () => {
  await new Promise<void>((r) => busy.close(() => r()));
  rmSync(scratch, { recursive: true, force: true });
});

test(
  'signet demo --once delivers, says so, stops its servers and removes its WAL',
  { timeout: 90_000 },
  async () => {
    const started = Date.now();
    // The demo's WAL goes under TMPDIR; a directory of the test's own shows what is left.
    const r = await runSignet(['demo', '--once', '--port', '0', '--agent-port', '0'], {
      env: { TMPDIR: scratch },
    });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.ok(Date.now() - started < 75_000, 'within the one-minute bound, plus start and stop');
    assert.match(
      r.stdout,
      /^✓ delivered: 2 orders_total series .* in \d+ signed remote_write request\(s\) to the local AMP endpoint, signatures verified$/m,
    );
    assert.match(
      r.stdout,
      /^--once: signet local and the agent are stopped now, so the URLs above no longer answer/m,
    );
    assert.doesNotMatch(
      r.stdout,
      /Look|Running; Ctrl-C/,
      'no invitation to look at stopped servers',
    );
    assert.deepEqual(readdirSync(scratch), [], 'the WAL directory is gone');

    const localUrl = /^signet local: (http:\/\/127\.0\.0\.1:\d+)/m.exec(r.stdout)?.[1];
    const agentUrl = /^Signet agent: (http:\/\/127\.0\.0\.1:\d+)/m.exec(r.stdout)?.[1];
    assert.ok(localUrl && agentUrl, r.stdout);
    for (const url of [localUrl, agentUrl]) {
      await assert.rejects(fetch(url), 'the printed URL is dead, as the summary says');
    }
  },
);

for (const [what, args] of [
  [
    'signet demo, signet local port',
    () => ['demo', '--once', '--agent-port', '0', '--port', String(busyPort)],
  ],
  [
    'signet demo, agent port',
    () => ['demo', '--once', '--port', '0', '--agent-port', String(busyPort)],
  ],
  ['signet local', () => ['local', '--port', String(busyPort)]],
] as const) {
  test(
    `a busy port (${what}) is one line naming the port and what to do, and no hang`,
    { timeout: 30_000 },
    async () => {
      const started = Date.now();
      const r = await runSignet([...args()], { env: { TMPDIR: scratch } });
      assert.equal(r.status, 1, r.stderr);
      assert.ok(Date.now() - started < 15_000, 'it exits at once');
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(
        lines[0]!,
        new RegExp(
          `cannot listen on 127\\.0\\.0\\.1:${busyPort}: something else is already using port ${busyPort} \\(find what holds it .* or pass --(agent-)?port N, where 0 picks a free one\\)$`,
        ),
      );
      assert.doesNotMatch(r.stderr, /unexpected error|please report/);
      assert.deepEqual(readdirSync(scratch), [], 'no WAL directory left behind');
    },
  );
}

test(
  'signet run with its HTTP port busy says so in one line and exits, leaving nothing running',
  { timeout: 30_000 },
  async () => {
    const file = join(scratch, 'busy-agent.yaml');
    writeFileSync(
      file,
      `server: { http_listen_port: ${busyPort} }
metrics:
  wal_directory: ${join(scratch, 'wal')}
  configs:
    - name: a
      scrape_configs:
        - job_name: self
          static_configs: [{ targets: ['127.0.0.1:9'] }]
      remote_write:
        - url: https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-x/api/v1/remote_write
          sigv4: { region: us-east-1, access_key: AKIAIOSFODNN7EXAMPLE, secret_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY }
`,
    );
    try {
      const started = Date.now();
      const r = await runSignet(['run', `-config.file=${file}`], { env: { TMPDIR: scratch } });
      assert.equal(r.status, 1, r.stderr);
      assert.ok(Date.now() - started < 15_000, 'it exits at once');
      assert.match(
        r.stderr,
        new RegExp(
          `cannot listen on 127\\.0\\.0\\.1:${busyPort}: something else is already using port ${busyPort}`,
        ),
      );
      assert.doesNotMatch(r.stderr, /unexpected error|please report/);
    } finally {
      rmSync(file, { force: true });
      rmSync(join(scratch, 'wal'), { recursive: true, force: true });
    }
  },
);
