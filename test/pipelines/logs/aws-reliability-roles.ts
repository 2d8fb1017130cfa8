/**
 * Issue 13's "a cross-account role_arn with external_id per sink", at the
 * pipeline level. signet local holds four roles in another account
 * (210987654321), one per sink, each trusting the agent's account only with
 * its own external id (STS's confused-deputy guard). The agent first runs
 * with a wrong external_id on every sink: each AssumeRole is refused, the
 * agent says so in plain words, and holds the lines. A corrected config
 * through /-/reload then delivers every line exactly once, and signet
 * local's request log shows each sink's calls signed by its own role's
 * session.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { parseLocalConfig } from '../../../src/local/config/load.js';
import type { LocalStack } from '../../../src/local/index.js';
import { DEMO_PRINCIPAL_YAML, sdkConfig } from '../../helpers/local-stack.js';
import { startSignet } from '../../helpers/signet-child.js';
import { waitFor } from '../../agent/harness.js';
import {
  NumberedWriter,
  numbersOf,
  readFirehose,
  readKinesisLines,
  readLogGroup,
  readS3Ndjson,
  watchRequests,
  type SessionCredentials,
} from './aws-readback.js';
import {
  AGENT_OPERATIONS,
  agentYaml,
  assertEachOnce,
  assertExact,
  BACKOFF,
  DEMO_KEYS,
  ownLocal,
  sleep,
  workDir,
} from './aws-reliability-harness.js';

const TARGET_ACCOUNT = '210987654321';
const SINKS = ['cwl', 's3', 'firehose', 'kinesis'] as const;
type Sink = (typeof SINKS)[number];
const roleArn = (sink: Sink) => `arn:aws:iam::${TARGET_ACCOUNT}:role/logs-${sink}`;
const externalId = (sink: Sink) => `ext-${sink}-7f3a9c`;
/** Which sink's calls each agent operation is. */
const SINK_OF: Record<string, Sink> = {
  CreateLogGroup: 'cwl',
  CreateLogStream: 'cwl',
  PutLogEvents: 'cwl',
  PutObject: 's3',
  PutRecordBatch: 'firehose',
  PutRecords: 'kinesis',
};

const LOCAL_CONFIG = `${DEMO_PRINCIPAL_YAML}roles:
${SINKS.map(
  (sink) => `  - arn: ${roleArn(sink)}
    trust: { principals: ['123456789012'], external_id: ${externalId(sink)} }
    policy: [{ effect: Allow, actions: '*', resources: '*' }]
`,
).join('')}`;

function clients(local: LocalStack, id: (sink: Sink) => string): string {
  const auth = (sink: Sink) =>
    `aws_auth: { role_arn: "${roleArn(sink)}", external_id: ${id(sink)}, role_session_name: agent-${sink} }`;
  const where = `region: us-east-1, endpoint: ${local.url}`;
  return `    - cloudwatch_logs: { ${where}, log_group_name: rel/roles, log_stream_name: app }
      batchwait: 100ms
      ${BACKOFF}
      ${auth('cwl')}
    - s3: { ${where}, bucket: rel-roles, addressing: path, batch_size: 8KB, batch_wait: 300ms }
      ${BACKOFF}
      ${auth('s3')}
    - firehose: { ${where}, delivery_stream_name: rel-roles }
      batchwait: 100ms
      ${BACKOFF}
      ${auth('firehose')}
    - kinesis: { ${where}, stream_name: rel-roles }
      batchwait: 100ms
      ${BACKOFF}
      ${auth('kinesis')}`;
}

/** A session of `sink`'s role, for the test's own read-back in the target account. */
async function sessionOf(local: LocalStack, sink: Sink): Promise<SessionCredentials> {
  const sts = new STSClient(sdkConfig(local));
  try {
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn(sink),
        RoleSessionName: 'reader',
        ExternalId: externalId(sink),
      }),
    );
    return {
      accessKeyId: c!.AccessKeyId!,
      secretAccessKey: c!.SecretAccessKey!,
      sessionToken: c!.SessionToken!,
    };
  } finally {
    sts.destroy();
  }
}

/** Wrong external_id refused in plain words with nothing lost; corrected by /-/reload, all delivered. */
export async function crossAccountRoles(): Promise<void> {
  const local = await ownLocal({ config: parseLocalConfig(LOCAL_CONFIG, 'local.yaml') });
  const dir = workDir();
  // signet local checks the external id: none or a wrong one is refused, the right one trusted.
  const sts = new STSClient(sdkConfig(local));
  for (const wrong of [undefined, 'ext-cwl-wrong']) {
    await assert.rejects(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn('cwl'),
          RoleSessionName: 'probe',
          ...(wrong ? { ExternalId: wrong } : {}),
        }),
      ),
      (error: Error) => error.name === 'AccessDenied',
    );
  }
  sts.destroy();
  const sessions = Object.fromEntries(
    await Promise.all(SINKS.map(async (sink) => [sink, await sessionOf(local, sink)] as const)),
  ) as Record<Sink, SessionCredentials>;
  const s3 = new S3Client(sdkConfig(local, { forcePathStyle: true, credentials: sessions.s3 }));
  await s3.send(new CreateBucketCommand({ Bucket: 'rel-roles' }));
  s3.destroy();

  const writer = new NumberedWriter('app', join(dir, 'app.log'), 5, 50);
  const env = { ...DEMO_KEYS, AWS_ENDPOINT_URL_STS: local.url };
  const yaml = (id: (sink: Sink) => string) =>
    `server: { http_listen_address: 127.0.0.1, http_listen_port: 0, graceful_shutdown_timeout: 2s }\n${agentYaml(
      dir,
      { jobs: ['app'], clients: clients(local, id) },
    )}`;
  const watch = watchRequests(local);
  const probes = new Set(local.log.list().map((r) => r.requestId));
  const agent = await startSignet(
    dir,
    yaml(() => 'not-the-agreed-id'),
    env,
  );
  const refusals = () =>
    local.log
      .list()
      .filter(
        (r) =>
          !probes.has(r.requestId) &&
          r.operation === 'AssumeRole' &&
          r.errorCode === 'AccessDenied',
      ).length;
  await waitFor('every sink refused its role', () => (refusals() >= 4 ? true : undefined), 100);
  await sleep(1500);
  const refusedLog = agent.log();
  for (const sink of SINKS) {
    assert.match(refusedLog, new RegExp(roleArn(sink).replace(/[/.]/g, '\\$&')), `${sink} named`);
  }
  assert.match(refusedLog, /not authorized to perform: sts:AssumeRole/);
  // The hint names the setting a wrong external id needs fixed.
  assert.match(refusedLog, /hint="[^"]*external_id must be exactly that value/);
  assert.equal(
    local.log.list().filter((r) => SINK_OF[r.operation ?? ''] && r.status === 200).length,
    0,
    'nothing was delivered with the wrong external id',
  );

  // More than the S3 client holds (4 × batch_size): its buffer is full, the tailer waits for room.
  writer.burst(3000);
  await sleep(500);

  // The fix: the agreed external ids, through /-/reload (the file is the one the agent runs).
  // The reload stops the running pipeline, whose tailer waits on that full buffer: it must not
  // wait for room that a refused destination never makes.
  writeFileSync(join(dir, 'agent.yaml'), yaml(externalId));
  const reloaded = await fetch(`${agent.url}/-/reload`, {
    method: 'POST',
    signal: AbortSignal.timeout(10_000),
  });
  assert.equal(reloaded.status, 200, await reloaded.text());
  await sleep(1500);
  const written = await writer.stop();
  const got = await waitFor(
    'every line in all four sinks',
    async () => {
      const a = {
        cwl: numbersOf(
          'app',
          (
            await readLogGroup(local, 'rel/roles', sessions.cwl).catch(
              (): Record<string, string[]> => ({}),
            )
          ).app ?? [],
        ),
        s3: numbersOf(
          'app',
          (await readS3Ndjson(local, 'rel-roles', undefined, sessions.s3)).lines,
        ),
        firehose: numbersOf('app', readFirehose(local, 'rel-roles')),
        kinesis: numbersOf('app', await readKinesisLines(local, 'rel-roles', sessions.kinesis)),
      };
      return Object.values(a).every((seqs) => seqs.length >= written) ? a : undefined;
    },
    150,
    100,
  );
  await sleep(300);
  assert.equal(await agent.stop(), 0);
  assertExact('cloudwatch logs', got.cwl, written);
  assertEachOnce('s3', got.s3, written);
  assertEachOnce('firehose', got.firehose, written);
  assertEachOnce('kinesis', got.kinesis, written);

  // Each sink's calls were signed by a session of its own role, in the other account.
  const calls = watch.stop().filter((r) => AGENT_OPERATIONS.has(r.operation ?? ''));
  for (const r of calls) {
    const sink = SINK_OF[r.operation!]!;
    assert.equal(
      r.principal,
      `arn:aws:sts::${TARGET_ACCOUNT}:assumed-role/logs-${sink}/agent-${sink}`,
      `${r.operation} ${r.status}`,
    );
  }
  for (const op of ['PutLogEvents', 'PutObject', 'PutRecordBatch', 'PutRecords'])
    assert.ok(
      calls.some((r) => r.operation === op && r.status === 200),
      `${op} delivered`,
    );
  console.log(
    `roles: ${refusals()} AssumeRole calls refused for the wrong external_id, then ${written} lines in each of 4 sinks, ${calls.length} calls signed by the roles' sessions`,
  );
}
