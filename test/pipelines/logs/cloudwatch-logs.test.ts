/**
 * The guides' CloudWatch Logs clients run as written: `url: cwlogs://<region>/<group>`
 * and the `cloudwatch_logs:` block, tailed by `signet run` into `signet local`'s
 * CloudWatch Logs and read back with the AWS SDK v3 client.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CloudWatchLogsClient as SdkLogsClient,
  GetLogEventsCommand,
  DescribeLogStreamsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import { DEMO_CREDENTIALS, sdkConfig } from '../../helpers/local-stack.js';
import { startSignet } from '../../helpers/signet-child.js';
import { tempDir, waitFor } from '../../agent/harness.js';

let local: LocalStack;
const dirs: { remove(): void }[] = [];
before(async () => {
  local = await startLocal();
});
after(async () => {
  await local.close();
  dirs.forEach((d) => d.remove());
});

/** The demo keys, and signet local as the CloudWatch Logs endpoint unless the config says `endpoint`. */
const env = (override = true) => ({
  AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
  ...(override ? { AWS_ENDPOINT_URL_LOGS: local.url } : {}),
});

async function readBack(group: string): Promise<Record<string, string[]>> {
  const sdk = new SdkLogsClient(sdkConfig(local));
  const streams = await sdk.send(new DescribeLogStreamsCommand({ logGroupName: group }));
  const out: Record<string, string[]> = {};
  for (const s of streams.logStreams ?? []) {
    const events = await sdk.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: s.logStreamName!,
        startFromHead: true,
      }),
    );
    out[s.logStreamName!] = (events.events ?? []).map((e) => e.message!);
  }
  return out;
}

describe('logs to CloudWatch Logs', () => {
  test('url: cwlogs://<region>/<group> with aws_auth.region only: the group and stream are created, lines arrive in order', async () => {
    const d = tempDir('signet-cwlogs-');
    dirs.push(d);
    writeFileSync(join(d.path, 'app.log'), 'one\ntwo\nthree\n');
    const agent = await startSignet(
      d.path,
      `logs:
  positions_directory: ${d.path}/positions
  configs:
  - name: cw
    clients:
    - url: cwlogs://us-east-1/guides/app
      batchwait: 100ms
      aws_auth: { region: us-east-1 }
    scrape_configs:
    - job_name: app
      static_configs: [{ labels: { job: app, __path__: "${d.path}/app.log" } }]
`,
      env(),
    );
    const got = await waitFor('the lines in CloudWatch Logs', async () => {
      const streams = await readBack('guides/app').catch((): Record<string, string[]> => ({}));
      const lines = Object.values(streams).flat();
      return lines.length >= 3 ? streams : undefined;
    });
    await agent.stop();
    assert.deepEqual(Object.values(got), [['one', 'two', 'three']]);
  });

  test('the cloudwatch_logs block: its endpoint, a stream per label template, JSON with labels', async () => {
    const d = tempDir('signet-cwlogs-');
    dirs.push(d);
    writeFileSync(join(d.path, 'web.log'), 'GET /\n');
    writeFileSync(join(d.path, 'db.log'), 'SELECT 1\n');
    const agent = await startSignet(
      d.path,
      `logs:
  positions_directory: ${d.path}/positions
  configs:
  - name: cw
    clients:
    - cloudwatch_logs:
        region: us-east-1
        endpoint: ${local.url}
        log_group_name: guides/block
        log_stream_name: "{{ .app }}"
        log_stream_name_prefix: node-a/
        log_format: json
        retention_in_days: 7
      batchwait: 100ms
    scrape_configs:
    - job_name: web
      static_configs: [{ labels: { app: web, __path__: "${d.path}/web.log" } }]
    - job_name: db
      static_configs: [{ labels: { app: db, __path__: "${d.path}/db.log" } }]
`,
      env(false),
    );
    const got = await waitFor('both streams', async () => {
      const streams = await readBack('guides/block').catch((): Record<string, string[]> => ({}));
      return Object.keys(streams).length >= 2 && Object.values(streams).every((s) => s.length)
        ? streams
        : undefined;
    });
    await agent.stop();
    assert.deepEqual(Object.keys(got).sort(), ['node-a/db', 'node-a/web']);
    assert.deepEqual(
      got['node-a/web']!.map((m) => JSON.parse(m) as unknown),
      [{ labels: { app: 'web', filename: join(d.path, 'web.log') }, line: 'GET /' }],
    );
  });
});
