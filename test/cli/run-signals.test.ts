/**
 * `signet run` takes SIGTERM from the moment it starts: /-/ready answers
 * while the agent is still starting, and an orchestrator that stops the pod
 * right after (a quick rollout) must get a clean stop, exit status 0 — not a
 * process killed by the signal's default action.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { signetCommand } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'signet-signals-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function stopAtFirstReady(
  round: number,
): Promise<{ code: number | null; signal: string | null; log: string }> {
  const port = await freePort();
  const file = join(dir, `agent-${round}.yaml`);
  writeFileSync(
    file,
    `server: { http_listen_address: 127.0.0.1, http_listen_port: ${port} }
metrics:
  wal_directory: ${join(dir, `wal-${round}`)}
  configs:
    - name: idle
      scrape_configs:
        - job_name: none
          static_configs: [{ targets: ['127.0.0.1:9'] }]
`,
  );
  const [program, args] = signetCommand(['run', `-config.file=${file}`]);
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + 20_000;
  for (;;) {
    assert.ok(Date.now() < deadline, `never ready:\n${log}`);
    const ready = await fetch(`http://127.0.0.1:${port}/-/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill('SIGTERM');
  return { ...(await exited), log };
}

test('SIGTERM at the first ready answer stops the agent cleanly, every time', async () => {
  for (let round = 0; round < 3; round++) {
    const { code, signal, log } = await stopAtFirstReady(round);
    assert.equal(signal, null, `round ${round}: killed by ${signal}\n${log}`);
    assert.equal(code, 0, `round ${round}: exit ${code}\n${log}`);
    assert.match(log, /stopping: finishing scrapes/, log);
  }
});
