/**
 * `signet doctor` and `signet run` (child processes) with a config that names
 * the real AMP host and only an environment variable pointing at a
 * `signet local` on an ephemeral port: both must go to the same place, signed
 * for the real service and region. The machine has no network, so with no
 * variable the test checks the host both try, not that they reach it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  startLocal,
  type LocalStack,
} from '../../src/local/index.js';
import type { LoggedRequest } from '../../src/local/request-log.js';
import { counterTarget, tempDir, waitFor, type TestTarget } from '../agent/harness.js';
import { loggedRequests } from '../helpers/local-stack.js';
import { SIGNET_BIN, outcome, runSignet } from '../helpers/run-cli.js';

const AMP_HOST = 'aps-workspaces.us-east-1.amazonaws.com';
const AMP_PATH = '/workspaces/ws-x/api/v1/remote_write';

let local: LocalStack;
let target: TestTarget;
before(async () => {
  // Port 0: an ephemeral port, never signet local's default.
  local = await startLocal({ port: 0, region: 'us-east-1' });
  target = await counterTarget('override_test_total');
});
after(() => Promise.all([local.close(), target.close()]));

interface DoctorDestination {
  url: string;
  configuredUrl: string;
  endpointOverride: string | null;
  region: string | null;
  regionSource: string | null;
  service: string | null;
  probe: { ok: boolean; problem: { message: string } | null };
}

function agentConfig(dir: string): string {
  const file = join(dir, 'agent.yaml');
  writeFileSync(
    file,
    `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${join(dir, 'wal')}
  global: { scrape_interval: 1s, scrape_timeout: 1s }
  configs:
    - name: amp
      scrape_configs:
        - job_name: counter
          static_configs: [{ targets: ['${target.address}'] }]
      remote_write:
        - url: https://${AMP_HOST}${AMP_PATH}
          sigv4: {}
          queue_config: { batch_send_deadline: 200ms, min_backoff: 100ms, max_backoff: 200ms }
`,
  );
  return file;
}

/** Credentials from the environment, no IMDS, no region: it must come from the URL's host. */
function env(dir: string, extra: Record<string, string>): Record<string, string> {
  return {
    HOME: dir,
    AWS_ACCESS_KEY_ID: DEMO_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: DEMO_SECRET_ACCESS_KEY,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

async function doctor(file: string, environment: Record<string, string>) {
  const r = await runSignet(['doctor', '--config.file', file, '--json'], { env: environment });
  const report = JSON.parse(r.stdout) as { destinations: DoctorDestination[] };
  assert.equal(report.destinations.length, 1, r.stderr);
  return { status: r.status, destination: report.destinations[0]! };
}

/**
 * Starts `signet run`, waits until `until` holds for what it printed and the
 * local request log, then stops it; returns its stderr (the log).
 */
async function run(
  file: string,
  environment: Record<string, string>,
  until: (log: string) => Promise<boolean>,
  // SIGKILL where nothing can be delivered: a graceful stop would wait out its drain.
  stopWith: NodeJS.Signals = 'SIGTERM',
): Promise<string> {
  const child = spawn(process.execPath, [SIGNET_BIN, 'run', `-config.file=${file}`], {
    env: { PATH: process.env.PATH ?? '', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const done = outcome(child);
  try {
    await waitFor(
      'signet run to send',
      async () => ((await until(printed)) ? true : undefined),
      150,
    );
  } finally {
    child.kill(stopWith);
  }
  const result = await done;
  return result.stderr;
}

/** Remote writes that reached the local AMP after `since` entries, each with its verdict. */
async function remoteWrites(since: number): Promise<LoggedRequest[]> {
  return (await loggedRequests(local))
    .slice(since)
    .filter((e) => e.service === 'aps' && e.operation === 'RemoteWrite');
}

describe('doctor and run send to the same place under an endpoint override', () => {
  for (const variable of ['AWS_ENDPOINT_URL_AMP', 'AWS_ENDPOINT_URL'] as const) {
    test(`${variable} points both at signet local; the config names the real AMP host`, async () => {
      const dir = tempDir('signet-override-');
      try {
        const file = agentConfig(dir.path);
        const environment = env(dir.path, { [variable]: local.url });
        const localHost = new URL(local.url).host;

        const start = (await loggedRequests(local)).length;
        const d = await doctor(file, environment);
        assert.equal(d.destination.url, `${local.url}${AMP_PATH}`);
        assert.equal(d.destination.configuredUrl, `https://${AMP_HOST}${AMP_PATH}`);
        assert.equal(d.destination.endpointOverride, variable);
        assert.deepEqual(
          [d.destination.service, d.destination.region, d.destination.regionSource],
          ['aps', 'us-east-1', 'endpoint'],
        );
        assert.equal(d.destination.probe.ok, true, JSON.stringify(d.destination.probe));
        const probes = await remoteWrites(start);
        assert.equal(probes.length, 1, "doctor's one probe reached signet local");
        // Local verifies with its own region (us-east-1) and AMP's signing name (aps).
        assert.equal(probes[0]!.signature, 'verified');
        assert.equal(probes[0]!.path, AMP_PATH);
        assert.ok(probes[0]!.status >= 200 && probes[0]!.status < 300);

        const afterDoctor = (await loggedRequests(local)).length;
        const log = await run(file, environment, async () => {
          const writes = await remoteWrites(afterDoctor);
          return writes.filter((w) => w.status >= 200 && w.status < 300).length >= 2;
        });
        const writes = await remoteWrites(afterDoctor);
        assert.ok(writes.length >= 2);
        for (const w of writes) {
          assert.equal(w.signature, 'verified', JSON.stringify(w));
          assert.equal(w.path, AMP_PATH);
        }
        assert.match(
          log,
          new RegExp(
            `${variable} is set: sending to ${localHost.replace(/\./g, '\\.')} instead of ${AMP_HOST.replace(/\./g, '\\.')}, signed for aps in us-east-1`,
          ),
        );
        assert.equal(
          log.split(`${variable} is set`).length - 1,
          1,
          'the override is logged once, at start',
        );
      } finally {
        dir.remove();
      }
    });
  }

  test('with neither, both try the real AMP host and nothing reaches signet local', async () => {
    const dir = tempDir('signet-override-');
    try {
      const file = agentConfig(dir.path);
      const environment = env(dir.path, {});
      const start = (await loggedRequests(local)).length;

      const d = await doctor(file, environment);
      assert.equal(d.status, 1);
      assert.equal(d.destination.url, `https://${AMP_HOST}${AMP_PATH}`);
      assert.equal(d.destination.endpointOverride, null);
      assert.deepEqual(
        [d.destination.service, d.destination.region, d.destination.regionSource],
        ['aps', 'us-east-1', 'endpoint'],
      );
      assert.equal(d.destination.probe.ok, false);
      assert.match(
        d.destination.probe.problem?.message ?? '',
        new RegExp(`Could not reach https://${AMP_HOST.replace(/\./g, '\\.')}/`),
      );

      const log = await run(
        file,
        environment,
        (printed) => Promise.resolve(printed.includes(`Could not reach https://${AMP_HOST}`)),
        'SIGKILL',
      );
      assert.match(
        log,
        /remote write to \S+ failed, retrying: Could not reach https:\/\/aps-workspaces/,
      );
      assert.doesNotMatch(log, /AWS_ENDPOINT_URL/);
      assert.deepEqual(await remoteWrites(start), []);
    } finally {
      dir.remove();
    }
  });

  test('doctor reports a --region from the command line as such, not as from the config', async () => {
    const dir = tempDir('signet-override-');
    try {
      const file = agentConfig(dir.path);
      const environment = env(dir.path, { AWS_ENDPOINT_URL_AMP: local.url });
      const d = await doctor(file, environment);
      assert.equal(d.destination.regionSource, 'endpoint');
      const flagged = await runSignet(['doctor', '--config.file', file, '--region', 'us-east-1'], {
        env: environment,
      });
      assert.match(flagged.stdout, /signs as region us-east-1 \(from --region\), service aps/);
      assert.match(
        flagged.stdout,
        new RegExp(
          `sent to ${local.url.replace(/\./g, '\\.')}${AMP_PATH} \\(AWS_ENDPOINT_URL_AMP is set\\)`,
        ),
      );
      assert.match(flagged.stdout, /✔ signed probe accepted/);
      const json = await runSignet(
        ['doctor', '--config.file', file, '--region', 'us-east-1', '--json'],
        { env: environment },
      );
      const report = JSON.parse(json.stdout) as { destinations: DoctorDestination[] };
      assert.equal(report.destinations[0]?.regionSource, 'command-line');
    } finally {
      dir.remove();
    }
  });
});
