/**
 * The guides' three logs configurations, run by `signet run` as they are
 * written — only file paths differ, and the endpoint comes from
 * AWS_ENDPOINT_URL_LOGS / AWS_ENDPOINT_URL_S3 as it would not be in a guide —
 * against an in-process `signet local`. Lines with non-ASCII text, quotes and
 * backslashes are written to real files and must read back byte for byte
 * through the AWS SDK v3 clients and through Debian's awscli.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import { awsCli, awscliMissing } from '../../helpers/awscli.js';
import { DEMO_CREDENTIALS, sdkConfig } from '../../helpers/local-stack.js';
import { startSignet, type SignetChild } from '../../helpers/signet-child.js';
import { tempDir, waitFor } from '../../agent/harness.js';

/** What a guide's reader logs: accents, CJK, an emoji, quotes, backslashes, JSON, a tab. */
const LINES = [
  'GET /index.html 200',
  'naïve café — 日本語のログ 🚀',
  `quotes "double" and 'single' and \`back\``,
  'C:\\Windows\\System32 and a literal \\n that is no newline',
  '{"level":"info","msg":"a JSON line","path":"/a\\"b"}',
  'tab\there, trailing space ',
];
const FILE_BYTES = Buffer.from(LINES.join('\n') + '\n', 'utf8');

const missingAwscli = awscliMissing();
/** As test/local/awscli.test.ts: CI installs awscli, so there a missing one fails. */
const awscliSkip = missingAwscli !== undefined && process.env.CI !== 'true' ? missingAwscli : false;

const REGION = 'eu-west-1';
let local: LocalStack;
const dirs: { remove(): void }[] = [];
before(async () => {
  // One server stands in for one region: the guides' eu-west-1.
  local = await startLocal({ region: REGION });
  const s3 = new S3Client(sdkConfig(local, { forcePathStyle: true }));
  await s3.send(
    new CreateBucketCommand({
      Bucket: 'guide-logs',
      CreateBucketConfiguration: { LocationConstraint: REGION },
    }),
  );
  s3.destroy();
});
after(async () => {
  await local.close();
  dirs.forEach((d) => d.remove());
});

/** The guides name no endpoint: the environment moves CloudWatch Logs and S3 to signet local. */
const env = () => ({
  AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_LOGS: local.url,
  AWS_ENDPOINT_URL_S3: local.url,
  AWS_REGION: REGION,
});

/** The lines as the file holds them: what every read-back must equal, byte for byte. */
function assertSameBytes(lines: readonly string[], what: string): void {
  assert.deepEqual(lines, LINES, what);
  assert.ok(Buffer.from(lines.join('\n') + '\n', 'utf8').equals(FILE_BYTES), what);
}

/** A temporary directory holding `app.log` with the lines. */
function withLog(): string {
  const d = tempDir('signet-guides-');
  dirs.push(d);
  writeFileSync(join(d.path, 'app.log'), FILE_BYTES);
  return d.path;
}

/** Every stream of `group` in `region` with its messages, through the AWS SDK v3. */
async function sdkLogEvents(group: string): Promise<Record<string, string[]>> {
  const sdk = new CloudWatchLogsClient(sdkConfig(local));
  try {
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
  } finally {
    sdk.destroy();
  }
}

/** Waits until `group` holds every line, and returns its streams; the agent's log if never. */
async function delivered(group: string, agentLog: () => string): Promise<Record<string, string[]>> {
  try {
    return await waitFor(`${LINES.length} lines in ${group}`, async () => {
      const streams = await sdkLogEvents(group).catch(() => ({}));
      return Object.values(streams).flat().length >= LINES.length ? streams : undefined;
    });
  } catch (error) {
    throw new Error(`${String(error)}; the agent logged:\n${agentLog()}`);
  }
}

/** `aws logs get-log-events`, as the README reads a stream back. */
async function awscliLogEvents(group: string, stream: string): Promise<string[]> {
  const aws = awsCli(local.url, REGION);
  const got = (await aws.json([
    'logs',
    'get-log-events',
    '--log-group-name',
    group,
    '--log-stream-name',
    stream,
    '--start-from-head',
  ])) as { events: { message: string }[] };
  return got.events.map((e) => e.message);
}

/** Both halves of a CloudWatch Logs read-back: the SDK's (already waited for) and awscli's. */
async function readBackCloudWatch(
  t: TestContext,
  agent: SignetChild,
  where: { group: string; stream: string },
): Promise<void> {
  const { group, stream } = where;
  const streams = await delivered(group, () => agent.log());
  await t.test('read back through the AWS SDK v3', () => {
    assert.deepEqual(Object.keys(streams), [stream]);
    assertSameBytes(streams[stream]!, `${group}/${stream} through the SDK`);
  });
  await t.test('read back through Debian awscli', { skip: awscliSkip }, async () => {
    assertSameBytes(
      await awscliLogEvents(group, stream),
      `${group}/${stream} through aws logs get-log-events`,
    );
  });
}

/** The `line` of each record of a gzipped (or plain) NDJSON object. */
function ndjsonLines(body: Buffer): string[] {
  const text = (body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body).toString('utf8');
  return text
    .trimEnd()
    .split('\n')
    .map((l) => (JSON.parse(l) as { line: string }).line);
}

interface FileDetails {
  readonly settled_offset: number;
}

/** The WAL's saved progress: which clients read it, by name. */
function walClients(dir: string): string[] {
  const file = join(dir, 'progress.json');
  if (!existsSync(file)) return [];
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { positions: { name: string }[] };
  return saved.positions.map((p) => p.name);
}

const SCRAPE = (dir: string) => `      scrape_configs:
        - job_name: app
          static_configs:
            - targets: [localhost]
              labels:
                job: app
                host: node-a
                __path__: ${dir}/app.log`;

describe('the guides’ logs configurations, against signet local', { concurrency: true }, () => {
  test('(a) url: cwlogs://<region>/<group> with aws_auth.region only', async (t) => {
    const dir = withLog();
    const agent = await startSignet(
      dir,
      `logs:
  positions_directory: ${dir}/positions
  configs:
    - name: app
      clients:
        - url: cwlogs://eu-west-1/guides/cwlogs
          aws_auth:
            region: eu-west-1
${SCRAPE(dir)}
`,
      env(),
    );
    try {
      // No log_stream_name: the stream is the host's name, as the guides describe.
      await readBackCloudWatch(t, agent, {
        group: 'guides/cwlogs',
        stream: hostname(),
      });
    } finally {
      await agent.stop();
    }
    // An AWS client turns the logs WAL on by default, at <positions_directory>/wal/<name>.
    assert.deepEqual(walClients(join(dir, 'positions', 'wal', 'app')), [
      'cwlogs://eu-west-1/guides/cwlogs',
    ]);
  });

  test('(b) targets[].loki_push_api.cloudwatch_logs with client_id and wal_config', async (t) => {
    const dir = withLog();
    const agent = await startSignet(
      dir,
      `logs:
  positions_directory: ${dir}/positions
  configs:
    - name: app
${SCRAPE(dir)}
      targets:
        - loki_push_api:
            cloudwatch_logs:
              client_id: app-to-cwl
              region: eu-west-1
              log_group_name: /app/logs
              log_stream_name: '{{ .host }}'
      wal_config:
        enabled: true
        dir: ${dir}/wal
`,
      env(),
    );
    try {
      await readBackCloudWatch(t, agent, {
        group: '/app/logs',
        stream: 'node-a',
      });
    } finally {
      await agent.stop();
    }
    // The WAL is the one wal_config names, and client_id is the client's name in it.
    assert.deepEqual(walClients(join(dir, 'wal')), ['app-to-cwl']);
    assert.equal(existsSync(join(dir, 'positions', 'wal')), false);
  });

  test('(c) url: s3://bucket/prefix with positions', async (t) => {
    const dir = withLog();
    const agent = await startSignet(
      dir,
      `logs:
  configs:
    - name: archive
      positions:
        filename: ${dir}/positions.yaml
      clients:
        - url: s3://guide-logs/agents/node-a
${SCRAPE(dir)}
`,
      env(),
      // Without positions_directory the WAL goes to the agent's data directory, data-agent/.
      { cwd: dir },
    );
    const s3 = new S3Client(sdkConfig(local, { forcePathStyle: true }));
    let key: string;
    try {
      // An object closes at batch_wait (5 minutes by default) or at stop, which uploads it.
      await waitFor('the file in the logs WAL', async () => {
        const answer = await fetch(`${agent.url}/agent/api/v1/logs/targets`);
        const { data } = (await answer.json()) as { data: { details?: FileDetails }[] };
        return data.some((f) => f.details?.settled_offset === FILE_BYTES.length) ? true : undefined;
      });
    } finally {
      assert.equal(await agent.stop(), 0, agent.log());
    }
    try {
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: 'guide-logs', Prefix: 'agents/node-a/' }),
      );
      const keys = (listed.Contents ?? []).map((o) => o.Key!);
      assert.equal(keys.length, 1, `one object: ${keys.join(', ')}`);
      key = keys[0]!;
      await t.test('read back through the AWS SDK v3', async () => {
        const object = await s3.send(new GetObjectCommand({ Bucket: 'guide-logs', Key: key }));
        const body = Buffer.from(await object.Body!.transformToByteArray());
        assertSameBytes(ndjsonLines(body), `s3://guide-logs/${key} through the SDK`);
      });
    } finally {
      s3.destroy();
    }
    await t.test('read back through Debian awscli', { skip: awscliSkip }, async () => {
      const aws = awsCli(local.url, REGION);
      const copied = await aws.run(['s3', 'cp', `s3://guide-logs/${key}`, 'object']);
      assert.equal(copied.status, 0, copied.stderr);
      assertSameBytes(
        ndjsonLines(readFileSync(join(aws.home, 'object'))),
        `s3://guide-logs/${key} through aws s3 cp`,
      );
    });
    // positions.filename is Promtail's file, holding the whole file as read.
    assert.match(
      readFileSync(join(dir, 'positions.yaml'), 'utf8'),
      new RegExp(`${join(dir, 'app.log')}: "${FILE_BYTES.length}"`),
    );
    assert.deepEqual(readdirSync(join(dir, 'data-agent', 'logs-wal')), ['archive']);
    assert.deepEqual(walClients(join(dir, 'data-agent', 'logs-wal', 'archive')), [
      's3://guide-logs/agents/node-a',
    ]);
  });
});
