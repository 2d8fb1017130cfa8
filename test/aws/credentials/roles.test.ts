import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CorrectedClock } from '../../../src/aws/clock.js';
import { NoCredentialsError } from '../../../src/aws/credentials/errors.js';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import { getCallerIdentity } from '../../../src/aws/sts/client.js';
import { stsEndpoint } from '../../../src/aws/sts/endpoint.js';
import type { LocalStack } from '../../../src/local/index.js';
import {
  CENTRAL_ROLE,
  DEV_ROLE,
  EXTERNAL_ID,
  OPS_KEY,
  OPS_SECRET,
  TempHome,
  WORKSPACE_ROLE,
  irsaEnv,
  isolatedEnv,
  requestsOf,
  startStack,
} from './harness.js';

let now = Date.now();
const clock = () => now;
let stack: LocalStack;
before(async () => {
  stack = await startStack({ durationSeconds: 60, clock });
});
after(() => stack.close());

describe('role assumption', () => {
  test('three hops: web identity → central role with external_id → workspace role, each refreshing on time', async () => {
    const home = new TempHome();
    const env = irsaEnv(home, stack, now + 24 * 3600_000);
    const agentClock = new CorrectedClock(clock);
    const provider = createCredentialProvider(
      {
        roles: [
          { roleArn: CENTRAL_ROLE, externalId: EXTERNAL_ID, sessionName: 'central' },
          { roleArn: WORKSPACE_ROLE, sessionName: 'workspace' },
        ],
      },
      { env, clock: agentClock, region: 'us-east-1' },
    );
    const endpoint = stsEndpoint({ region: 'us-east-1', env });
    const who = await getCallerIdentity(provider, { endpoint, clock: agentClock });
    assert.equal(who.arn, 'arn:aws:sts::444455556666:assumed-role/amp-workspace-writer/workspace');
    assert.equal(who.account, '444455556666');
    const chain = provider.status().chain;
    assert.equal(provider.status().source, 'web-identity');
    assert.deepEqual(
      chain.filter((a) => a.outcome === 'used').map((a) => a.source),
      ['web-identity', 'assume-role', 'assume-role'],
    );
    assert.match(
      chain.at(-2)?.detail ?? '',
      /central-observability as session central, with external_id/,
    );

    // Ten minutes of 60-second credentials, in 1-second steps: every hop must
    // refresh before its credentials expire, and nothing may be refused.
    const webBefore = requestsOf(stack, 'sts', 'AssumeRoleWithWebIdentity');
    const roleBefore = requestsOf(stack, 'sts', 'AssumeRole');
    const logBefore = stack.log.list().length;
    for (let i = 0; i < 600; i++) {
      now += 1000;
      const creds = await provider.get();
      assert.ok(creds.expiration && creds.expiration.getTime() > now, `valid at step ${i}`);
      if (i % 10 === 0) await getCallerIdentity(provider, { endpoint, clock: agentClock });
      await new Promise((r) => setImmediate(r));
    }
    // A refresh the last step started in the background may still be on its way.
    for (let i = 0; i < 100 && provider.layers.some((l) => l.refreshing()); i++)
      await new Promise((r) => setTimeout(r, 10));
    const refused = stack.log
      .list()
      .slice(logBefore)
      .filter((e) => e.status !== 200);
    assert.deepEqual(refused, []);
    const [base, central, workspace] = provider.layers;
    for (const [name, layer] of [
      ['web identity', base],
      ['central', central],
      ['workspace', workspace],
    ] as const) {
      const refreshes = layer!.status().refreshes;
      // 600 s of 60 s credentials refreshed at about half their life: 10 to 25 each.
      assert.ok(refreshes >= 10 && refreshes <= 26, `${name} refreshed ${refreshes} times`);
    }
    assert.equal(
      requestsOf(stack, 'sts', 'AssumeRoleWithWebIdentity') - webBefore,
      base!.status().refreshes - 1,
    );
    assert.equal(
      requestsOf(stack, 'sts', 'AssumeRole') - roleBefore,
      central!.status().refreshes - 1 + workspace!.status().refreshes - 1,
    );
    provider.close();
    home.remove();
  });

  test('a wrong external_id is refused by STS and named in the chain', async () => {
    const home = new TempHome({
      '.aws/credentials': `[default]\naws_access_key_id = ${OPS_KEY}\naws_secret_access_key = ${OPS_SECRET}\n`,
    });
    const provider = createCredentialProvider(
      { roles: [{ roleArn: CENTRAL_ROLE, externalId: 'wrong' }] },
      {
        env: isolatedEnv(home, { AWS_ENDPOINT_URL_STS: stack.url }),
        clock: new CorrectedClock(clock),
      },
    );
    await assert.rejects(provider.get(), (e: unknown) => {
      assert.ok(!(e instanceof NoCredentialsError), 'the base credentials were found');
      assert.match(String((e as Error).message), /AccessDenied/);
      assert.match(String((e as Error).message), /central-observability/);
      return true;
    });
    assert.equal(provider.layers[0]!.status().source, 'shared-files');
    provider.close();
    home.remove();
  });

  test('the role session lasts 15 minutes unless configured, and chained hops at most an hour', async () => {
    const home = new TempHome({
      '.aws/credentials': `[default]\naws_access_key_id = ${OPS_KEY}\naws_secret_access_key = ${OPS_SECRET}\n`,
    });
    const bodies: string[] = [];
    const provider = createCredentialProvider(
      {
        roles: [
          { roleArn: CENTRAL_ROLE, externalId: EXTERNAL_ID },
          { roleArn: WORKSPACE_ROLE, durationSeconds: 7200 },
        ],
      },
      {
        env: isolatedEnv(home, { AWS_ENDPOINT_URL_STS: stack.url }),
        clock: new CorrectedClock(clock),
      },
    );
    const original = stack.log.list().length;
    await provider.get();
    for (const entry of stack.log.list().slice(original))
      bodies.push(`${entry.operation}:${entry.status}`);
    assert.deepEqual(
      bodies,
      ['AssumeRole:200', 'AssumeRole:200'],
      'the 7200 s hop was capped, not refused',
    );
    provider.close();
    home.remove();
  });

  test('an untrusted caller is refused', async () => {
    const home = new TempHome({
      '.aws/credentials': `[default]\naws_access_key_id = ${OPS_KEY}\naws_secret_access_key = ${OPS_SECRET}\n`,
    });
    const provider = createCredentialProvider(
      { roles: [{ roleArn: DEV_ROLE }] },
      {
        env: isolatedEnv(home, { AWS_ENDPOINT_URL_STS: stack.url }),
        clock: new CorrectedClock(clock),
      },
    );
    await assert.rejects(provider.get(), /AccessDenied.*sts:AssumeRole/s);
    provider.close();
    home.remove();
  });
});
