import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from '../../src/agent/agent.js';
import { parseAgentConfig } from '../../src/config/agent/load.js';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  startLocal,
  type LocalStack,
} from '../../src/local/index.js';
import { parseLocalConfig } from '../../src/local/config/load.js';
import {
  LogCapture,
  TestTarget,
  instantQuery,
  tempDir,
  waitFor,
  metricsPipelines,
} from './harness.js';

const PAGE = (n: number) => `# TYPE shop_orders_total counter
shop_orders_total{status="paid"} ${1000 + n}
shop_orders_total{status="refunded"} ${10 + n}
# TYPE shop_queue_depth gauge
shop_queue_depth ${n % 7}
`;

let east: LocalStack;
let west: LocalStack;
let target: TestTarget;
let bad: TestTarget;
before(async () => {
  const localConfig = parseLocalConfig(
    `credential_duration_seconds: 900
principals:
  - { name: demo, account_id: '123456789012', access_key_id: ${DEMO_ACCESS_KEY_ID}, secret_access_key: ${DEMO_SECRET_ACCESS_KEY}, policy: admin }
policies:
  admin: [{ effect: Allow, actions: '*', resources: '*' }]
roles:
  - arn: arn:aws:iam::123456789012:role/instance-role
    trust: { principals: [] }
    policy: admin
  - arn: arn:aws:iam::444455556666:role/amp-writer
    trust: { principals: ['arn:aws:iam::123456789012:role/instance-role'], external_id: obs-1 }
    policy: admin
instances:
  - { instance_id: i-0aaaaaaaaaaaaaaa1, image_id: ami-0abcdef1234567890, instance_type: t3.micro, private_ip: 10.0.0.1, state: running, availability_zone: us-east-1a, vpc_id: vpc-0a1b2c3d, subnet_id: subnet-0a1b2c3d, launch_time: '2024-01-01T00:00:00Z', self: true, role: 'arn:aws:iam::123456789012:role/instance-role' }
`,
    'local.yaml',
  );
  east = await startLocal({ region: 'us-east-1', config: localConfig });
  west = await startLocal({ region: 'eu-west-1', config: localConfig });
  target = await TestTarget.start(PAGE(0));
  bad = await TestTarget.start('shop_broken{status="x" 1\n');
});
after(async () => {
  await Promise.all([east.close(), west.close(), target.close(), bad.close()]);
});

function host(stack: LocalStack): string {
  return new URL(stack.url).host;
}

describe('signet run, end to end against signet local', () => {
  test('scrapes, and remote-writes signed to two regions at once; a malformed target is down with its line, others unaffected', async () => {
    const wal = tempDir('signet-e2e-wal-');
    const config = `server: { log_level: info, http_listen_port: 0 }
metrics:
  wal_directory: ${wal.path}
  global:
    scrape_interval: 1s
    scrape_timeout: 1s
    external_labels: { cluster: test }
  configs:
    - name: e2e
      scrape_configs:
        - job_name: shop
          static_configs: [{ targets: ['${target.address}'], labels: { team: web } }]
        - job_name: broken
          static_configs: [{ targets: ['${bad.address}'] }]
      remote_write:
        - name: east
          url: http://${host(east)}/workspaces/ws-east/api/v1/remote_write
          sigv4: { region: us-east-1, access_key: ${DEMO_ACCESS_KEY_ID}, secret_key: ${DEMO_SECRET_ACCESS_KEY} }
          queue_config: { batch_send_deadline: 200ms }
        - name: west
          url: http://${host(west)}/workspaces/ws-west/api/v1/remote_write
          sigv4: { region: eu-west-1, access_key: ${DEMO_ACCESS_KEY_ID}, secret_key: ${DEMO_SECRET_ACCESS_KEY} }
          queue_config: { batch_send_deadline: 200ms }
`;
    const { config: parsed, warnings } = parseAgentConfig(config, 'e2e.yaml');
    const logs = new LogCapture();
    const agent = await Agent.start(parsed, warnings, {
      logStream: logs,
      env: { HOME: wal.path, AWS_EC2_METADATA_DISABLED: 'true' },
    });
    try {
      target.page = PAGE(5);
      for (const [stack, ws] of [
        [east, 'ws-east'],
        [west, 'ws-west'],
      ] as const) {
        const base = `${stack.url}/workspaces/${ws}`;
        const paid = await waitFor(`paid orders at ${ws}`, async () => {
          const r = await instantQuery(base, 'shop_orders_total{status="paid"}', stack.region);
          return r.find((s) => s.value === 1005);
        });
        assert.deepEqual(paid.metric, {
          __name__: 'shop_orders_total',
          status: 'paid',
          job: 'shop',
          instance: target.address,
          team: 'web',
          cluster: 'test',
        });
        const up = await waitFor('up for both jobs', async () => {
          const r = await instantQuery(base, 'up', stack.region);
          return r.length >= 2 ? r : undefined;
        });
        assert.equal(up.find((s) => s.metric.job === 'shop')?.value, 1);
        assert.equal(up.find((s) => s.metric.job === 'broken')?.value, 0);
      }
      const refused = [...east.log.list(), ...west.log.list()].filter(
        (r) => r.service === 'aps' && r.signature !== 'verified',
      );
      assert.deepEqual(refused, [], 'every remote_write request passed signature verification');
      const targets = metricsPipelines(agent)[0]!.scrapes.targets();
      const broken = targets.find((t) => t.job === 'broken');
      assert.equal(broken?.health, 'down');
      assert.match(broken?.lastError ?? '', /line 1/);
      assert.equal(targets.find((t) => t.job === 'shop')?.health, 'up');
      const metrics = await (await fetch(`${agent.server.url}/metrics`)).text();
      assert.match(metrics, /prometheus_remote_storage_samples_total\{remote_name="east"/);
      assert.doesNotMatch(metrics, new RegExp(DEMO_SECRET_ACCESS_KEY.replace(/[/+]/g, '.')));
    } finally {
      await agent.stop(1000);
      wal.remove();
    }
  });

  test('the two AMP set-ups of the Grafana Agent guides: instance profile (IMDSv2) only, and a cross-account role', async () => {
    const wal = tempDir('signet-e2e-wal-');
    const config = `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${wal.path}
  global: { scrape_interval: 1s, scrape_timeout: 1s }
  configs:
    - name: guides
      scrape_configs:
        - job_name: shop
          static_configs: [{ targets: ['${target.address}'] }]
      remote_write:
        - name: instance-profile
          url: http://${host(east)}/workspaces/ws-imds/api/v1/remote_write
          aws_auth: { region: us-east-1 }
          queue_config: { batch_send_deadline: 200ms }
        - name: cross-account
          url: http://${host(east)}/workspaces/ws-xacct/api/v1/remote_write
          aws_auth:
            region: us-east-1
            role_arn: arn:aws:iam::444455556666:role/amp-writer
            external_id: obs-1
          queue_config: { batch_send_deadline: 200ms }
`;
    const { config: parsed } = parseAgentConfig(config, 'guides.yaml');
    const env = {
      HOME: wal.path,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: east.url,
      AWS_ENDPOINT_URL_STS: east.url,
    };
    const agent = await Agent.start(parsed, [], { logStream: new LogCapture(), env });
    try {
      for (const ws of ['ws-imds', 'ws-xacct']) {
        await waitFor(`samples at ${ws}`, async () => {
          const r = await instantQuery(
            `${east.url}/workspaces/${ws}`,
            'shop_queue_depth',
            'us-east-1',
          );
          return r.length > 0 ? r : undefined;
        });
      }
      const writers = new Set(
        east.log
          .list()
          .filter((r) => r.service === 'aps' && r.status < 300)
          .map((r) => `${r.path.split('/')[2]} ${r.principal}`),
      );
      assert.ok(
        [...writers].some((w) =>
          /^ws-imds arn:aws:sts::123456789012:assumed-role\/instance-role\//.test(w),
        ),
        [...writers].join('\n'),
      );
      assert.ok(
        [...writers].some((w) =>
          /^ws-xacct arn:aws:sts::444455556666:assumed-role\/amp-writer\//.test(w),
        ),
        [...writers].join('\n'),
      );
    } finally {
      await agent.stop(1000);
      wal.remove();
    }
  });

  test('AWS_ENDPOINT_URL_AMP redirects a real AMP URL; region and service still come from that URL', async () => {
    const oregon = await startLocal({ region: 'us-west-2' });
    const wal = tempDir('signet-e2e-wal-');
    const config = `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${wal.path}
  global: { scrape_interval: 1s, scrape_timeout: 1s }
  configs:
    - name: redirect
      scrape_configs:
        - job_name: shop
          static_configs: [{ targets: ['${target.address}'] }]
      remote_write:
        - url: https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-real/api/v1/remote_write
          sigv4: {}
          queue_config: { batch_send_deadline: 200ms }
`;
    const { config: parsed } = parseAgentConfig(config, 'redirect.yaml');
    const env = {
      HOME: wal.path,
      AWS_ACCESS_KEY_ID: DEMO_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: DEMO_SECRET_ACCESS_KEY,
      AWS_ENDPOINT_URL_AMP: oregon.url,
    };
    const agent = await Agent.start(parsed, [], { logStream: new LogCapture(), env });
    try {
      await waitFor('samples in us-west-2', async () => {
        const r = await instantQuery(
          `${oregon.url}/workspaces/ws-real`,
          'shop_queue_depth',
          'us-west-2',
        );
        return r.length > 0 ? r : undefined;
      });
      const writes = oregon.log
        .list()
        .filter((r) => r.service === 'aps' && r.operation === 'RemoteWrite');
      assert.ok(writes.length > 0 && writes.every((r) => r.signature === 'verified'));
    } finally {
      await agent.stop(1000);
      await oregon.close();
      wal.remove();
    }
  });
});
