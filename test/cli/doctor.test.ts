import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LocalStack } from '../../src/local/index.js';
import {
  CENTRAL_ROLE,
  CONTAINER_TOKEN,
  EXTERNAL_ID,
  IRSA_ROLE,
  OPS_KEY,
  OPS_SECRET,
  TempHome,
  isolatedEnv,
  startStack,
  webIdentityToken,
} from '../aws/credentials/harness.js';
import { runSignet, type CliResult } from '../helpers/run-cli.js';

let stack: LocalStack;
before(async () => {
  stack = await startStack();
});
after(() => stack.close());

/** No secret, token or unmasked key id anywhere in what the command printed. */
function assertNoSecrets(r: CliResult, secrets: readonly string[]): void {
  const all = r.stdout + r.stderr;
  for (const s of secrets) assert.ok(!all.includes(s), `a secret leaked: ${s.slice(0, 6)}…`);
  assert.doesNotMatch(all, /\b(AKIA|ASIA)[A-Z0-9]{16}\b/, 'key ids are masked');
  assert.doesNotMatch(all, /"?(SessionToken|sessionToken|secretAccessKey)"?\s*[:=]/);
}

interface DoctorJson {
  credentials: {
    source: string | null;
    chain: { source: string; outcome: string; detail: string }[];
    accessKeyId: string | null;
  };
  identity: { account: string; arn: string } | null;
  region: string | null;
  clockOffsetSeconds: number | null;
  destinations: {
    name: string;
    region: string;
    service: string;
    probe: { ok: boolean; problem: { kind: string; code: string; hint: string | null } | null };
  }[];
}

function remoteWrite(): string {
  return `${stack.url}/workspaces/ws-doctor/api/v1/remote_write`;
}

describe('signet doctor', () => {
  test('--json: source, chain, identity, region and clock offset for environment keys', async () => {
    const home = new TempHome();
    const r = await runSignet(
      ['doctor', '--url', remoteWrite(), '--region', 'us-east-1', '--json'],
      {
        env: isolatedEnv(home, {
          AWS_ENDPOINT_URL_STS: stack.url,
          AWS_ACCESS_KEY_ID: OPS_KEY,
          AWS_SECRET_ACCESS_KEY: OPS_SECRET,
        }),
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as DoctorJson;
    assert.equal(report.credentials.source, 'env');
    assert.deepEqual(
      report.credentials.chain.map((a) => `${a.source}:${a.outcome}`),
      ['config:skipped', 'profile:skipped', 'env:used'],
    );
    assert.equal(report.credentials.accessKeyId, 'AKIA…0001');
    assert.equal(report.identity?.account, '123456789012');
    assert.equal(report.identity?.arn, 'arn:aws:iam::123456789012:user/ops');
    assert.equal(report.region, 'us-east-1');
    assert.equal(typeof report.clockOffsetSeconds, 'number');
    assert.ok(Math.abs(report.clockOffsetSeconds!) <= 1);
    assert.equal(report.destinations[0]?.service, 'aps');
    assert.equal(report.destinations[0]?.probe.ok, true);
    assertNoSecrets(r, [OPS_SECRET]);
    home.remove();
  });

  test('a Grafana Agent file whose aws_auth assumes a cross-account role from IRSA', async () => {
    const home = new TempHome();
    const token = webIdentityToken();
    const config = home.write(
      'agent.yaml',
      `metrics:
  global:
    remote_write:
      - url: ${remoteWrite()}
        aws_auth:
          region: us-east-1
          role_arn: ${CENTRAL_ROLE}
          external_id: ${EXTERNAL_ID}
          assume_role_duration: 15m
`,
    );
    const r = await runSignet(['doctor', '-config.file', config, '--json'], {
      env: isolatedEnv(home, {
        AWS_ENDPOINT_URL_STS: stack.url,
        AWS_WEB_IDENTITY_TOKEN_FILE: home.write('token', token),
        AWS_ROLE_ARN: IRSA_ROLE,
      }),
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as DoctorJson;
    assert.equal(report.credentials.source, 'web-identity');
    assert.deepEqual(
      report.credentials.chain.filter((a) => a.outcome === 'used').map((a) => a.source),
      ['web-identity', 'assume-role'],
    );
    assert.match(
      report.identity?.arn ?? '',
      /^arn:aws:sts::111122223333:assumed-role\/central-observability\//,
    );
    assert.equal(report.destinations[0]?.name, 'metrics.global.remote_write[0]');
    assertNoSecrets(r, [token, CONTAINER_TOKEN]);
    home.remove();
  });

  test('no credentials anywhere: exit 1, every source named with its reason, text and JSON', async () => {
    const home = new TempHome();
    const env = isolatedEnv(home, { AWS_ENDPOINT_URL_STS: stack.url });
    const json = await runSignet(
      ['doctor', '--url', remoteWrite(), '--region', 'us-east-1', '--json'],
      { env },
    );
    assert.equal(json.status, 1);
    const report = JSON.parse(json.stdout) as DoctorJson;
    assert.equal(report.credentials.source, null);
    assert.deepEqual(
      report.credentials.chain.map((a) => a.source),
      ['config', 'profile', 'env', 'web-identity', 'shared-files', 'container', 'imds'],
    );
    assert.equal(report.identity, null);
    const text = await runSignet(['doctor', '--url', remoteWrite(), '--region', 'us-east-1'], {
      env,
    });
    assert.equal(text.status, 1);
    assert.match(text.stdout, /✘ imds\s+failed/);
    assert.match(text.stdout, /Some checks failed/);
    home.remove();
  });

  test('a destination signed for the wrong region is explained, and others still pass', async () => {
    const home = new TempHome();
    const config = home.write(
      'agent.yaml',
      `metrics:
  configs:
    - name: a
      remote_write:
        - url: ${remoteWrite()}
          sigv4: { region: us-east-1, access_key: ${OPS_KEY}, secret_key: ${OPS_SECRET} }
        - url: ${remoteWrite()}
          sigv4: { region: eu-west-1, access_key: ${OPS_KEY}, secret_key: ${OPS_SECRET} }
`,
    );
    const r = await runSignet(['doctor', '--config.file', config, '--json'], {
      env: isolatedEnv(home, { AWS_ENDPOINT_URL_STS: stack.url }),
    });
    assert.equal(r.status, 1);
    const report = JSON.parse(r.stdout) as DoctorJson;
    assert.equal(report.credentials.source, 'config');
    assert.equal(report.destinations[0]?.probe.ok, true);
    const wrong = report.destinations[1]?.probe.problem;
    assert.equal(wrong?.kind, 'signature');
    assert.match(wrong?.hint ?? '', /eu-west-1.*us-east-1/);
    assertNoSecrets(r, [OPS_SECRET]);
    home.remove();
  });

  test('no file or URL: the credential chain, identity and clock only, no destinations', async () => {
    const home = new TempHome();
    const env = isolatedEnv(home, {
      AWS_ENDPOINT_URL_STS: stack.url,
      AWS_ACCESS_KEY_ID: OPS_KEY,
      AWS_SECRET_ACCESS_KEY: OPS_SECRET,
      AWS_REGION: 'us-east-1',
    });
    const json = await runSignet(['doctor', '--json'], { env });
    assert.equal(json.status, 0, json.stderr);
    const report = JSON.parse(json.stdout) as DoctorJson;
    assert.equal(report.credentials.source, 'env');
    assert.equal(report.identity?.arn, 'arn:aws:iam::123456789012:user/ops');
    assert.equal(report.region, 'us-east-1');
    assert.equal(typeof report.clockOffsetSeconds, 'number');
    assert.deepEqual(report.destinations, []);
    const text = await runSignet(['doctor'], { env });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^Identity\s+arn:aws:iam::123456789012:user\/ops/m);
    assert.match(text.stdout, /^Clock\s+/m);
    assert.doesNotMatch(text.stdout, /Destination/);
    assert.match(text.stdout, /All checks passed/);
    assertNoSecrets(text, [OPS_SECRET]);

    // No region anywhere: STS cannot be asked, and the report says what to set.
    const noRegion = await runSignet(['doctor'], { env: { ...env, AWS_REGION: '' } });
    assert.equal(noRegion.status, 1);
    assert.match(noRegion.stdout, /✔ env\s+used/);
    assert.match(
      noRegion.stdout,
      /STS was not asked who these credentials are: No AWS region configured[\s\S]*→ pass --region REGION, or set AWS_REGION/,
    );
    home.remove();
  });

  test('bad command lines exit 2 with one line', async () => {
    const bad = await runSignet(['doctor', '--url', 'x', '--external-id', 'e']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--external-id needs --role-arn/);
  });
});
