/**
 * Issue 13's "credentials expiring mid-stream", at the pipeline level:
 * `signet run` signs with a role (AssumeRole at `signet local`) whose
 * sessions live 8 s, into all four AWS sinks at once, while lines are
 * written; then the service's clock jumps so the sessions the agent holds
 * expire before it planned to renew them. signet local refuses an expired
 * session (ExpiredToken, checked with the AWS SDK); the agent must renew and
 * send the same batch again, dropping nothing.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  CloudWatchLogsClient as SdkLogsClient,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { parseLocalConfig } from '../../../src/local/config/load.js';
import { DEMO_PRINCIPAL_YAML, sdkConfig, TestClock } from '../../helpers/local-stack.js';
import { waitFor } from '../../agent/harness.js';
import {
  NumberedWriter,
  numbersOf,
  readFirehose,
  readKinesisLines,
  readLogGroup,
  readS3Ndjson,
  watchRequests,
} from './aws-readback.js';
import {
  AGENT_OPERATIONS,
  assertEachOnce,
  assertExact,
  BACKOFF,
  DEMO_KEYS,
  ownLocal,
  runAgent,
  sleep,
  workDir,
} from './aws-reliability-harness.js';

const ROLE = 'arn:aws:iam::123456789012:role/writer';
/** A stack whose sessions live 8 s. */
const SHORT_LIVED = `credential_duration_seconds: 8
${DEMO_PRINCIPAL_YAML}roles:
  - arn: ${ROLE}
    trust: { principals: ['arn:aws:iam::123456789012:user/demo'] }
    policy: [{ effect: Allow, actions: '*', resources: '*' }]
`;

/** Role sessions that live 8 s, and a jump of the service's clock: all four sinks keep delivering. */
export async function expiringCredentials(): Promise<void> {
  const stsClock = new TestClock();
  const shortLived = await ownLocal({
    config: parseLocalConfig(SHORT_LIVED, 'local.yaml'),
    clock: stsClock.now,
  });
  const dir = workDir();
  // signet local refuses a session once it expired (ExpiredToken), so refreshing is not optional.
  const sts = new STSClient(sdkConfig(shortLived));
  const session = await sts.send(
    new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'probe' }),
  );
  sts.destroy();
  const probe = () => {
    const c = session.Credentials!;
    return new SdkLogsClient(
      sdkConfig(shortLived, {
        credentials: {
          accessKeyId: c.AccessKeyId!,
          secretAccessKey: c.SecretAccessKey!,
          sessionToken: c.SessionToken!,
        },
      }),
    );
  };
  const fresh = probe();
  await fresh.send(new DescribeLogGroupsCommand({}));
  fresh.destroy();
  const expiresAt = session.Credentials!.Expiration!.getTime();
  assert.ok(expiresAt - Date.now() <= 8_000, 'the session lives 8 s');

  const s3 = new S3Client(sdkConfig(shortLived, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket: 'rel-creds' }));
  s3.destroy();
  const writer = new NumberedWriter('app', join(dir, 'app.log'), 5, 50);
  // A session name per sink: each has its own sessions, so each meets the expiry itself.
  const auth = (sink: string) => `aws_auth: { role_arn: "${ROLE}", role_session_name: ${sink} }`;
  const watch = watchRequests(shortLived);
  const agent = await runAgent(dir, {
    jobs: ['app'],
    clients: `    - cloudwatch_logs: { region: us-east-1, endpoint: ${shortLived.url}, log_group_name: rel/creds, log_stream_name: app }
      batchwait: 100ms
      ${BACKOFF}
      ${auth('cwl')}
    - s3: { bucket: rel-creds, region: us-east-1, endpoint: ${shortLived.url}, addressing: path, batch_size: 8KB, batch_wait: 300ms }
      ${BACKOFF}
      ${auth('s3')}
    - firehose: { delivery_stream_name: rel-creds, region: us-east-1, endpoint: ${shortLived.url} }
      batchwait: 100ms
      ${BACKOFF}
      ${auth('firehose')}
    - kinesis: { stream_name: rel-creds, region: us-east-1, endpoint: ${shortLived.url} }
      batchwait: 100ms
      ${BACKOFF}
      ${auth('kinesis')}`,
    env: { ...DEMO_KEYS, AWS_ENDPOINT_URL_STS: shortLived.url },
  });
  // Past three lifetimes of a session, with lines written all along.
  await sleep(Math.max(0, expiresAt + 1000 - Date.now()));
  const stale = probe();
  await assert.rejects(stale.send(new DescribeLogGroupsCommand({})), (error: Error) => {
    assert.equal(error.name, 'ExpiredTokenException');
    return true;
  });
  stale.destroy();
  // The agent plans to renew each session shortly before its Expiration; a 6 s jump of the
  // service's clock makes the sessions it holds expire first, so its calls are answered
  // ExpiredTokenException and must be sent again with a fresh session, not dropped.
  stsClock.advance(6_000);
  await sleep(Math.max(0, expiresAt + 17_000 - Date.now()));
  const written = await writer.stop();
  const objects = new Map<string, Buffer>();
  const arrived = async () => ({
    cwl: numbersOf(
      'app',
      (await readLogGroup(shortLived, 'rel/creds').catch((): Record<string, string[]> => ({})))
        .app ?? [],
    ),
    s3: numbersOf('app', (await readS3Ndjson(shortLived, 'rel-creds', objects)).lines),
    firehose: numbersOf('app', readFirehose(shortLived, 'rel-creds')),
    kinesis: numbersOf('app', await readKinesisLines(shortLived, 'rel-creds')),
  });
  const got = await waitFor(
    'every line in all four',
    async () => {
      const a = await arrived();
      return Object.values(a).every((seqs) => seqs.length >= written) ? a : undefined;
    },
    200,
    100,
  );
  await sleep(300);
  assert.equal(await agent.stop(), 0);
  const requests = watch.stop();
  const assumed = requests.filter((r) => r.operation === 'AssumeRole' && r.status === 200);
  assert.ok(assumed.length >= 3, `${assumed.length} sessions: the credentials were renewed`);
  // The agent's calls; the test's own (read-back, the expired probe) are other operations.
  const data = requests.filter((r) => AGENT_OPERATIONS.has(r.operation ?? ''));
  assert.ok(data.length > 20, `${data.length} calls`);
  // A call refused as expired has no principal; every other was signed by a session of the role.
  const principals = [
    ...new Set(
      data.filter((r) => !r.errorCode?.startsWith('ExpiredToken')).map((r) => r.principal),
    ),
  ];
  assert.ok(
    principals.every((p) =>
      /^arn:aws:sts::123456789012:assumed-role\/writer\/(cwl|s3|firehose|kinesis)$/.test(p ?? ''),
    ),
    `every call signed with a session of the role: ${principals.join(', ')}`,
  );
  const expired = data.filter((r) => r.errorCode?.startsWith('ExpiredToken'));
  // Which sinks call between the jump and their next renewal depends on their batch timers
  // and the machine's load (under a full test run S3's upload may come just after it), so
  // the jump must have caught at least two; all four must deliver every line either way.
  const met = [...new Set(expired.map((r) => r.operation))].sort();
  assert.ok(
    met.length >= 2,
    `the clock jump made sinks meet an expired session: ${met.join(', ')}`,
  );
  assertExact('cloudwatch logs', got.cwl, written);
  assertEachOnce('s3', got.s3, written);
  assertEachOnce('firehose', got.firehose, written);
  assertEachOnce('kinesis', got.kinesis, written);
  console.log(
    `credentials: ${written} lines through ${assumed.length} role sessions; ${expired.length} calls refused as expired (${met.join(', ')}) and sent again`,
  );
}
