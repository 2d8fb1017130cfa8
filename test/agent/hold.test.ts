/**
 * An operator's mistake costs no data that is still on disk: with a wrong
 * secret key, the remote write is held (not dropped) and says so in the
 * log, in /metrics and in the pipelines API; once the credentials file is
 * fixed every sample scraped meanwhile arrives. The same for a wrong region
 * fixed by /-/reload.
 */
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { Agent } from '../../src/agent/agent.js';
import { loadAgentConfig } from '../../src/config/agent/load.js';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  startLocal,
  type LocalStack,
} from '../../src/local/index.js';
import { smithySignedHeaders } from '../helpers/smithy-sign.js';
import { counterTarget, LogCapture, tempDir, waitFor, type TestTarget } from './harness.js';

let local: LocalStack;
let target: TestTarget;
before(async () => {
  local = await startLocal({});
  target = await counterTarget('hold_scrape_number');
});
after(async () => {
  await Promise.all([local.close(), target.close()]);
});

/** Every value of hold_scrape_number AMP holds, read back through its query API. */
async function stored(workspace: string, fromMs: number): Promise<Set<number>> {
  const url =
    `${local.url}/workspaces/${workspace}/api/v1/query_range?query=hold_scrape_number` +
    `&start=${fromMs / 1000}&end=${Date.now() / 1000 + 1}&step=0.05`;
  const headers = await smithySignedHeaders({ service: 'aps', region: 'us-east-1' }, 'GET', url);
  const body = (await (await fetch(url, { headers })).json()) as {
    data: { result: { values: [number, string][] }[] };
  };
  return new Set(body.data.result.flatMap((r) => r.values.map(([, v]) => Number(v))));
}

function missing(values: Set<number>, from: number, to: number): number[] {
  const gaps: number[] = [];
  for (let v = from; v <= to; v++) if (!values.has(v)) gaps.push(v);
  return gaps;
}

function agentYaml(wal: string, workspace: string, region: string): string {
  return `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${wal}
  global: { scrape_interval: 200ms, scrape_timeout: 200ms }
  configs:
    - name: held
      scrape_configs:
        - job_name: counter
          static_configs: [{ targets: ['${target.address}'] }]
      remote_write:
        - name: amp
          url: ${local.url}/workspaces/${workspace}/api/v1/remote_write
          sigv4: { region: ${region} }
          queue_config: { batch_send_deadline: 100ms, min_backoff: 20ms, max_backoff: 200ms }
`;
}

function writeCredentials(home: string, secret: string): void {
  mkdirSync(join(home, '.aws'), { recursive: true });
  writeFileSync(
    join(home, 'staged'),
    `[default]\naws_access_key_id = ${DEMO_ACCESS_KEY_ID}\naws_secret_access_key = ${secret}\n`,
  );
  renameSync(join(home, 'staged'), join(home, '.aws', 'credentials'));
}

interface HeldAgent {
  agent: Agent;
  logs: LogCapture;
  dir: string;
  file: string;
  /** When the agent started, and the first scrape number it can have taken. */
  startedAt: number;
  first: number;
}

/** An agent with credentials whose secret is `secret`, writing to `workspace` signed for `region`. */
async function startAgent(
  t: TestContext,
  secret: string,
  workspace: string,
  region: string,
): Promise<HeldAgent> {
  const dir = tempDir('signet-hold-');
  t.after(() => dir.remove());
  writeCredentials(dir.path, secret);
  const file = join(dir.path, 'agent.yaml');
  writeFileSync(file, agentYaml(join(dir.path, 'wal'), workspace, region));
  const logs = new LogCapture();
  const startedAt = Date.now();
  const first = target.scrapes + 1;
  const { config } = loadAgentConfig(file);
  const agent = await Agent.start(config, [], {
    logStream: logs,
    env: { HOME: dir.path, AWS_EC2_METADATA_DISABLED: 'true' },
    loadConfig: () => loadAgentConfig(file),
  });
  t.after(() => agent.stop(500));
  return { agent, logs, dir: dir.path, file, startedAt, first };
}

test('a wrong secret holds the data, says so everywhere, and everything arrives once the file is fixed', async (t) => {
  const { agent, logs, dir, startedAt, first } = await startAgent(
    t,
    'wrongwrongwrongwrongwrongwrongwrongwrong',
    'ws-hold',
    'us-east-1',
  );

  await waitFor('the block reported', () =>
    logs.lines.some((l) => /held|hold/i.test(l) && /amp/.test(l)) ? true : undefined,
  );
  const metrics = await (await fetch(`${agent.server.url}/metrics`)).text();
  assert.match(
    metrics,
    /signet_destination_blocked\{destination="remote_write\/amp",reason="\w+"\} 1/,
  );
  assert.match(metrics, /signet_aws_credentials_up\{source="shared-files"\} 0/);
  const pipelines = (await (await fetch(`${agent.server.url}/agent/api/v1/pipelines`)).json()) as {
    data: { remoteWrites: { blocked: { reason: string; hint: string } | null }[] }[];
  };
  assert.ok(pipelines.data[0]!.remoteWrites[0]!.blocked, 'the block is in the pipelines API');
  assert.equal(
    (await stored('ws-hold', startedAt)).size,
    0,
    'nothing accepted with a wrong secret',
  );
  await waitFor('scrapes while held', () => (target.scrapes > first + 10 ? true : undefined));

  writeCredentials(dir, DEMO_SECRET_ACCESS_KEY);
  const fixedAt = target.scrapes;
  await waitFor(
    'every value scraped while held',
    async () =>
      missing(await stored('ws-hold', startedAt), first, fixedAt).length === 0 ? true : undefined,
    300,
  );
  const after = await (await fetch(`${agent.server.url}/metrics`)).text();
  assert.doesNotMatch(after, /signet_destination_blocked\{[^}]*\} 1/);
  assert.match(after, /signet_aws_credentials_up\{source="shared-files"\} 1/);
  assert.match(after, /prometheus_remote_storage_samples_failed_total\{[^}]*\} 0/);
  assert.ok(
    logs.lines.some((l) => /recovered/.test(l)),
    'the recovery is logged',
  );
});

test('a wrong region holds the data until /-/reload brings the right one; nothing is lost', async (t) => {
  const { agent, dir, file, startedAt, first } = await startAgent(
    t,
    DEMO_SECRET_ACCESS_KEY,
    'ws-region',
    'us-east-2',
  );
  await waitFor('the region block', async () => {
    const m = await (await fetch(`${agent.server.url}/metrics`)).text();
    return /signet_destination_blocked\{destination="remote_write\/amp",reason="region"\} 1/.test(m)
      ? true
      : undefined;
  });
  await waitFor('scrapes while held', () => (target.scrapes > first + 10 ? true : undefined));
  writeFileSync(file, agentYaml(join(dir, 'wal'), 'ws-region', 'us-east-1'));
  const answer = await fetch(`${agent.server.url}/-/reload`, { method: 'POST' });
  assert.equal(answer.status, 200, await answer.text());
  const fixedAt = target.scrapes;
  await waitFor(
    'every value scraped while held',
    async () =>
      missing(await stored('ws-region', startedAt), first, fixedAt).length === 0 ? true : undefined,
    300,
  );
});
