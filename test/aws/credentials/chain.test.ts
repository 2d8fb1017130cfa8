import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import { NoCredentialsError } from '../../../src/aws/credentials/errors.js';
import type { CredentialSpec } from '../../../src/aws/credentials/spec.js';
import type { SourceName } from '../../../src/aws/credentials/types.js';
import { getCallerIdentity } from '../../../src/aws/sts/client.js';
import { stsEndpoint } from '../../../src/aws/sts/endpoint.js';
import type { LocalStack } from '../../../src/local/index.js';
import {
  CENTRAL_ROLE,
  CONTAINER_TOKEN,
  DEV_KEY,
  DEV_ROLE,
  DEV_SECRET,
  EXTERNAL_ID,
  OPS_KEY,
  OPS_SECRET,
  TempHome,
  isolatedEnv,
  requestsOf,
  startStack,
  webIdentityToken,
} from './harness.js';

let stack: LocalStack;
before(async () => {
  stack = await startStack();
});
after(() => stack.close());

const OPS_FILE = `[default]\naws_access_key_id = ${OPS_KEY}\naws_secret_access_key = ${OPS_SECRET}\n`;
const DEV_FILE = `[dev]\naws_access_key_id = ${DEV_KEY}\naws_secret_access_key = ${DEV_SECRET}\n`;

interface Outcome {
  readonly source: SourceName | undefined;
  readonly arn: string;
  readonly chain: readonly string[];
}

/** Resolves like a destination would and asks STS who that is. */
async function whoAmI(env: Record<string, string>, spec: CredentialSpec = {}): Promise<Outcome> {
  const provider = createCredentialProvider(spec, { env, region: 'us-east-1', timeoutMs: 1000 });
  try {
    const endpoint = stsEndpoint({ region: 'us-east-1', env });
    const identity = await getCallerIdentity(provider, { endpoint });
    const status = provider.status();
    return {
      source: status.source,
      arn: identity.arn,
      chain: status.chain.map((a) => `${a.source}:${a.outcome}`),
    };
  } finally {
    provider.close();
  }
}

function stsEnv(home: TempHome, extra: Record<string, string> = {}): Record<string, string> {
  return isolatedEnv(home, { AWS_ENDPOINT_URL_STS: stack.url, ...extra });
}

describe('the credential chain, source by source and in order', () => {
  test('explicit keys win, and no other source is contacted', async () => {
    const home = new TempHome({ '.aws/credentials': DEV_FILE.replace('[dev]', '[default]') });
    const before = stack.log.list().length;
    const env = stsEnv(home, {
      AWS_ACCESS_KEY_ID: DEV_KEY,
      AWS_SECRET_ACCESS_KEY: DEV_SECRET,
      AWS_WEB_IDENTITY_TOKEN_FILE: home.write('token', webIdentityToken()),
      AWS_ROLE_ARN: DEV_ROLE,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: stack.url,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${stack.url}/v1/credentials`,
    });
    const provider = createCredentialProvider(
      { accessKeyId: OPS_KEY, secretAccessKey: OPS_SECRET },
      { env, region: 'us-east-1' },
    );
    const creds = await provider.get();
    assert.equal(creds.accessKeyId, OPS_KEY);
    assert.equal(provider.status().source, 'config');
    assert.deepEqual(
      provider.status().chain.map((a) => a.source),
      ['config'],
    );
    assert.equal(stack.log.list().length, before, 'no request reached STS, IMDS or ECS');
    provider.close();
    home.remove();
  });

  test('a configured profile is used before the environment', async () => {
    const home = new TempHome({ '.aws/credentials': DEV_FILE });
    const out = await whoAmI(
      stsEnv(home, { AWS_ACCESS_KEY_ID: OPS_KEY, AWS_SECRET_ACCESS_KEY: OPS_SECRET }),
      { profile: 'dev' },
    );
    assert.equal(out.source, 'profile');
    assert.equal(out.arn, 'arn:aws:iam::123456789012:user/dev');
    assert.deepEqual(out.chain, ['config:skipped', 'profile:used']);
    home.remove();
  });

  test('a configured profile that is missing fails without falling back to another identity', async () => {
    const home = new TempHome({ '.aws/credentials': OPS_FILE });
    const provider = createCredentialProvider(
      { profile: 'nope' },
      { env: stsEnv(home, { AWS_ACCESS_KEY_ID: OPS_KEY, AWS_SECRET_ACCESS_KEY: OPS_SECRET }) },
    );
    await assert.rejects(provider.get(), (e: unknown) => {
      assert.ok(e instanceof NoCredentialsError);
      assert.deepEqual(
        e.chain.map((a) => `${a.source}:${a.outcome}`),
        ['config:skipped', 'profile:failed'],
      );
      assert.match(e.message, /Profile "nope" is not in/);
      assert.ok(!e.message.includes(OPS_SECRET));
      return true;
    });
    provider.close();
    home.remove();
  });

  test('environment keys come before web identity, shared files, container and IMDS', async () => {
    const home = new TempHome({ '.aws/credentials': OPS_FILE });
    const out = await whoAmI(
      stsEnv(home, {
        AWS_ACCESS_KEY_ID: DEV_KEY,
        AWS_SECRET_ACCESS_KEY: DEV_SECRET,
        AWS_WEB_IDENTITY_TOKEN_FILE: home.write('token', webIdentityToken()),
        AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/signet-irsa',
        AWS_EC2_METADATA_SERVICE_ENDPOINT: stack.url,
      }),
    );
    assert.equal(out.source, 'env');
    assert.equal(out.arn, 'arn:aws:iam::123456789012:user/dev');
    assert.deepEqual(out.chain, ['config:skipped', 'profile:skipped', 'env:used']);
    home.remove();
  });

  test('half-set environment keys are reported and the chain goes on', async () => {
    const home = new TempHome({ '.aws/credentials': OPS_FILE });
    const out = await whoAmI(stsEnv(home, { AWS_ACCESS_KEY_ID: DEV_KEY }));
    assert.equal(out.source, 'shared-files');
    assert.deepEqual(out.chain.slice(2, 4), ['env:failed', 'web-identity:skipped']);
    home.remove();
  });

  test('web identity (IRSA) comes before the shared files', async () => {
    const home = new TempHome({ '.aws/credentials': OPS_FILE });
    const out = await whoAmI(
      stsEnv(home, {
        AWS_WEB_IDENTITY_TOKEN_FILE: home.write('token', webIdentityToken()),
        AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/signet-irsa',
        AWS_ROLE_SESSION_NAME: 'pod-abc',
      }),
    );
    assert.equal(out.source, 'web-identity');
    assert.equal(out.arn, 'arn:aws:sts::123456789012:assumed-role/signet-irsa/pod-abc');
    home.remove();
  });

  test('a web identity token the role does not trust is reported, then the chain goes on', async () => {
    const home = new TempHome({ '.aws/credentials': OPS_FILE });
    const env = stsEnv(home, {
      AWS_WEB_IDENTITY_TOKEN_FILE: home.write(
        'token',
        webIdentityToken('system:serviceaccount:other:x'),
      ),
      AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/signet-irsa',
    });
    const provider = createCredentialProvider({}, { env, region: 'us-east-1', timeoutMs: 1000 });
    await provider.get();
    const attempt = provider.status().chain.find((a) => a.source === 'web-identity');
    assert.equal(attempt?.outcome, 'failed');
    assert.match(attempt?.detail ?? '', /AccessDenied/);
    assert.equal(provider.status().source, 'shared-files');
    provider.close();
    home.remove();
  });

  test('shared files honour AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE', async () => {
    const home = new TempHome();
    const credentials = home.write('elsewhere-credentials', DEV_FILE);
    const config = home.write('elsewhere-config', '[profile dev]\nregion = eu-west-1\n');
    const env = stsEnv(home, {
      AWS_PROFILE: 'dev',
      AWS_SHARED_CREDENTIALS_FILE: credentials,
      AWS_CONFIG_FILE: config,
    });
    const provider = createCredentialProvider({}, { env, timeoutMs: 1000 });
    const creds = await provider.get();
    assert.equal(creds.accessKeyId, DEV_KEY);
    assert.equal(provider.status().source, 'shared-files');
    assert.equal(provider.resolution()?.region, 'eu-west-1');
    provider.close();
    home.remove();
  });

  test('profiles chain through source_profile, with external_id checked by STS', async () => {
    const config = [
      '[profile central]',
      `role_arn = ${CENTRAL_ROLE}`,
      'source_profile = base',
      `external_id = ${EXTERNAL_ID}`,
      'role_session_name = from-profile',
      '[profile base]',
      'region = us-east-1',
      '[profile wrong-id]',
      `role_arn = ${CENTRAL_ROLE}`,
      'source_profile = base',
      'external_id = not-the-one',
      '',
    ].join('\n');
    const home = new TempHome({
      '.aws/config': config,
      '.aws/credentials': `[base]\naws_access_key_id = ${OPS_KEY}\naws_secret_access_key = ${OPS_SECRET}\n`,
    });
    const out = await whoAmI(stsEnv(home), { profile: 'central' });
    assert.equal(
      out.arn,
      'arn:aws:sts::111122223333:assumed-role/central-observability/from-profile',
    );
    await assert.rejects(whoAmI(stsEnv(home), { profile: 'wrong-id' }), /AccessDenied/);
    home.remove();
  });

  test('a profile with credential_source = Ec2InstanceMetadata assumes its role with the instance role', async () => {
    const home = new TempHome({
      '.aws/config': `[default]\nrole_arn = ${DEV_ROLE}\ncredential_source = Ec2InstanceMetadata\nrole_session_name = via-imds\n`,
    });
    const out = await whoAmI(stsEnv(home, { AWS_EC2_METADATA_SERVICE_ENDPOINT: stack.url }));
    assert.equal(out.source, 'shared-files');
    assert.equal(out.arn, 'arn:aws:sts::123456789012:assumed-role/dev-writer/via-imds');
  });

  test('a profile with credential_source = Environment uses the environment keys', async () => {
    const home = new TempHome({
      '.aws/config': `[profile dev-role]\nrole_arn = ${DEV_ROLE}\ncredential_source = Environment\n`,
    });
    const out = await whoAmI(
      stsEnv(home, { AWS_ACCESS_KEY_ID: DEV_KEY, AWS_SECRET_ACCESS_KEY: DEV_SECRET }),
      { profile: 'dev-role' },
    );
    assert.match(out.arn, /^arn:aws:sts::123456789012:assumed-role\/dev-writer\/signet-/);
    home.remove();
  });

  test('a profile with web_identity_token_file', async () => {
    const home = new TempHome();
    const token = home.write('token', webIdentityToken());
    home.write(
      '.aws/config',
      `[profile irsa]\nrole_arn = arn:aws:iam::123456789012:role/signet-irsa\nweb_identity_token_file = ${token}\nrole_session_name = ini\n`,
    );
    const out = await whoAmI(stsEnv(home), { profile: 'irsa' });
    assert.equal(out.arn, 'arn:aws:sts::123456789012:assumed-role/signet-irsa/ini');
    home.remove();
  });

  test('a profile with credential_process runs the command', async () => {
    const home = new TempHome();
    const script = home.write(
      'creds.mjs',
      `console.log(JSON.stringify({ Version: 1, AccessKeyId: '${DEV_KEY}', SecretAccessKey: '${DEV_SECRET}' }));\n`,
    );
    chmodSync(script, 0o755);
    home.write(
      '.aws/config',
      `[profile proc]\ncredential_process = ${process.execPath} ${script}\n`,
    );
    const out = await whoAmI(stsEnv(home), { profile: 'proc' });
    assert.equal(out.arn, 'arn:aws:iam::123456789012:user/dev');
    home.remove();
  });

  test('a source_profile loop is an error naming the loop', async () => {
    const home = new TempHome({
      '.aws/config': `[profile a]\nrole_arn = ${DEV_ROLE}\nsource_profile = b\n[profile b]\nrole_arn = ${DEV_ROLE}\nsource_profile = a\n`,
    });
    await assert.rejects(
      whoAmI(stsEnv(home), { profile: 'a' }),
      /loop through source_profile: a → b → a/,
    );
    home.remove();
  });

  test('container credentials (ECS / EKS Pod Identity) with a token, from a value or a file', async () => {
    const home = new TempHome();
    const full = { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${stack.url}/v1/credentials` };
    const withValue = await whoAmI(
      stsEnv(home, { ...full, AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_TOKEN }),
    );
    assert.equal(withValue.source, 'container');
    assert.match(withValue.arn, /assumed-role\/task-role\//);
    const tokenFile = home.write('ecs-token', CONTAINER_TOKEN);
    const withFile = await whoAmI(
      stsEnv(home, { ...full, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile }),
    );
    assert.equal(withFile.source, 'container');

    const provider = createCredentialProvider(
      {},
      {
        env: stsEnv(home, { ...full, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'wrong-token' }),
        timeoutMs: 1000,
      },
    );
    await assert.rejects(provider.get(), (e: unknown) => {
      assert.ok(e instanceof NoCredentialsError);
      const attempt = e.chain.find((a) => a.source === 'container');
      assert.equal(attempt?.outcome, 'failed');
      assert.ok(!e.message.includes('wrong-token'), 'the token is not echoed');
      return true;
    });
    provider.close();
    home.remove();
  });

  test('EC2 instance metadata (IMDSv2) is the last resort', async () => {
    const home = new TempHome();
    const out = await whoAmI(stsEnv(home, { AWS_EC2_METADATA_SERVICE_ENDPOINT: stack.url }));
    assert.equal(out.source, 'imds');
    assert.match(out.arn, /assumed-role\/instance-role\/i-0aaaaaaaaaaaaaaa1$/);
    assert.deepEqual(out.chain, [
      'config:skipped',
      'profile:skipped',
      'env:skipped',
      'web-identity:skipped',
      'shared-files:skipped',
      'container:skipped',
      'imds:used',
    ]);
    home.remove();
  });

  test('AWS_EC2_METADATA_DISABLED skips IMDS, and nothing anywhere is a NoCredentialsError naming every source', async () => {
    const home = new TempHome();
    const before = requestsOf(stack, 'imds');
    const provider = createCredentialProvider(
      {},
      {
        env: stsEnv(home, {
          AWS_EC2_METADATA_SERVICE_ENDPOINT: stack.url,
          AWS_EC2_METADATA_DISABLED: 'true',
        }),
      },
    );
    await assert.rejects(provider.get(), (e: unknown) => {
      assert.ok(e instanceof NoCredentialsError);
      assert.deepEqual(
        e.chain.map((a) => `${a.source}:${a.outcome}`),
        [
          'config:skipped',
          'profile:skipped',
          'env:skipped',
          'web-identity:skipped',
          'shared-files:skipped',
          'container:skipped',
          'imds:skipped',
        ],
      );
      assert.match(e.message, /AWS_EC2_METADATA_DISABLED/);
      return true;
    });
    assert.equal(requestsOf(stack, 'imds'), before);
    provider.close();
    home.remove();
  });

  test('a machine without IMDS fails fast', async () => {
    const home = new TempHome();
    const provider = createCredentialProvider({}, { env: isolatedEnv(home), timeoutMs: 1000 });
    await assert.rejects(provider.get(), (e: unknown) => {
      assert.ok(e instanceof NoCredentialsError);
      const imds = e.chain.at(-1);
      assert.equal(imds?.source, 'imds');
      assert.equal(imds?.outcome, 'failed');
      assert.match(imds?.detail ?? '', /127\.0\.0\.1:9/);
      return true;
    });
    provider.close();
    home.remove();
  });
});
