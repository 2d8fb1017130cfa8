import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAwsAuth } from '../../src/config/aws-auth.js';
import { parseDuration } from '../../src/config/duration.js';

describe('sigv4: and aws_auth: blocks', () => {
  test("Prometheus's sigv4 spelling", () => {
    const auth = parseAwsAuth(
      {
        region: 'us-east-1',
        access_key: 'AKIAEXAMPLE000000001',
        secret_key: 's',
        profile: 'p',
        role_arn: 'arn:aws:iam::1:role/r',
      },
      'remote_write[0].sigv4',
    );
    assert.equal(auth.region, 'us-east-1');
    assert.equal(auth.spec.accessKeyId, 'AKIAEXAMPLE000000001');
    assert.equal(auth.spec.secretAccessKey, 's');
    assert.equal(auth.spec.profile, 'p');
    assert.deepEqual(
      auth.spec.roles?.map((r) => r.roleArn),
      ['arn:aws:iam::1:role/r'],
    );
  });

  test('the aws_auth spelling of the Grafana Agent guides, with a role chain', () => {
    const auth = parseAwsAuth(
      {
        region: 'eu-west-1',
        access_key_id: 'AKIAEXAMPLE000000001',
        secret_access_key: 's',
        session_token: 't',
        role_arn: 'arn:aws:iam::111122223333:role/central',
        external_id: 'x-1',
        assume_role_duration: '1h',
        service_name: 'aps',
        role_chain: [{ role_arn: 'arn:aws:iam::444455556666:role/ws', session_name: 'ws' }],
      },
      'p',
    );
    assert.equal(auth.service, 'aps');
    assert.equal(auth.spec.sessionToken, 't');
    assert.deepEqual(auth.spec.roles, [
      {
        roleArn: 'arn:aws:iam::111122223333:role/central',
        externalId: 'x-1',
        sessionName: undefined,
        durationSeconds: 3600,
      },
      {
        roleArn: 'arn:aws:iam::444455556666:role/ws',
        externalId: undefined,
        sessionName: 'ws',
        durationSeconds: undefined,
      },
    ]);
  });

  test('mistakes name the key path and what to do', () => {
    assert.throws(
      () => parseAwsAuth({ regoin: 'x' }, 'a.sigv4'),
      /a\.sigv4\.regoin: unknown key 'regoin', did you mean 'region'/,
    );
    assert.throws(
      () => parseAwsAuth({ access_key: 'A' }, 'a.sigv4'),
      /only one of the access key id/,
    );
    assert.throws(
      () => parseAwsAuth({ external_id: 'e' }, 'a.aws_auth'),
      /external_id: is set without role_arn/,
    );
    assert.throws(
      () => parseAwsAuth({ role_arn: 'arn:aws:iam::1:role/r', assume_role_duration: '5m' }, 'a'),
      (e: unknown) =>
        /'5m' is not a role session duration/.test(String(e)) &&
        /15m to 12h/.test((e as { hint?: string }).hint ?? ''),
    );
    assert.throws(() => parseAwsAuth({ region: 5 }, 'a'), /a\.region: must be a string/);
  });

  test('role_chain hops are strict: a misspelt key would drop the external id, so it is refused', () => {
    const hop = { role_arn: 'arn:aws:iam::1:role/r', externl_id: 'abc' };
    assert.throws(
      () => parseAwsAuth({ role_chain: [{ role_arn: 'arn:aws:iam::1:role/q' }, hop] }, 'a.sigv4'),
      (e: unknown) =>
        /^a\.sigv4\.role_chain\[1\]\.externl_id: unknown key 'externl_id', did you mean 'external_id'\?/.test(
          (e as Error).message,
        ) && (e as { hint?: string }).hint === 'rename it to external_id',
    );
    assert.throws(
      () => parseAwsAuth({ role_chain: [{ role_arn: 'arn:aws:iam::1:role/q', policy: 'x' }] }, 'a'),
      /role_chain\[0\]\.policy: unknown key 'policy'/,
    );
  });
});

describe('Prometheus durations', () => {
  test('parse', () => {
    assert.equal(parseDuration('15m'), 900_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('0'), 0);
    assert.equal(parseDuration('1.5h'), undefined);
    assert.equal(parseDuration('15'), undefined);
    assert.equal(parseDuration('m'), undefined);
  });
});
