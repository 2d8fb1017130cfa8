/**
 * `signet doctor` on the AWS clients of a `logs:` block, run as a child
 * process against `signet local` on 127.0.0.1: one signed describe call per
 * client (DescribeLogGroups, HeadBucket, DescribeDeliveryStream,
 * DescribeStreamSummary), what a refusal lacks (action and ARN) and what run
 * needs, and missing groups, buckets and streams. The resources are made
 * with the official AWS SDK clients, and signet local's request log shows
 * each probe arrived signed and verified.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { parseLocalConfig } from '../../src/local/config/load.js';
import { startLocal, type LocalStack } from '../../src/local/index.js';
import { TempHome, isolatedEnv } from '../aws/credentials/harness.js';
import { runSignet, type CliResult } from '../helpers/run-cli.js';

const ACCOUNT = '123456789012';
const OPS = { key: 'AKIAOPSEXAMPLE000001', secret: 'ops/secret/EXAMPLEKEYEXAMPLEKEYEXAMPLEOPS' };
/** Allowed everything, and used by one test only: its requests are told apart in the request log. */
const READER = {
  key: 'AKIAREADEREXAMPLE001',
  secret: 'reader/secret/EXAMPLEKEYEXAMPLEKEYEXAMPL',
};
/** Allowed exactly what `signet run` calls, so every describe call is refused. */
const WRITER = {
  key: 'AKIAWRITEREXAMPLE001',
  secret: 'writer/secret/EXAMPLEKEYEXAMPLEKEYEXAMPL',
};
const ROLE = `arn:aws:iam::${ACCOUNT}:role/log-shipper`;
const EXTERNAL_ID = 'doctor-ext-42';
const STREAM_ARN = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/doctor-ks`;

const LOCAL_CONFIG = `
principals:
  - { name: ops, account_id: '${ACCOUNT}', access_key_id: ${OPS.key}, secret_access_key: ${OPS.secret}, policy: admin }
  - { name: reader, account_id: '${ACCOUNT}', access_key_id: ${READER.key}, secret_access_key: ${READER.secret}, policy: admin }
  - name: writer
    account_id: '${ACCOUNT}'
    access_key_id: ${WRITER.key}
    secret_access_key: ${WRITER.secret}
    policy:
      - effect: Allow
        actions: [logs:PutLogEvents, logs:CreateLogStream, logs:CreateLogGroup, logs:PutRetentionPolicy,
                  s3:PutObject, s3:AbortMultipartUpload, firehose:PutRecordBatch, kinesis:PutRecords]
        resources: '*'
policies:
  admin: [{ effect: Allow, actions: '*', resources: '*' }]
roles:
  - arn: ${ROLE}
    trust: { principals: ['arn:aws:iam::${ACCOUNT}:user/ops'], external_id: ${EXTERNAL_ID} }
    policy: admin
`;

interface Permission {
  action: string;
  resources: string[];
}
interface DoctorJson {
  destinations: {
    name: string;
    kind: string;
    resource: string | null;
    url: string;
    endpointOverride: string | null;
    region: string;
    service: string;
    identity: { account: string; arn: string } | null;
    probe: {
      ok: boolean;
      operation?: string;
      found?: string;
      problem: { kind: string; code: string; message: string; hint: string | null } | null;
      missing?: Permission;
      needs?: Permission[];
    };
  }[];
  ok: boolean;
}

let stack: LocalStack;
let home: TempHome;

before(async () => {
  // As AWS: a stream must be created before it is described or written to.
  stack = await startLocal({
    config: parseLocalConfig(LOCAL_CONFIG, 'doctor-logs-local.yaml'),
    autoCreateStreams: false,
  });
  home = new TempHome();
  const sdk = {
    endpoint: stack.url,
    region: 'us-east-1',
    credentials: { accessKeyId: OPS.key, secretAccessKey: OPS.secret },
    maxAttempts: 1,
  };
  const logs = new CloudWatchLogsClient(sdk);
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'doctor/app' }));
  await logs.send(
    new PutRetentionPolicyCommand({ logGroupName: 'doctor/app', retentionInDays: 7 }),
  );
  // A group whose name starts with the probed one: the prefix finds both, only the exact one counts.
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'doctor/app-old' }));
  await new S3Client({ ...sdk, forcePathStyle: true }).send(
    new CreateBucketCommand({ Bucket: 'doctor-bucket' }),
  );
  await new FirehoseClient(sdk).send(
    new CreateDeliveryStreamCommand({ DeliveryStreamName: 'doctor-fh' }),
  );
  await new KinesisClient(sdk).send(
    new CreateStreamCommand({ StreamName: 'doctor-ks', ShardCount: 1 }),
  );
});

after(async () => {
  home.remove();
  await stack.close();
});

/** A logs block with `clients`, tailing a file that need not exist. */
function agentConfig(name: string, clients: string): string {
  return home.write(
    name,
    `logs:
  positions_directory: ${home.path('positions')}
  configs:
    - name: doctor
      clients:
${clients}
      scrape_configs:
        - job_name: app
          static_configs:
            - labels: { job: app, __path__: ${home.path('*.log')} }
`,
  );
}

/** One client of each kind, each reaching signet local its own way (override variable or endpoint). */
const ALL_KINDS = `        - url: cwlogs://us-east-1/doctor/app
          cloudwatch_logs: { retention_in_days: 7 }
        - url: s3://doctor-bucket/logs/
          s3: { region: us-east-1 }
        - firehose: { delivery_stream_name: doctor-fh, region: us-east-1, endpoint: '${'${LOCAL}'}' }
        - kinesis: { stream_arn: '${STREAM_ARN}', region: us-east-1 }`;

function env(keys: { key: string; secret: string }): Record<string, string> {
  return isolatedEnv(home, {
    AWS_ACCESS_KEY_ID: keys.key,
    AWS_SECRET_ACCESS_KEY: keys.secret,
    AWS_ENDPOINT_URL_LOGS: stack.url,
    AWS_ENDPOINT_URL_S3: stack.url,
    AWS_ENDPOINT_URL_KINESIS: stack.url,
    AWS_ENDPOINT_URL_STS: stack.url,
    LOCAL: stack.url,
  });
}

function doctor(config: string, keys: typeof OPS, json: boolean): Promise<CliResult> {
  const args = ['doctor', '--config.file', config, '--config.expand-env'];
  return runSignet(json ? [...args, '--json'] : args, { env: env(keys) });
}

function assertNoSecrets(r: CliResult): void {
  const all = r.stdout + r.stderr;
  for (const s of [OPS.secret, READER.secret, WRITER.secret])
    assert.ok(!all.includes(s), 'a secret leaked');
  assert.doesNotMatch(all, /\bAKIA[A-Z0-9]{16}\b/, 'key ids are masked');
}

const byKind = (report: DoctorJson, kind: string) => {
  const d = report.destinations.find((x) => x.kind === kind);
  assert.ok(d, `a ${kind} destination`);
  return d;
};

describe('signet doctor: logs clients that send to AWS', { concurrency: true }, () => {
  test('one client of each kind, all reachable: exit 0, each probe says what it found', async () => {
    const config = agentConfig('all.yaml', ALL_KINDS);
    const [json, text] = await Promise.all([
      doctor(config, READER, true),
      doctor(config, READER, false),
    ]);
    assert.equal(json.status, 0, json.stdout + json.stderr);
    const report = JSON.parse(json.stdout) as DoctorJson;
    assert.deepEqual(
      report.destinations.map((d) => [d.name, d.kind, d.service, d.probe.operation, d.probe.ok]),
      [
        ['logs.configs[0].clients[0]', 'cloudwatch_logs', 'logs', 'DescribeLogGroups', true],
        ['logs.configs[0].clients[1]', 's3', 's3', 'HeadBucket', true],
        ['logs.configs[0].clients[2]', 'firehose', 'firehose', 'DescribeDeliveryStream', true],
        ['logs.configs[0].clients[3]', 'kinesis', 'kinesis', 'DescribeStreamSummary', true],
      ],
    );
    assert.deepEqual(
      report.destinations.map((d) => d.endpointOverride),
      ['AWS_ENDPOINT_URL_LOGS', 'AWS_ENDPOINT_URL_S3', null, 'AWS_ENDPOINT_URL_KINESIS'],
    );
    assert.equal(
      byKind(report, 'cloudwatch_logs').probe.found,
      'log group doctor/app exists, retention 7 days',
    );
    assert.equal(byKind(report, 's3').probe.found, 'bucket doctor-bucket exists');
    assert.equal(
      byKind(report, 'firehose').probe.found,
      'delivery stream doctor-fh exists, status ACTIVE',
    );
    assert.equal(
      byKind(report, 'kinesis').probe.found,
      'data stream doctor-ks exists, status ACTIVE',
    );
    // What run needs follows the options: retention_in_days adds PutRetentionPolicy.
    assert.deepEqual(
      byKind(report, 'cloudwatch_logs').probe.needs?.map((p) => p.action),
      [
        'logs:PutLogEvents',
        'logs:CreateLogStream',
        'logs:CreateLogGroup',
        'logs:PutRetentionPolicy',
      ],
    );
    assert.deepEqual(byKind(report, 'kinesis').probe.needs, [
      { action: 'kinesis:PutRecords', resources: [STREAM_ARN], why: 'send the records' },
    ]);

    // Each probe reached signet local, signed, and was verified as AWS would.
    const probes = stack.log
      .list()
      .filter((r) => r.principal === `arn:aws:iam::${ACCOUNT}:user/reader`)
      .filter((r) =>
        [
          'DescribeLogGroups',
          'HeadBucket',
          'DescribeDeliveryStream',
          'DescribeStreamSummary',
        ].includes(r.operation ?? ''),
      );
    assert.equal(probes.length, 8, 'four probes for each of the two runs');
    for (const r of probes) {
      assert.equal(r.signature, 'verified', `${r.operation} verified`);
      assert.equal(r.status, 200);
    }

    assert.equal(text.status, 0, text.stdout + text.stderr);
    assert.match(
      text.stdout,
      /^Destination logs\.configs\[0\]\.clients\[0\]: CloudWatch Logs log group doctor\/app$/m,
    );
    assert.match(
      text.stdout,
      /✔ DescribeLogGroups: log group doctor\/app exists, retention 7 days/,
    );
    assert.match(text.stdout, /✔ HeadBucket: bucket doctor-bucket exists/);
    assert.match(text.stdout, /✔ DescribeDeliveryStream: delivery stream doctor-fh exists/);
    assert.match(text.stdout, /✔ DescribeStreamSummary: data stream doctor-ks exists/);
    assert.match(text.stdout, /All checks passed/);
    assertNoSecrets(json);
    assertNoSecrets(text);
  });

  test('describe calls denied: each names the action and ARN missing, and what run needs', async () => {
    const config = agentConfig('denied.yaml', ALL_KINDS);
    const [json, text] = await Promise.all([
      doctor(config, WRITER, true),
      doctor(config, WRITER, false),
    ]);
    assert.equal(json.status, 1, json.stdout + json.stderr);
    const report = JSON.parse(json.stdout) as DoctorJson;
    const missing = report.destinations.map((d) => d.probe.missing);
    assert.deepEqual(missing, [
      {
        action: 'logs:DescribeLogGroups',
        resources: [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*`],
        why: "doctor's probe: does the log group exist",
      },
      {
        action: 's3:ListBucket',
        resources: ['arn:aws:s3:::doctor-bucket'],
        why: "doctor's probe, HeadBucket: does the bucket exist",
      },
      {
        action: 'firehose:DescribeDeliveryStream',
        resources: [`arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/doctor-fh`],
        why: "doctor's probe: does the delivery stream exist",
      },
      {
        action: 'kinesis:DescribeStreamSummary',
        resources: [STREAM_ARN],
        why: "doctor's probe: does the stream exist",
      },
    ]);
    for (const d of report.destinations) assert.equal(d.probe.problem?.kind, 'access-denied');
    // HeadBucket's 403 has no body: asked again with a GET, S3 says it is AccessDenied (not a bad signature).
    assert.equal(byKind(report, 's3').probe.problem?.code, 'AccessDenied');
    assert.deepEqual(
      byKind(report, 's3').probe.needs?.map((p) => `${p.action} ${p.resources.join(' ')}`),
      [
        's3:PutObject arn:aws:s3:::doctor-bucket/*',
        's3:AbortMultipartUpload arn:aws:s3:::doctor-bucket/*',
      ],
    );

    assert.equal(text.status, 1);
    const out = text.stdout;
    assert.match(
      out,
      /arn:aws:iam::123456789012:user\/writer may not call DescribeLogGroups: the policy of user writer needs logs:DescribeLogGroups on arn:aws:logs:us-east-1:123456789012:log-group:\*\./,
    );
    assert.match(
      out,
      /may not call HeadBucket: the policy of user writer needs s3:ListBucket on arn:aws:s3:::doctor-bucket\./,
    );
    assert.match(
      out,
      /needs firehose:DescribeDeliveryStream on arn:aws:firehose:us-east-1:123456789012:deliverystream\/doctor-fh\./,
    );
    assert.match(
      out,
      /needs kinesis:DescribeStreamSummary on arn:aws:kinesis:us-east-1:123456789012:stream\/doctor-ks\./,
    );
    // Then, under each, what signet run will need there.
    assert.match(
      out,
      /signet run needs:\n\s+logs:PutLogEvents on arn:aws:logs:us-east-1:123456789012:log-group:doctor\/app:log-stream:\* \(send the events\)\n\s+logs:CreateLogStream on arn:aws:logs:us-east-1:123456789012:log-group:doctor\/app, arn:aws:logs:us-east-1:123456789012:log-group:doctor\/app:\*/,
    );
    assert.match(
      out,
      /logs:PutRetentionPolicy on arn:aws:logs:us-east-1:123456789012:log-group:doctor\/app/,
    );
    assert.match(
      out,
      /signet run needs:\n\s+firehose:PutRecordBatch on arn:aws:firehose:us-east-1:123456789012:deliverystream\/doctor-fh/,
    );
    assert.match(
      out,
      /signet run needs:\n\s+kinesis:PutRecords on arn:aws:kinesis:us-east-1:123456789012:stream\/doctor-ks/,
    );
    assert.match(out, /Some checks failed/);
    assertNoSecrets(json);
    assertNoSecrets(text);
  });

  test('missing group, bucket and streams are explained; a group run will create passes', async () => {
    const config = agentConfig(
      'missing.yaml',
      `        - cloudwatch_logs: { region: us-east-1, log_group_name: doctor/absent, create_log_group: false }
        - cloudwatch_logs: { region: us-east-1, log_group_name: doctor/new }
        - s3: { bucket: doctor-no-such-bucket, region: us-east-1 }
        - firehose: { delivery_stream_name: doctor-no-fh, region: us-east-1, endpoint: '${'${LOCAL}'}' }
        - kinesis: { stream_name: doctor-no-ks, region: us-east-1 }
        - kinesis: { stream_arn: 'arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/doctor-ks', region: us-east-1 }
        - s3: { bucket: doctor-bucket, region: eu-west-1 }`,
    );
    const r = await doctor(config, OPS, true);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as DoctorJson;
    const [absent, created, bucket, firehose, kinesis, otherRegion, bucketElsewhere] =
      report.destinations.map((d) => d.probe);
    assert.equal(absent?.ok, false);
    assert.equal(absent?.problem?.kind, 'not-found');
    assert.match(
      absent?.problem?.message ?? '',
      /log group doctor\/absent does not exist in us-east-1, and create_log_group is off/,
    );
    assert.match(
      absent?.problem?.hint ?? '',
      /aws logs create-log-group --log-group-name doctor\/absent --region us-east-1/,
    );

    assert.equal(created?.ok, true);
    assert.match(
      created?.found ?? '',
      /doctor\/new does not exist yet in us-east-1: signet run creates it/,
    );

    assert.equal(bucket?.ok, false);
    assert.equal(bucket?.problem?.kind, 'not-found');
    assert.match(bucket?.problem?.hint ?? '', /^bucket doctor-no-such-bucket does not exist/);

    assert.equal(firehose?.problem?.code, 'ResourceNotFoundException');
    assert.match(
      firehose?.problem?.hint ?? '',
      /delivery stream doctor-no-fh does not exist in region us-east-1 of account 123456789012: create it as a Direct PUT stream, or, if it lives in another region, set firehose\.region/,
    );
    assert.equal(kinesis?.problem?.code, 'ResourceNotFoundException');
    assert.match(
      kinesis?.problem?.hint ?? '',
      /data stream doctor-no-ks does not exist in region us-east-1/,
    );
    // The stream exists, but in us-east-1: the ARN's region is not where the client sends.
    assert.equal(otherRegion?.ok, false);
    assert.match(
      otherRegion?.problem?.hint ?? '',
      /stream_arn names region eu-west-1, but the client signs for and sends to us-east-1: set kinesis\.region: eu-west-1/,
    );
    // HeadBucket's 400 has no body; asked again, S3 names the region it expected.
    assert.equal(bucketElsewhere?.problem?.code, 'AuthorizationHeaderMalformed');
    assert.equal(
      bucketElsewhere?.problem?.hint,
      'bucket doctor-bucket is in us-east-1, not eu-west-1: set s3.region: us-east-1',
    );
    assertNoSecrets(r);
  });

  test('per-client credentials: a role with an external id signs that client only; a signed Loki is probed too', async () => {
    const config = agentConfig(
      'role.yaml',
      `        - url: s3://doctor-bucket/
          aws_auth: { region: us-east-1, role_arn: '${ROLE}', external_id: ${EXTERNAL_ID} }
        - firehose: { delivery_stream_name: doctor-fh, region: us-east-1, endpoint: '${'${LOCAL}'}' }
        - url: '${'${LOCAL}'}/loki/api/v1/push'
          tenant_id: doctor
          sigv4: { region: us-east-1 }`,
    );
    const r = await doctor(config, OPS, true);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as DoctorJson;
    assert.match(
      byKind(report, 's3').identity?.arn ?? '',
      /^arn:aws:sts::123456789012:assumed-role\/log-shipper\//,
    );
    assert.equal(byKind(report, 's3').probe.ok, true);
    assert.equal(byKind(report, 'firehose').identity?.arn, `arn:aws:iam::${ACCOUNT}:user/ops`);
    // A Loki client with sigv4 is probed too: an empty push, signed and verified.
    const loki = byKind(report, 'loki');
    assert.equal(loki.service, 'execute-api');
    assert.equal(loki.probe.ok, true);
    assert.equal(loki.probe.found, 'an empty push was accepted (HTTP 204)');
    assert.ok(
      stack.log
        .list()
        .some((e) => e.operation === 'Push' && e.signature === 'verified' && e.status === 204),
    );
    assertNoSecrets(r);
  });

  test('a file whose only logs client is an unsigned Loki: nothing to probe, said so', async () => {
    const config = agentConfig(
      'unsigned.yaml',
      `        - url: http://127.0.0.1:9/loki/api/v1/push`,
    );
    const r = await doctor(config, OPS, false);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /has no remote_write with sigv4 or aws_auth and no logs client that sends to AWS/,
    );
    assert.equal(r.stdout, '');
  });
});
