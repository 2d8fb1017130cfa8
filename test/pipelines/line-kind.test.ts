/**
 * A pipeline kind from outside src/ runs in the real agent and keeps the
 * never-lose-data promise across a SIGKILL: lines acknowledged before the
 * kill are replayed from its WAL by the next process and delivered.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir, waitFor } from '../agent/harness.js';

const CHILD = fileURLToPath(new URL('./fixtures/line-agent.js', import.meta.url));

async function startAgent(
  walDir: string,
  endpoint: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CHILD, walDir, endpoint], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`line agent exited with ${code}`)));
  });
  return { child, url };
}

async function push(url: string, from: number, to: number): Promise<void> {
  const lines = [];
  for (let i = from; i <= to; i++) lines.push(`line ${i}`);
  const res = await fetch(`${url}/lines/app`, { method: 'POST', body: lines.join('\n') });
  assert.equal(res.status, 204);
}

test('a pipeline kind defined in the test tree survives SIGKILL: every acknowledged line is delivered', async (t) => {
  const dir = tempDir('signet-lines-');
  t.after(() => dir.remove());
  const received: string[] = [];
  let accept = 3; // the first requests succeed, then the endpoint is down until the restart
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (accept <= 0) {
        res.writeHead(503).end();
        return;
      }
      accept--;
      received.push(...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as string[]));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  t.after(() => receiver.close());
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/push`;

  const one = await startAgent(dir.path, endpoint);
  for (let i = 0; i < 20; i++) await push(one.url, i * 50 + 1, i * 50 + 50);
  await waitFor('the endpoint took the first chunks', () =>
    received.length > 0 ? true : undefined,
  );
  one.child.kill('SIGKILL');
  await new Promise((r) => one.child.once('exit', r));
  const beforeKill = received.length;
  assert.ok(beforeKill < 1000, 'most lines were still only in the WAL at the kill');

  accept = Number.POSITIVE_INFINITY;
  const two = await startAgent(dir.path, endpoint);
  t.after(() => two.child.kill('SIGKILL'));
  await push(two.url, 1001, 1500);
  await waitFor('every line delivered', () => (new Set(received).size >= 1500 ? true : undefined));
  const unique = new Set(received);
  for (let i = 1; i <= 1500; i++) assert.ok(unique.has(`line ${i}`), `line ${i} was lost`);
  // Progress is saved after every delivered chunk, so at most one chunk comes twice.
  assert.ok(received.length - unique.size <= 50, `${received.length - unique.size} duplicates`);
  const status = (await (await fetch(`${two.url}/agent/api/v1/pipelines`)).json()) as {
    data: { kind: string; name: string }[];
  };
  assert.deepEqual(
    status.data.map((p) => [p.kind, p.name]),
    [['lines', 'app']],
  );
});
