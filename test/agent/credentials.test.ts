import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from '../../src/agent/agent.js';
import { parseAgentConfig } from '../../src/config/agent/load.js';
import { parseLocalConfig } from '../../src/local/config/load.js';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  startLocal,
  type LocalStack,
} from '../../src/local/index.js';
import {
  LogCapture,
  TestTarget,
  instantQuery,
  tempDir,
  waitFor,
  metricsPipelines,
} from './harness.js';

let local: LocalStack;
let target: TestTarget;
before(async () => {
  local = await startLocal({
    config: parseLocalConfig(
      `credential_duration_seconds: 8
principals:
  - { name: demo, account_id: '123456789012', access_key_id: ${DEMO_ACCESS_KEY_ID}, secret_access_key: ${DEMO_SECRET_ACCESS_KEY}, policy: admin }
policies:
  admin: [{ effect: Allow, actions: '*', resources: '*' }]
roles:
  - arn: arn:aws:iam::123456789012:role/writer
    trust: { principals: ['arn:aws:iam::123456789012:user/demo'] }
    policy: admin
`,
      'local.yaml',
    ),
  });
  target = await TestTarget.start('');
  const serve = target.server.listeners('request')[0] as (...a: unknown[]) => void;
  target.server.removeAllListeners('request');
  target.server.on('request', (req, res) => {
    target.page = `rollover_scrape_number ${target.scrapes + 1}\n`;
    serve(req, res);
  });
});
after(async () => {
  await Promise.all([local.close(), target.close()]);
});

function yaml(wal: string, auth: string): string {
  return `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${wal}
  global: { scrape_interval: 250ms, scrape_timeout: 250ms }
  configs:
    - name: creds
      scrape_configs:
        - job_name: counter
          static_configs: [{ targets: ['${target.address}'] }]
      remote_write:
        - name: amp
          url: ${local.url}/workspaces/ws-creds/api/v1/remote_write
          aws_auth: ${auth}
          queue_config: { batch_send_deadline: 100ms, min_backoff: 20ms, max_backoff: 200ms }
`;
}

async function latest(): Promise<number | undefined> {
  const r = await instantQuery(
    `${local.url}/workspaces/ws-creds`,
    'rollover_scrape_number',
    'us-east-1',
  );
  return r[0]?.value;
}

describe('credentials while the agent runs', () => {
  test('role credentials that expire every 8 s are refreshed mid-stream: no request refused, nothing dropped', async () => {
    const wal = tempDir('signet-creds-wal-');
    const { config } = parseAgentConfig(
      yaml(wal.path, '{ region: us-east-1, role_arn: arn:aws:iam::123456789012:role/writer }'),
      'c.yaml',
    );
    const env = {
      HOME: wal.path,
      AWS_ENDPOINT_URL_STS: local.url,
      AWS_ACCESS_KEY_ID: DEMO_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: DEMO_SECRET_ACCESS_KEY,
    };
    const before = local.log.list().length;
    const agent = await Agent.start(config, [], { logStream: new LogCapture(), env });
    try {
      const assumed = () =>
        local.log
          .list()
          .slice(before)
          .filter((r) => r.operation === 'AssumeRole' && r.status === 200).length;
      // Three sets of credentials: the first and two refreshes, each before the last expired.
      await waitFor('two refreshes', () => (assumed() >= 3 ? true : undefined), 400);
      const scraped = target.scrapes;
      await waitFor('the newest value', async () =>
        ((await latest()) ?? 0) >= scraped ? true : undefined,
      );
      const aps = local.log
        .list()
        .slice(before)
        .filter((r) => r.service === 'aps' && r.path.includes('remote_write'));
      assert.ok(aps.length > 10);
      assert.deepEqual(
        aps.filter((r) => r.status >= 300).map((r) => `${r.status} ${r.errorCode}`),
        [],
        'no remote_write was refused',
      );
      const stats = metricsPipelines(agent)[0]!.queues[0]!.stats();
      assert.equal(stats.samplesFailed, 0);
    } finally {
      await agent.stop(1000);
      wal.remove();
    }
  });

  test('started with no credentials anywhere: it comes up, says why, and delivers everything once a credentials file appears', async () => {
    const wal = tempDir('signet-creds-wal-');
    const { config } = parseAgentConfig(yaml(wal.path, '{ region: us-east-1 }'), 'c.yaml');
    const logs = new LogCapture();
    const first = target.scrapes + 1;
    const agent = await Agent.start(config, [], {
      logStream: logs,
      env: { HOME: wal.path, AWS_EC2_METADATA_DISABLED: 'true' },
    });
    try {
      await waitFor('the failure reported', () =>
        logs.lines.some((l) => /no usable AWS credentials yet/.test(l)) ? true : undefined,
      );
      const metrics = await (await fetch(`${agent.server.url}/metrics`)).text();
      assert.match(metrics, /signet_aws_credentials_up\{source="none"\} 0/);
      await waitFor('scrapes meanwhile', () => (target.scrapes >= first + 4 ? true : undefined));
      mkdirSync(join(wal.path, '.aws'), { recursive: true });
      writeFileSync(
        join(wal.path, 'staged'),
        `[default]\naws_access_key_id = ${DEMO_ACCESS_KEY_ID}\naws_secret_access_key = ${DEMO_SECRET_ACCESS_KEY}\n`,
      );
      renameSync(join(wal.path, 'staged'), join(wal.path, '.aws', 'credentials'));
      const appeared = target.scrapes;
      await waitFor(
        'the newest value',
        async () => (((await latest()) ?? 0) >= appeared ? true : undefined),
        200,
      );
      assert.ok(
        logs.lines.some((l) => /AWS credentials ready.*shared-files/.test(l)),
        'the source that worked is logged',
      );
      assert.equal(
        metricsPipelines(agent)[0]!.queues[0]!.stats().samplesFailed,
        0,
        'what was scraped before is not dropped',
      );
    } finally {
      await agent.stop(1000);
      wal.remove();
    }
  });
});
