/**
 * Issue 13's reliability bullet for outages and credentials, at the pipeline
 * level: `signet run` tails real files while `signet local` throttles
 * CloudWatch Logs for 30 s (ThrottlingException), answers S3 PutObject with
 * 503 for 30 s (SlowDown, then ServiceUnavailable), and hands out role
 * credentials that live 8 s. Nothing may be lost; CloudWatch Logs keeps each
 * stream's order. The three run at once (each its own agent; the faults are
 * per service), so the file takes about 40 s, not 100.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CloudWatchLogsClient as SdkLogsClient,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { parseLocalConfig } from '../../../src/local/config/load.js';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import {
  DEMO_CREDENTIALS,
  DEMO_PRINCIPAL_YAML,
  sdkConfig,
  TestClock,
} from '../../helpers/local-stack.js';
import { startSignet, type SignetChild } from '../../helpers/signet-child.js';
import { tempDir, waitFor } from '../../agent/harness.js';
import {
  NumberedWriter,
  numbersOf,
  readFirehose,
  readKinesisLines,
  readLogGroup,
  readS3Ndjson,
  watchRequests,
} from './aws-readback.js';
import { checkSequence, describeSequence, isExact } from './sequence.js';

const ROLE = 'arn:aws:iam::123456789012:role/writer';
/** A stack whose sessions live 8 s, for the credentials scenario. */
const SHORT_LIVED = `credential_duration_seconds: 8
${DEMO_PRINCIPAL_YAML}roles:
  - arn: ${ROLE}
    trust: { principals: ['arn:aws:iam::123456789012:user/demo'] }
    policy: [{ effect: Allow, actions: '*', resources: '*' }]
`;
const FAULT_MS = 30_000;
/** What the agent calls (the test reads back with other operations). */
const AGENT_OPERATIONS = new Set([
  'CreateLogGroup',
  'CreateLogStream',
  'PutLogEvents',
  'PutObject',
  'PutRecordBatch',
  'PutRecords',
]);

let local: LocalStack;
let shortLived: LocalStack;
/** shortLived's clock: jumped forward mid-run so the sessions the agent holds expire early. */
const stsClock = new TestClock();
const dirs: { remove(): void }[] = [];
before(async () => {
  [local, shortLived] = await Promise.all([
    startLocal(),
    startLocal({ config: parseLocalConfig(SHORT_LIVED, 'local.yaml'), clock: stsClock.now }),
  ]);
});
after(async () => {
  await Promise.all([local.close(), shortLived.close()]);
  dirs.forEach((d) => d.remove());
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const demoKeys = {
  AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
};

function workDir(): string {
  const d = tempDir('signet-aws-rel-');
  dirs.push(d);
  return d.path;
}

/** An agent tailing `<dir>/<job>.log` for each job (label `app: <job>`) into `clients`. */
function run(
  dir: string,
  jobs: readonly string[],
  clients: string,
  env: Record<string, string> = demoKeys,
): Promise<SignetChild> {
  const scrape = jobs
    .map(
      (job) => `    - job_name: ${job}
      static_configs: [{ labels: { app: ${job}, __path__: "${dir}/${job}.log" } }]`,
    )
    .join('\n');
  return startSignet(
    dir,
    `logs:
  positions_directory: ${dir}/positions
  global:
    file_watch_config: { min_poll_frequency: 25ms, max_poll_frequency: 100ms }
  configs:
  - name: rel
    clients:
${clients}
    scrape_configs:
${scrape}
`,
    env,
  );
}

/** Fast retries once a fault ends: the wait never grows past half a second. */
const BACKOFF = 'backoff_config: { min_period: 50ms, max_period: 500ms }';

/** Exact 1…n, each once, ascending; the message says what broke. */
function assertExact(what: string, seqs: number[], n: number): void {
  const report = checkSequence(seqs, 1, n);
  assert.ok(isExact(report), `${what}: ${describeSequence(report)}`);
}

/** Exactly once, in any order (S3 objects and retried records have no total order). */
function assertEachOnce(what: string, seqs: number[], n: number): void {
  const report = checkSequence(
    [...seqs].sort((a, b) => a - b),
    1,
    n,
  );
  assert.ok(isExact(report), `${what}: ${describeSequence(report)}`);
}

describe('logs to AWS through outages and expiring credentials', { concurrency: true }, () => {
  test('CloudWatch Logs throttled for 30 s: nothing lost, each stream in order', async () => {
    const dir = workDir();
    const writers = ['web', 'db'].map((job) => new NumberedWriter(job, join(dir, `${job}.log`)));
    const agent = await run(
      dir,
      ['web', 'db'],
      `    - cloudwatch_logs:
        region: us-east-1
        endpoint: ${local.url}
        log_group_name: rel/throttled
        log_stream_name: "{{ .app }}"
      batchwait: 100ms
      ${BACKOFF}`,
    );
    await waitFor('both streams before the fault', async () => {
      const got = await readLogGroup(local, 'rel/throttled').catch(() => ({}));
      return Object.keys(got).length === 2 ? true : undefined;
    });
    const watch = watchRequests(local);
    const began = Date.now();
    await fetch(`${local.url}/_signet/faults`, {
      method: 'POST',
      body: JSON.stringify({ service: 'logs', kind: 'throttle', duration_ms: FAULT_MS }),
    });
    await sleep(FAULT_MS - (Date.now() - began) + 1000);
    const written = await Promise.all(writers.map((w) => w.stop()));
    const ended = began + FAULT_MS;
    const streams = await waitFor(
      'every line after the throttling',
      async () => {
        const got = await readLogGroup(local, 'rel/throttled').catch(
          (): Record<string, string[]> => ({}),
        );
        return (got.web?.length ?? 0) >= written[0]! && (got.db?.length ?? 0) >= written[1]!
          ? got
          : undefined;
      },
      300,
      50,
    );
    const recoveredMs = Date.now() - ended;
    await sleep(300);
    assert.equal(await agent.stop(), 0);
    const calls = watch.stop().filter((r) => r.operation === 'PutLogEvents');
    const throttled = calls.filter((r) => r.errorCode === 'ThrottlingException');
    const acceptedDuring = calls.filter(
      (r) => r.status === 200 && Date.parse(r.time) < ended - 100,
    ).length;
    assert.ok(throttled.length >= 10, `only ${throttled.length} calls were throttled`);
    assert.equal(acceptedDuring, 0, 'the fault was in force for its 30 s');
    const final = await readLogGroup(local, 'rel/throttled');
    assert.deepEqual(Object.keys(streams).sort(), ['db', 'web']);
    assertExact('web', numbersOf('web', final.web!), written[0]!);
    assertExact('db', numbersOf('db', final.db!), written[1]!);
    assert.ok(recoveredMs < 10_000, `caught up ${recoveredMs} ms after the fault ended`);
    console.log(
      `cloudwatch logs: ${written.join(' + ')} lines, ${throttled.length} throttled calls, caught up ${recoveredMs} ms after the fault`,
    );
  });

  test('S3 PutObject answering 503 for 30 s (SlowDown, then ServiceUnavailable): nothing lost, every object whole', async () => {
    const dir = workDir();
    const sdk = new S3Client(sdkConfig(local, { forcePathStyle: true }));
    await sdk.send(new CreateBucketCommand({ Bucket: 'rel-outage' }));
    sdk.destroy();
    const objects = new Map<string, Buffer>();
    const writer = new NumberedWriter('app', join(dir, 'app.log'));
    const agent = await run(
      dir,
      ['app'],
      `    - s3:
        bucket: rel-outage
        region: us-east-1
        endpoint: ${local.url}
        addressing: path
        batch_size: 16KB
        batch_wait: 300ms
      ${BACKOFF}`,
    );
    await waitFor('an object before the fault', async () =>
      (await readS3Ndjson(local, 'rel-outage')).keys.length > 0 ? true : undefined,
    );
    const watch = watchRequests(local);
    const began = Date.now();
    // 15 s of SlowDown, then 15 s of ServiceUnavailable, both 503.
    const fault = (rule: object) =>
      fetch(`${local.url}/_signet/faults`, { method: 'POST', body: JSON.stringify(rule) });
    await fault({
      service: 's3',
      operation: 'PutObject',
      kind: 'throttle',
      duration_ms: FAULT_MS / 2,
    });
    await sleep(FAULT_MS / 2);
    await fault({
      service: 's3',
      operation: 'PutObject',
      kind: 'error',
      status: 503,
      duration_ms: FAULT_MS - (Date.now() - began),
    });
    await sleep(FAULT_MS - (Date.now() - began) + 1000);
    const written = await writer.stop();
    const ended = began + FAULT_MS;
    await waitFor(
      'every line after the outage',
      async () =>
        numbersOf('app', (await readS3Ndjson(local, 'rel-outage', objects)).lines).length >= written
          ? true
          : undefined,
      300,
      100,
    );
    const recoveredMs = Date.now() - ended;
    await sleep(300);
    assert.equal(await agent.stop(), 0);
    const puts = watch.stop().filter((r) => r.operation === 'PutObject');
    const codes = new Set(puts.filter((r) => r.status === 503).map((r) => r.errorCode));
    assert.deepEqual([...codes].sort(), ['ServiceUnavailable', 'SlowDown']);
    const contents = await readS3Ndjson(local, 'rel-outage', objects);
    assert.deepEqual(contents.broken, [], 'every object decompresses and parses');
    assertEachOnce('s3', numbersOf('app', contents.lines), written);
    assert.ok(recoveredMs < 10_000, `caught up ${recoveredMs} ms after the outage ended`);
    console.log(
      `s3: ${written} lines in ${contents.keys.length} objects, ${puts.filter((r) => r.status === 503).length} PutObject calls answered 503, caught up ${recoveredMs} ms after`,
    );
  });

  test('role credentials that expire every 8 s: all four sinks keep delivering, nothing dropped', async () => {
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
    const agent = await run(
      dir,
      ['app'],
      `    - cloudwatch_logs: { region: us-east-1, endpoint: ${shortLived.url}, log_group_name: rel/creds, log_stream_name: app }
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
      { ...demoKeys, AWS_ENDPOINT_URL_STS: shortLived.url },
    );
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
    assert.deepEqual(
      [...new Set(expired.map((r) => r.operation))].sort(),
      ['PutLogEvents', 'PutObject', 'PutRecordBatch', 'PutRecords'],
      'the clock jump made every sink meet an expired session',
    );
    assertExact('cloudwatch logs', got.cwl, written);
    assertEachOnce('s3', got.s3, written);
    assertEachOnce('firehose', got.firehose, written);
    assertEachOnce('kinesis', got.kinesis, written);
    console.log(
      `credentials: ${written} lines through ${assumed.length} role sessions; ${expired.length} calls refused as expired and sent again`,
    );
  });
});
