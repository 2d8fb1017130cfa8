/**
 * SIGTERM against an endpoint that never answers: Signet exits within
 * server.graceful_shutdown_timeout instead of waiting out remote_timeout,
 * and what it could not send is delivered by the next start from the WAL.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { SIGNET_BIN } from '../helpers/run-cli.js';
import { Receiver } from '../sinks/remote-write/receiver.js';
import { acceptedValues, counterTarget, tempDir, waitFor } from './harness.js';

test('SIGTERM with a hung endpoint exits within graceful_shutdown_timeout and loses nothing', async (t) => {
  const dir = tempDir('signet-shutdown-');
  t.after(() => dir.remove());
  const target = await counterTarget('shutdown_scrape_number');
  t.after(() => target.close());
  // Accepts connections and reads requests, never answers.
  const held: Socket[] = [];
  const hung = createServer((socket) => {
    held.push(socket);
    socket.resume();
  });
  await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
  t.after(() => {
    for (const s of held) s.destroy();
    hung.close();
  });
  const receiver = new Receiver(() => ({ status: 200 }));
  await receiver.start();
  t.after(() => receiver.stop());

  const file = join(dir.path, 'agent.yaml');
  const write = (url: string): void =>
    writeFileSync(
      file,
      `server: { http_listen_port: 0, graceful_shutdown_timeout: 3s }
metrics:
  wal_directory: ${join(dir.path, 'wal')}
  global: { scrape_interval: 200ms, scrape_timeout: 200ms }
  configs:
    - name: s
      scrape_configs:
        - job_name: counter
          static_configs: [{ targets: ['${target.address}'] }]
      remote_write:
        - name: rx
          url: ${url}
          remote_timeout: 60s
          queue_config: { batch_send_deadline: 100ms }
`,
    );
  const hungUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/write`;
  write(hungUrl);
  const env = { PATH: process.env.PATH ?? '', HOME: dir.path, AWS_EC2_METADATA_DISABLED: 'true' };
  const one = spawn(process.execPath, [SIGNET_BIN, 'run', `-config.file=${file}`], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  one.stderr.on('data', (c: Buffer) => (log += c.toString('utf8')));
  const first = target.scrapes + 1;
  await waitFor('requests hanging at the endpoint', () =>
    held.length > 0 && target.scrapes > first + 5 ? true : undefined,
  );
  const lastBeforeStop = target.scrapes - 1;
  const stopAt = Date.now();
  one.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => one.once('exit', r));
  const took = Date.now() - stopAt;
  assert.equal(code, 0, log);
  assert.ok(took < 3000, `stopped in ${took} ms, over the 3 s bound`);
  assert.match(log, /stopped.*took_ms/);

  write(receiver.url);
  const two = spawn(process.execPath, [SIGNET_BIN, 'run', `-config.file=${file}`], {
    env,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  t.after(() => two.kill('SIGKILL'));
  await waitFor('every value scraped before the stop', () => {
    const values = acceptedValues(receiver, 'shutdown_scrape_number').values;
    for (let v = first; v <= lastBeforeStop; v++) if (!values.has(v)) return undefined;
    return true;
  });
});
