/**
 * The AWS SDK's own IMDSv2 credential provider (`fromInstanceMetadata`)
 * against `signet local` over 127.0.0.1: it must find the instance role, fetch
 * its credentials with a session token, and those credentials must sign an
 * STS GetCallerIdentity (by @aws-sdk/client-sts) that signet local accepts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromInstanceMetadata } from '@aws-sdk/credential-providers';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startLocal, type LocalStack } from '../../../../src/local/index.js';
import { fixtureConfig } from '../../config/fixture.js';
import { loggedRequests } from '../../../helpers/local-stack.js';

let local: LocalStack;

before(async () => {
  local = await startLocal({ config: fixtureConfig() });
  // The SDK reads the IMDS endpoint from the environment, as on a real host behind a proxy.
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = `${local.url}/`;
  delete process.env.AWS_EC2_METADATA_DISABLED;
});
after(() => local.close());

test("fromInstanceMetadata gets the instance role's credentials over IMDSv2 and they sign a call signet local accepts", async () => {
  const provider = fromInstanceMetadata({ timeout: 2000, maxRetries: 0 });
  const credentials = await provider();
  assert.match(credentials.accessKeyId, /^ASIA/);
  assert.ok(credentials.sessionToken, 'role credentials carry a session token');
  assert.ok(credentials.expiration && credentials.expiration.getTime() > Date.now());

  const tokenPuts = (await loggedRequests(local)).filter(
    (e) => e.method === 'PUT' && e.path === '/latest/api/token',
  );
  assert.ok(tokenPuts.length >= 1, 'the SDK asked for an IMDSv2 session token');
  assert.ok(
    tokenPuts.every((e) => e.status === 200),
    'and got one',
  );

  const sts = new STSClient({
    endpoint: local.url,
    region: local.region,
    credentials: provider,
    maxAttempts: 1,
  });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(
    identity.Arn,
    'arn:aws:sts::123456789012:assumed-role/InstanceRole/i-0123456789abcdef0',
  );
  assert.equal(identity.Account, '123456789012');
  const call = (await loggedRequests(local)).find((e) => e.operation === 'GetCallerIdentity');
  assert.equal(call?.signature, 'verified');
  sts.destroy();
});
