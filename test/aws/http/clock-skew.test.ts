import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CorrectedClock } from '../../../src/aws/clock.js';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import { AwsClient } from '../../../src/aws/http/aws-client.js';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  startLocal,
  type LocalStack,
} from '../../../src/local/index.js';

let stack: LocalStack;
before(async () => {
  stack = await startLocal();
});
after(() => stack.close());

const MINUTE = 60_000;

function clientAt(offsetMs: number, service: string) {
  const clock = new CorrectedClock(() => Date.now() + offsetMs);
  const corrections: number[] = [];
  clock.onCorrection = (ms) => corrections.push(ms);
  const retries: string[] = [];
  const client = new AwsClient({
    service,
    region: 'us-east-1',
    clock,
    credentials: createCredentialProvider({
      accessKeyId: DEMO_ACCESS_KEY_ID,
      secretAccessKey: DEMO_SECRET_ACCESS_KEY,
    }),
    onRetry: (reason, error) => retries.push(`${reason}:${error.code}`),
  });
  return { client, clock, corrections, retries };
}

describe("clock skew is corrected from the server's Date", () => {
  for (const offset of [20 * MINUTE, -20 * MINUTE]) {
    const label = offset > 0 ? 'ahead' : 'behind';
    test(`a clock 20 minutes ${label}: STS (query XML) succeeds after one corrected retry`, async () => {
      const { client, clock, corrections, retries } = clientAt(offset, 'sts');
      const res = await client.send({
        method: 'POST',
        url: `${stack.url}/`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      assert.equal(res.status, 200);
      assert.equal(retries.length, 1, retries.join());
      assert.match(retries[0]!, /^clock-skew:/);
      assert.equal(corrections.length, 1, 'the offset is adopted once');
      assert.ok(Math.abs(clock.offsetMs + offset) < 5000, `offset ${clock.offsetMs} ms`);
      // From now on the corrected time is used: no more retries.
      await client.send({
        method: 'POST',
        url: `${stack.url}/`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      assert.equal(retries.length, 1);
    });

    test(`a clock 20 minutes ${label}: CloudWatch Logs (JSON) succeeds after one corrected retry`, async () => {
      const { client, retries } = clientAt(offset, 'logs');
      const res = await client.send({
        method: 'POST',
        url: `${stack.url}/`,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'Logs_20140328.DescribeLogGroups',
        },
        body: '{}',
      });
      assert.equal(res.status, 200);
      assert.equal(retries.length, 1);
    });

    test(`a clock 20 minutes ${label}: S3 (XML) succeeds after one corrected retry`, async () => {
      const { client, retries } = clientAt(offset, 's3');
      const res = await client.send({ method: 'PUT', url: `${stack.url}/skew-${label}` });
      assert.equal(res.status, 200);
      assert.equal(retries.length, 1);
    });
  }

  test('a clock within the window is left alone', async () => {
    const { client, clock, retries } = clientAt(2 * MINUTE, 'sts');
    await client.send({
      method: 'POST',
      url: `${stack.url}/`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    assert.deepEqual(retries, []);
    assert.equal(clock.offsetMs, 0);
  });
});
