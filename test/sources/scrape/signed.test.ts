/**
 * A signed scrape job (sigv4 or aws_auth on a scrape_config: an API Gateway
 * stage with AWS_IAM): every scrape is signed for execute-api, as checked by
 * @smithy/signature-v4 on the target's side, and goes through the job's
 * proxy_url like an unsigned one.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from '../../../src/agent/agent.js';
import { parseAgentConfig } from '../../../src/config/agent/load.js';
import { DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY } from '../../../src/local/index.js';
import { LogCapture, apiTargets, tempDir, waitFor } from '../../agent/harness.js';
import { startForwardProxy, type ForwardProxy } from '../../helpers/forward-proxy.js';
import { startVerifyingServer, type VerifyingServer } from '../../helpers/verifying-server.js';
import { Receiver } from '../../sinks/remote-write/receiver.js';

const HIDDEN = 'stage.internal.test:9443';
const PAGE = '# TYPE gateway_thing gauge\ngateway_thing 3\n';

let gateway: VerifyingServer;
let proxy: ForwardProxy;
before(async () => {
  gateway = await startVerifyingServer(
    new Map([[DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY]]),
    () => ({
      contentType: 'text/plain; version=0.0.4',
      body: PAGE,
    }),
  );
  proxy = await startForwardProxy((host) =>
    host === HIDDEN ? new URL(gateway.url).host : undefined,
  );
});
after(async () => {
  await Promise.all([gateway.close(), proxy.close()]);
});

describe('signed scrape jobs', () => {
  test('sigv4 and aws_auth on a scrape_config sign every scrape for execute-api; proxy_url carries signed scrapes too', async () => {
    const wal = tempDir('signet-signed-scrape-wal-');
    const home = tempDir('signet-signed-scrape-home-');
    const receiver = new Receiver();
    await receiver.start();
    const keys = `access_key: ${DEMO_ACCESS_KEY_ID}, secret_key: ${DEMO_SECRET_ACCESS_KEY}`;
    const { config } = parseAgentConfig(
      `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${wal.path}
  global: { scrape_interval: 200ms, scrape_timeout: 200ms }
  configs:
    - name: signed
      scrape_configs:
        - job_name: sigv4
          metrics_path: /sigv4
          sigv4: { region: eu-west-1, ${keys} }
          static_configs: [{ targets: ['${new URL(gateway.url).host}'] }]
        - job_name: aws-auth-proxied
          metrics_path: /proxied
          proxy_url: ${proxy.url}
          aws_auth: { region: eu-west-1, ${keys} }
          static_configs: [{ targets: ['${HIDDEN}'] }]
      remote_write:
        - { url: '${receiver.url}', queue_config: { batch_send_deadline: 50ms } }
`,
      'signed.yaml',
    );
    const agent = await Agent.start(config, [], {
      logStream: new LogCapture(),
      env: { HOME: home.path, AWS_EC2_METADATA_DISABLED: 'true' },
    });
    try {
      const targets = await waitFor('both signed jobs up', async () => {
        const list = await apiTargets(agent.server.url);
        return list.length === 2 && list.every((t) => t.health === 'up') ? list : undefined;
      }).catch(async (error: unknown) => {
        throw new Error(`${String(error)}: ${JSON.stringify(await apiTargets(agent.server.url))}`);
      });
      assert.equal(targets.length, 2);
      for (const path of ['/sigv4', '/proxied']) {
        const got = gateway.received.filter((r) => r.url === path);
        assert.ok(got.length > 0, `scrapes of ${path}`);
        assert.ok(
          got.every((r) => r.verified),
          `${path}: every signature verifies`,
        );
        assert.ok(
          got.every((r) => String(r.headers.authorization).includes('/eu-west-1/execute-api/')),
        );
      }
      assert.ok(proxy.seen.includes(`GET http://${HIDDEN}/proxied`), proxy.seen.join('\n'));
    } finally {
      await agent.stop(1000);
      await receiver.stop();
      wal.remove();
      home.remove();
    }
  });
});
