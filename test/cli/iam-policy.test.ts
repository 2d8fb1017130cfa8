/**
 * `signet iam-policy` as a user runs it: the policy for a config with every
 * kind of signed call, deterministic and merged; the account from
 * sts:GetCallerIdentity (asked of signet local) or --account, and what it
 * says when neither is known; --per-role with the roles' and the base
 * principal's trust policies; a broken file refused as `config check`
 * refuses it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  startLocal,
  type LocalStack,
} from '../../src/local/index.js';
import type { PolicyDocument, PrincipalPolicy } from '../../src/cli/iam-policy-document.js';
import { tempDir } from '../agent/harness.js';
import { runSignet } from '../helpers/run-cli.js';

const ACCOUNT = '123456789012';
const ROLE = 'arn:aws:iam::210987654321:role/amp-writer';

let local: LocalStack;
const dir = tempDir('signet-iam-cli-');
before(async () => {
  local = await startLocal({ region: 'eu-west-1' });
});
after(async () => {
  await local.close();
  dir.remove();
});

function configFile(name: string, text: string): string {
  const file = join(dir.path, name);
  writeFileSync(file, text);
  return file;
}

const everything = (clientsFirst: 'cw' | 's3') => {
  const cw = [
    `        - url: cwlogs://eu-west-1/app/web`,
    `          cloudwatch_logs: { retention_in_days: 7, log_stream_name: '{{ .pod }}' }`,
    `        - url: cwlogs://eu-west-1/app/db`,
  ];
  const s3 = [
    `        - s3: { bucket: logs-b, prefix: app/, region: eu-west-1, sse: 'aws:kms', kms_key_id: 'arn:aws:kms:eu-west-1:${ACCOUNT}:key/k-1' }`,
    `        - firehose: { delivery_stream_name: fh, region: eu-west-1 }`,
    `        - kinesis: { stream_arn: 'arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/ks' }`,
  ];
  return `metrics:
  wal_directory: ${join(dir.path, 'wal')}
  configs:
    - name: default
      scrape_configs:
        - job_name: api
          sigv4: { region: eu-west-1 }
          scheme: https
          metrics_path: /prod/metrics
          static_configs: [{ targets: ['abc123.execute-api.eu-west-1.amazonaws.com'] }]
      remote_write:
        - url: https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1234/api/v1/remote_write
          sigv4: { region: eu-west-1, role_arn: '${ROLE}', external_id: ext-1 }
logs:
  positions_directory: ${join(dir.path, 'positions')}
  configs:
    - name: default
      clients:
${(clientsFirst === 'cw' ? [...cw, ...s3] : [...s3, ...cw]).join('\n')}
      scrape_configs:
        - job_name: f
          static_configs: [{ labels: { __path__: ${join(dir.path, '*.log')} } }]
`;
};

const sids = (doc: PolicyDocument) => doc.Statement.map((s) => s.Sid);

describe('signet iam-policy', () => {
  test('every kind of signed call on exact ARNs, merged per action set, the same whatever the order', async () => {
    const [a, b] = await Promise.all([
      runSignet([
        'iam-policy',
        '-config.file',
        configFile('a.yaml', everything('cw')),
        '--account',
        ACCOUNT,
      ]),
      runSignet(['iam-policy', configFile('b.yaml', everything('s3')), '--account', ACCOUNT]),
    ]);
    assert.equal(a.status, 0, a.stderr);
    assert.equal(a.stdout, b.stdout, 'the order of the clients does not change the policy');
    const policy = JSON.parse(a.stdout) as PolicyDocument;
    assert.equal(policy.Version, '2012-10-17');
    assert.deepEqual(sids(policy), [
      'ApsRemoteWrite',
      'ExecuteApiInvoke',
      'FirehosePutRecordBatch',
      'KinesisPutRecords',
      'KmsDecryptGenerateDataKey',
      'LogsCreateLogGroupCreateLogStream',
      'LogsPutLogEvents',
      'LogsPutRetentionPolicy',
      'S3AbortMultipartUploadPutObject',
      'StsAssumeRole',
    ]);
    const by = (sid: string) => policy.Statement.find((s) => s.Sid === sid)!;
    // The role's account for what the role writes; the caller's for the rest.
    assert.equal(
      by('ApsRemoteWrite').Resource,
      'arn:aws:aps:eu-west-1:210987654321:workspace/ws-1234',
    );
    assert.equal(
      by('ExecuteApiInvoke').Resource,
      `arn:aws:execute-api:eu-west-1:${ACCOUNT}:abc123/prod/GET/metrics`,
    );
    assert.deepEqual(by('LogsPutLogEvents').Resource, [
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:app/db:log-stream:*`,
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:app/web:log-stream:*`,
    ]);
    // Both groups' creation in one statement; retention only where retention_in_days is set.
    assert.deepEqual(by('LogsCreateLogGroupCreateLogStream').Resource, [
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:app/db`,
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:app/db:*`,
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:app/web`,
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:app/web:*`,
    ]);
    assert.deepEqual(by('LogsPutRetentionPolicy').Resource, [
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:app/web`,
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:app/web:*`,
    ]);
    assert.equal(by('S3AbortMultipartUploadPutObject').Resource, 'arn:aws:s3:::logs-b/app/*');
    assert.equal(
      by('KmsDecryptGenerateDataKey').Resource,
      `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k-1`,
    );
    assert.equal(
      by('KinesisPutRecords').Resource,
      `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/ks`,
    );
    assert.deepEqual(by('StsAssumeRole').Condition, {
      StringEquals: { 'sts:ExternalId': 'ext-1' },
    });
    // What it could not know exactly, and what it did not grant, on stderr.
    assert.match(
      a.stderr,
      /clients\[0\]: the log stream name is a template: PutLogEvents is granted on every stream of 'app\/web' \(log-stream:\*\)/,
    );
    assert.match(
      a.stderr,
      /nothing in the config queries a workspace, so aps:QueryMetrics is not granted/,
    );
    assert.match(a.stderr, /--per-role gives each principal only its own statements/);
  });

  test('the account from sts:GetCallerIdentity; unknown: said, and a wildcard', async () => {
    const file = configFile(
      'fh.yaml',
      `logs:
  positions_directory: ${join(dir.path, 'positions')}
  configs:
    - name: default
      clients: [{ firehose: { delivery_stream_name: fh, region: eu-west-1 }, aws_auth: { region: eu-west-1 } }]
      scrape_configs: [{ job_name: f, static_configs: [{ labels: { __path__: /nowhere/*.log } }] }]
`,
    );
    const [asked, unknown] = await Promise.all([
      runSignet(['iam-policy', file, '--json'], {
        env: {
          AWS_ACCESS_KEY_ID: DEMO_ACCESS_KEY_ID,
          AWS_SECRET_ACCESS_KEY: DEMO_SECRET_ACCESS_KEY,
          // No AWS_REGION: STS is asked in the region the file names.
          AWS_ENDPOINT_URL_STS: local.url,
        },
      }),
      runSignet(['iam-policy', file], {
        // A HOME without ~/.aws: no credentials anywhere.
        env: { AWS_REGION: 'eu-west-1', AWS_EC2_METADATA_DISABLED: 'true', HOME: dir.path },
      }),
    ]);
    assert.equal(asked.status, 0, asked.stderr);
    const json = JSON.parse(asked.stdout) as { account: string; policy: PolicyDocument };
    assert.equal(json.account, ACCOUNT);
    assert.equal(
      json.policy.Statement[0]!.Resource,
      `arn:aws:firehose:eu-west-1:${ACCOUNT}:deliverystream/fh`,
    );
    assert.ok(
      local.log.list().some((e) => e.operation === 'GetCallerIdentity' && e.status === 200),
    );
    assert.equal(unknown.status, 0, unknown.stderr);
    assert.equal(
      (JSON.parse(unknown.stdout) as PolicyDocument).Statement[0]!.Resource,
      'arn:aws:firehose:eu-west-1:*:deliverystream/fh',
    );
    assert.match(unknown.stderr, /note: sts:GetCallerIdentity: /);
    assert.match(unknown.stderr, /the account is unknown .*ARNs use '\*' for it/);
  });

  test('--per-role: the base principal assumes the role; each role gets its own statements and trust', async () => {
    const file = configFile('a.yaml', everything('cw'));
    const [plain, ec2, irsa] = await Promise.all([
      runSignet(['iam-policy', file, '--account', ACCOUNT, '--per-role', '--json']),
      runSignet([
        'iam-policy',
        file,
        '--account',
        ACCOUNT,
        '--per-role',
        '--json',
        '--trust',
        'ec2',
      ]),
      runSignet(
        [
          'iam-policy',
          file,
          '--account',
          ACCOUNT,
          '--per-role',
          '--json',
          '--oidc-provider',
          'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE',
          '--service-account',
          'monitoring/signet',
        ],
        {
          env: {
            AWS_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/signet-irsa`,
            AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
          },
        },
      ),
    ]);
    for (const r of [plain, ec2, irsa]) assert.equal(r.status, 0, r.stderr);
    const principals = (r: typeof plain) =>
      (JSON.parse(r.stdout) as { principals: PrincipalPolicy[] }).principals;
    const [base, role] = principals(plain);
    assert.equal(base!.principal, 'base');
    assert.equal(base!.trustPolicy, undefined);
    assert.ok(sids(base!.policy).includes('StsAssumeRole'));
    assert.ok(!sids(base!.policy).includes('ApsRemoteWrite'), 'the role writes, not the base');
    assert.equal(role!.principal, ROLE);
    assert.deepEqual(sids(role!.policy), ['ApsRemoteWrite']);
    assert.deepEqual(role!.trustPolicy, {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AssumeRoleWithExternalId',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'ext-1' } },
        },
      ],
    });
    assert.deepEqual(principals(ec2)[0]!.trustPolicy!.Statement[0]!.Principal, {
      Service: 'ec2.amazonaws.com',
    });
    const [irsaBase, irsaRole] = principals(irsa);
    assert.deepEqual(irsaBase!.trustPolicy!.Statement[0], {
      Sid: 'IrsaAssumeRoleWithWebIdentity',
      Effect: 'Allow',
      Principal: {
        Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE`,
      },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:aud': 'sts.amazonaws.com',
          'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub':
            'system:serviceaccount:monitoring:signet',
        },
      },
    });
    // The config's role trusts the IRSA role, which is who assumes it.
    assert.equal(
      irsaRole!.trustPolicy!.Statement[0]!.Principal!.AWS,
      `arn:aws:iam::${ACCOUNT}:role/signet-irsa`,
    );
  });

  test('a broken file is refused as config check refuses it; bad flags are usage errors', async () => {
    const bad = configFile(
      'bad.yaml',
      'logs:\n  configs:\n    - name: x\n      clients: [{ firehose: { region: eu-west-1 } }]\n',
    );
    const [policy, check, account, trust] = await Promise.all([
      runSignet(['iam-policy', bad, '--account', ACCOUNT]),
      runSignet(['config', 'check', bad]),
      runSignet(['iam-policy', bad, '--account', '12']),
      runSignet(['iam-policy', bad, '--trust', 'irsa']),
    ]);
    assert.equal(policy.status, 1);
    assert.equal(check.status, 1);
    assert.equal(policy.stdout, '');
    const problems = (s: string) => s.split('\n').filter((l) => l.startsWith(bad));
    assert.ok(problems(policy.stderr).length > 0, policy.stderr);
    assert.deepEqual(problems(policy.stderr), problems(check.stderr));
    assert.equal(account.status, 2);
    assert.match(account.stderr, /--account '12' is not a 12-digit account id/);
    assert.equal(trust.status, 2);
    assert.match(trust.stderr, /--trust irsa needs --oidc-provider and --service-account/);
  });
});
