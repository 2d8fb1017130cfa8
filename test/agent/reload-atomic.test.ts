/**
 * A reload that cannot be built is refused before anything running is
 * touched: with a bad regex in metric_relabel_configs, both /-/reload and
 * SIGHUP leave the agent scraping and sending, and say why with the place.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { SIGNET_BIN } from '../helpers/run-cli.js';
import { Receiver } from '../sinks/remote-write/receiver.js';
import { acceptedValues, apiTargets, counterTarget, tempDir, waitFor } from './harness.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

test('a reload with a bad regex keeps scraping and says why, over /-/reload and SIGHUP', async (t) => {
  const dir = tempDir('signet-reload-atomic-');
  t.after(() => dir.remove());
  const target = await counterTarget('atomic_scrape_number');
  t.after(() => target.close());
  const receiver = new Receiver(() => ({ status: 200 }));
  await receiver.start();
  t.after(() => receiver.stop());
  const port = await freePort();
  const file = join(dir.path, 'agent.yaml');
  const write = (regex: string): void =>
    writeFileSync(
      file,
      `server: { http_listen_port: ${port} }
metrics:
  wal_directory: ${join(dir.path, 'wal')}
  global: { scrape_interval: 100ms, scrape_timeout: 100ms }
  configs:
    - name: a
      scrape_configs:
        - job_name: counter
          static_configs: [{ targets: ['${target.address}'] }]
          metric_relabel_configs:
            - source_labels: [__name__]
              regex: '${regex}'
              action: keep
      remote_write:
        - url: ${receiver.url}
          queue_config: { batch_send_deadline: 50ms }
`,
    );
  write('atomic_.*');
  const child = spawn(process.execPath, [SIGNET_BIN, 'run', `-config.file=${file}`], {
    env: { PATH: process.env.PATH ?? '', HOME: dir.path, AWS_EC2_METADATA_DISABLED: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let log = '';
  child.stderr.on('data', (c: Buffer) => (log += c.toString('utf8')));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('samples arriving', () =>
    acceptedValues(receiver, 'atomic_scrape_number').values.size > 3 ? true : undefined,
  );

  write('atomic_(unclosed');
  const answer = await fetch(`${url}/-/reload`, { method: 'POST' });
  const text = await answer.text();
  assert.equal(answer.status, 400, text);
  assert.match(text, /metric_relabel_configs\[0\]/);
  const scraped = target.scrapes;
  await waitFor('still scraping after the refused /-/reload', () =>
    target.scrapes > scraped + 5 ? true : undefined,
  );
  assert.equal((await apiTargets(url)).length, 1, 'the target is still there');
  assert.equal((await fetch(`${url}/-/ready`)).status, 200);
  assert.match(
    log,
    /configuration not reloaded, the running one stays: .*metric_relabel_configs\[0\]/,
  );

  const linesBefore = log.split('\n').length;
  child.kill('SIGHUP');
  await waitFor('the SIGHUP refusal logged', () =>
    log
      .split('\n')
      .slice(linesBefore - 1)
      .some((l) => /configuration not reloaded/.test(l))
      ? true
      : undefined,
  );
  const sent = acceptedValues(receiver, 'atomic_scrape_number').values.size;
  await waitFor('still sending after the refused SIGHUP', () =>
    acceptedValues(receiver, 'atomic_scrape_number').values.size > sent + 5 ? true : undefined,
  );
});
