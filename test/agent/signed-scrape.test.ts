/**
 * Scraping a SigV4-protected target (API Gateway's execute-api in `signet
 * local`): the signing name defaults to execute-api, the region falls back to
 * the environment's when the target's host names none, and an endpoint
 * override meant for sinks does not move scrape targets.
 */
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
import { DEMO_PRINCIPAL_YAML } from '../helpers/local-stack.js';
import { LogCapture, metricsPipelines, tempDir, waitFor } from './harness.js';

let local: LocalStack;
before(async () => {
  local = await startLocal({
    region: 'eu-west-1',
    config: parseLocalConfig(
      `${DEMO_PRINCIPAL_YAML}execute_api:\n  /metrics: "# TYPE api_requests_total counter\\napi_requests_total 42\\n"\n`,
      'local.yaml',
    ),
  });
});
after(() => local.close());

describe('signed scraping', () => {
  test('a target whose host names no region is signed for execute-api in the environment’s region, and AWS_ENDPOINT_URL_API_GATEWAY does not move it', async () => {
    const wal = tempDir('signet-signed-scrape-');
    const host = new URL(local.url).host;
    const config = `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${wal.path}
  global: { scrape_interval: 1s, scrape_timeout: 1s }
  configs:
    - name: api
      scrape_configs:
        - job_name: gateway
          metrics_path: /execute-api/metrics
          sigv4: {}
          static_configs: [{ targets: ['${host}'] }]
      remote_write:
        - url: http://${host}/workspaces/ws-api/api/v1/remote_write
          sigv4: { region: eu-west-1 }
          queue_config: { batch_send_deadline: 200ms }
`;
    const { config: parsed, warnings } = parseAgentConfig(config, 'agent.yaml');
    const agent = await Agent.start(parsed, warnings, {
      logStream: new LogCapture(),
      env: {
        HOME: wal.path,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: DEMO_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: DEMO_SECRET_ACCESS_KEY,
        // Meant for sinks: scrape targets are discovered hosts and stay where they are.
        AWS_ENDPOINT_URL_API_GATEWAY: 'http://127.0.0.1:9',
      },
    });
    try {
      const invokes = await waitFor('two signed scrapes', () => {
        const got = local.log.list().filter((e) => e.service === 'execute-api');
        return got.length >= 2 ? got : undefined;
      });
      for (const e of invokes) {
        // Local verifies with its own region (eu-west-1) and the signing name execute-api.
        assert.equal(e.signature, 'verified', JSON.stringify(e));
        assert.equal(e.status, 200);
        assert.equal(e.path, '/execute-api/metrics');
      }
      const target = metricsPipelines(agent)[0]!
        .scrapes.targets()
        .find((t) => t.job === 'gateway');
      assert.equal(target?.health, 'up', target?.lastError);
    } finally {
      await agent.stop(1000);
      wal.remove();
    }
  });
});
