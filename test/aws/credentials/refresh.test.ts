import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CorrectedClock } from '../../../src/aws/clock.js';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import { AwsClient } from '../../../src/aws/http/aws-client.js';
import { stsEndpoint } from '../../../src/aws/sts/endpoint.js';
import { getCallerIdentity } from '../../../src/aws/sts/client.js';
import type { LocalStack } from '../../../src/local/index.js';
import {
  DEV_KEY,
  DEV_SECRET,
  OPS_KEY,
  OPS_SECRET,
  TempHome,
  irsaEnv,
  isolatedEnv,
  requestsOf,
  startStack,
  webIdentityToken,
} from './harness.js';

// Server and agent share a clock that the test moves, so minutes of credential
// life pass in seconds while every request still goes over a real socket.
let now = Date.now();
const clock = () => now;
let stack: LocalStack;
before(async () => {
  stack = await startStack({ durationSeconds: 60, clock });
});
after(() => stack.close());

function callerIdentityRequest() {
  return {
    method: 'POST',
    url: `${stack.url}/`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  };
}

describe('credentials stay fresh', () => {
  test('continuous signing across three rollovers of 60-second credentials: no failure, one refresh each', async () => {
    const home = new TempHome();
    const env = irsaEnv(home, stack, now + 24 * 3600_000);
    const agentClock = new CorrectedClock(clock);
    const provider = createCredentialProvider({}, { env, clock: agentClock, region: 'us-east-1' });
    let retries = 0;
    const client = new AwsClient({
      service: 'sts',
      region: 'us-east-1',
      credentials: provider,
      clock: agentClock,
      onRetry: () => retries++,
    });
    // The request log keeps the last 1000 entries; it is read after every round.
    const seen = new Set(stack.log.list().map((e) => e.requestId));
    const refused: string[] = [];
    let stsCalls = 0;
    const scanLog = () => {
      for (const e of stack.log.list()) {
        if (seen.has(e.requestId)) continue;
        seen.add(e.requestId);
        if (e.status !== 200) refused.push(`${e.operation}:${e.errorCode}`);
        if (e.operation === 'AssumeRoleWithWebIdentity') stsCalls++;
      }
    };
    const keys = new Set<string>();
    let sent = 0;
    // Eight requests at a time, the clock moving 250 ms between rounds, until the
    // credentials have been replaced three times.
    while (keys.size < 4) {
      const round = Array.from({ length: 8 }, async () => {
        const creds = await provider.get();
        keys.add(creds.accessKeyId);
        await client.send(callerIdentityRequest());
        sent++;
      });
      await Promise.all(round);
      scanLog();
      now += 250;
    }
    assert.deepEqual(refused, [], 'no request was refused');
    assert.equal(retries, 0, 'no request needed a retry');
    assert.ok(sent >= 1000, `${sent} requests signed`);
    assert.equal(
      stsCalls,
      keys.size,
      'one STS call per set of credentials: a single refresh per rollover',
    );
    assert.equal(provider.status().refreshes, keys.size);
    provider.close();
    home.remove();
  });

  test('a failed refresh keeps the valid credentials and retries with backoff', async () => {
    const home = new TempHome();
    const env = irsaEnv(home, stack, now + 24 * 3600_000);
    const provider = createCredentialProvider(
      {},
      {
        env,
        clock: new CorrectedClock(clock),
        backoff: { initialMs: 2000, maxMs: 8000 },
        random: () => 0.5,
      },
    );
    const first = await provider.get();
    // The token file breaks: refreshes fail, but the old credentials are still good.
    home.write('token', 'not-a-jwt');
    now += 40_000;
    assert.equal((await provider.get()).accessKeyId, first.accessKeyId);
    await new Promise((r) => setTimeout(r, 50));
    const failedOnce = provider.status();
    assert.equal(failedOnce.failures, 1);
    assert.match(failedOnce.lastError ?? '', /InvalidIdentityToken/);
    assert.equal(
      (await provider.get()).accessKeyId,
      first.accessKeyId,
      'within backoff: no new attempt',
    );
    assert.equal(provider.status().failures, 1);
    // The token is rotated: it is read anew on the next attempt, after the backoff.
    home.write('token', webIdentityToken(undefined, now + 24 * 3600_000));
    now += 2000;
    await provider.get();
    await new Promise((r) => setTimeout(r, 50));
    const fresh = await provider.get();
    assert.notEqual(fresh.accessKeyId, first.accessKeyId);
    assert.equal(provider.status().lastError, undefined);
    provider.close();
    home.remove();
  });

  test('a rotated web identity token file is read on the next refresh', async () => {
    const home = new TempHome();
    // The first token expires 30 s from now; only a re-read token can refresh after that.
    const env = irsaEnv(home, stack, now + 30_000);
    const provider = createCredentialProvider({}, { env, clock: new CorrectedClock(clock) });
    const first = await provider.get();
    home.write('token', webIdentityToken(undefined, now + 3600_000));
    now += 55_000;
    const second = await provider.get();
    assert.notEqual(second.accessKeyId, first.accessKeyId);
    provider.close();
    home.remove();
  });

  test('a rotated shared credentials file is picked up without a restart', async () => {
    const home = new TempHome({
      '.aws/credentials': `[default]\naws_access_key_id = ${OPS_KEY}\naws_secret_access_key = ${OPS_SECRET}\n`,
    });
    const provider = createCredentialProvider(
      {},
      {
        env: isolatedEnv(home),
        clock: new CorrectedClock(clock),
        fileCheckIntervalMs: 1000,
      },
    );
    assert.equal((await provider.get()).accessKeyId, OPS_KEY);
    home.write(
      '.aws/credentials',
      `[default]\naws_access_key_id = ${DEV_KEY}\naws_secret_access_key = ${DEV_SECRET}\n`,
    );
    now += 1000;
    assert.equal((await provider.get()).accessKeyId, DEV_KEY);
    provider.close();
    home.remove();
  });

  test('an ExpiredToken answer forces one refresh and the same request succeeds; forcing is rate-limited', async () => {
    const home = new TempHome();
    const env = irsaEnv(home, stack, now + 24 * 3600_000);
    // The agent's clock runs 61 s behind the server: it believes its credentials
    // have half their life left when the server already calls them expired.
    const agentClock = new CorrectedClock(() => now - 61_000);
    const provider = createCredentialProvider({}, { env, clock: agentClock });
    await provider.get();
    now += 61_000;
    const reasons: string[] = [];
    const client = new AwsClient({
      service: 'sts',
      region: 'us-east-1',
      credentials: provider,
      clock: agentClock,
      onRetry: (reason, error) => reasons.push(`${reason}:${error.code}`),
    });
    const before = requestsOf(stack, 'sts', 'AssumeRoleWithWebIdentity');
    const response = await client.send(callerIdentityRequest());
    assert.equal(response.status, 200);
    assert.deepEqual(reasons, ['refresh-credentials:ExpiredToken']);
    assert.equal(requestsOf(stack, 'sts', 'AssumeRoleWithWebIdentity') - before, 1);
    await provider.forceRefresh();
    assert.equal(
      requestsOf(stack, 'sts', 'AssumeRoleWithWebIdentity') - before,
      1,
      'a second forced refresh within a minute is not sent',
    );
    provider.close();
    home.remove();
  });

  test('each call to STS for the identity is signed with the refreshed credentials', async () => {
    const home = new TempHome();
    const env = irsaEnv(home, stack, now + 24 * 3600_000, { AWS_ROLE_SESSION_NAME: 'rollover' });
    const provider = createCredentialProvider({}, { env, clock: new CorrectedClock(clock) });
    const endpoint = stsEndpoint({ region: 'us-east-1', env });
    const who = await getCallerIdentity(provider, { endpoint, clock: new CorrectedClock(clock) });
    assert.equal(who.arn, 'arn:aws:sts::123456789012:assumed-role/signet-irsa/rollover');
    provider.close();
    home.remove();
  });
});
