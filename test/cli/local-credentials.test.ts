/**
 * `signet local` with no --config, as a child process, offers what its banner
 * advertises: an instance role on IMDSv2 and an ECS credential endpoint. The
 * AWS SDK's own providers, pointed there by the banner's variables, get
 * credentials that sign an STS call signet local verifies.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromContainerMetadata, fromInstanceMetadata } from '@aws-sdk/credential-providers';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { bannerValue, startLocalProcess, type LocalProcess } from '../helpers/local-process.js';

let local: LocalProcess;

before(async () => {
  local = await startLocalProcess();
});
after(() => local.stop());

interface Logged {
  readonly operation?: string;
  readonly signature: string;
  readonly principal?: string;
  readonly status: number;
}

/** Either SDK provider: both are the SDK's credential provider type. */
type Provider = ReturnType<typeof fromInstanceMetadata>;

async function callerIdentity(credentials: Provider): Promise<string> {
  const sts = new STSClient({
    endpoint: local.url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    return identity.Arn ?? '';
  } finally {
    sts.destroy();
  }
}

async function lastStsCall(): Promise<Logged | undefined> {
  const res = await fetch(`${local.url}/_signet/requests`);
  const { requests } = (await res.json()) as { requests: Logged[] };
  return requests.filter((e) => e.operation === 'GetCallerIdentity').at(-1);
}

test('the IMDSv2 endpoint in the banner gives the SDK an instance role', async () => {
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = bannerValue(
    local.banner,
    'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  );
  const provider = fromInstanceMetadata({ timeout: 2000, maxRetries: 0 });
  const credentials = await provider();
  assert.match(credentials.accessKeyId, /^ASIA/);
  assert.equal(
    await callerIdentity(provider),
    'arn:aws:sts::123456789012:assumed-role/signet-local/i-0123456789abcdef0',
  );
  const logged = await lastStsCall();
  assert.equal(logged?.signature, 'verified');
  assert.equal(logged?.status, 200);
});

test('the ECS endpoint and token in the banner give the SDK container credentials', async () => {
  process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = bannerValue(
    local.banner,
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  );
  process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = bannerValue(
    local.banner,
    'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  );
  const provider = fromContainerMetadata({ timeout: 2000, maxRetries: 0 });
  const credentials = await provider();
  assert.match(credentials.accessKeyId, /^ASIA/);
  assert.equal(
    await callerIdentity(provider),
    'arn:aws:sts::123456789012:assumed-role/signet-local/ecs-task',
  );
  assert.equal((await lastStsCall())?.signature, 'verified');

  // The endpoint asks for the token, as EKS Pod Identity's does.
  const noToken = await fetch(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI);
  assert.equal(noToken.status, 401);
});
