import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { ALICE_KEY, BOB_KEY, PARTNER_KEY } from '../../config/fixture.js';
import { NOW, localRequest } from '../../iam/request.js';
import { CHAINED, PARTNER, READER, rejects, setup, tag } from './harness.js';
import { SDK_CREDENTIALS, inProcess } from './sdk.js';

describe('AssumeRole', () => {
  test('issues a session with the role policy, in the XML the SDK parses', async () => {
    const { config, identities, sts, principal } = setup();
    const client = new STSClient({
      region: 'us-east-1',
      credentials: SDK_CREDENTIALS,
      requestHandler: inProcess(sts, principal(ALICE_KEY), () => NOW),
    });
    const out = await client.send(
      new AssumeRoleCommand({ RoleArn: READER, RoleSessionName: 'ci@build', DurationSeconds: 900 }),
    );
    assert.match(out.Credentials?.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/);
    assert.equal(
      out.Credentials?.Expiration?.getTime(),
      NOW + 60_000,
      'capped by credential_duration_seconds',
    );
    assert.equal(
      out.AssumedRoleUser?.Arn,
      'arn:aws:sts::123456789012:assumed-role/Reader/ci@build',
    );
    assert.match(out.AssumedRoleUser?.AssumedRoleId ?? '', /^AROA[A-Z2-7]{17}:ci@build$/);
    const record = identities.lookup(out.Credentials.AccessKeyId!)!;
    assert.equal(record.secretAccessKey, out.Credentials?.SecretAccessKey);
    assert.equal(identities.checkToken(record, out.Credentials?.SessionToken, NOW), 'ok');
    assert.deepEqual(record.policy, config.roles[0]!.policy);

    const session = new STSClient({
      region: 'us-east-1',
      credentials: SDK_CREDENTIALS,
      requestHandler: inProcess(sts, record.principal, () => NOW),
    });
    const who = await session.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, 'arn:aws:sts::123456789012:assumed-role/Reader/ci@build');
    assert.equal(who.Account, '123456789012');
  });

  test('errors reach the SDK as STS error codes', async () => {
    const { sts, principal } = setup();
    const client = new STSClient({
      region: 'us-east-1',
      credentials: SDK_CREDENTIALS,
      requestHandler: inProcess(sts, principal(PARTNER_KEY), () => NOW),
    });
    await assert.rejects(
      client.send(new AssumeRoleCommand({ RoleArn: READER, RoleSessionName: 'x1' })),
      (e: unknown) => {
        assert.ok(e instanceof STSServiceException);
        assert.equal(e.name, 'AccessDenied');
        assert.equal(e.$metadata.httpStatusCode, 403);
        return true;
      },
    );
  });

  test('the trust policy decides who may assume, by ARN pattern or account', async () => {
    const { assume } = setup();
    await assume(ALICE_KEY, { RoleArn: READER });
    await assume(BOB_KEY, { RoleArn: READER }); // user/b?b
    await rejects(
      assume(PARTNER_KEY, { RoleArn: READER }),
      'AccessDenied',
      `User: arn:aws:iam::111122223333:user/partner is not authorized to perform: sts:AssumeRole on resource: ${READER}`,
    );
    await rejects(
      assume(ALICE_KEY, { RoleArn: 'arn:aws:iam::123456789012:role/Nope' }),
      'AccessDenied',
      /role\/Nope$/,
    );
  });

  test('an external id must match when the role demands one', async () => {
    const { assume } = setup();
    await rejects(assume(PARTNER_KEY, { RoleArn: PARTNER }), 'AccessDenied');
    await rejects(assume(PARTNER_KEY, { RoleArn: PARTNER, ExternalId: 'ext-999' }), 'AccessDenied');
    await assume(PARTNER_KEY, { RoleArn: PARTNER, ExternalId: 'ext-123' });
    await rejects(
      assume(ALICE_KEY, { RoleArn: PARTNER, ExternalId: 'ext-123' }),
      'AccessDenied',
      /user\/alice/,
    );
  });

  test('validates parameters as STS does, all failures in one message', async () => {
    const { assume } = setup();
    await rejects(
      assume(ALICE_KEY, { RoleArn: READER, RoleSessionName: 'a', DurationSeconds: '899' }),
      'ValidationError',
      "2 validation errors detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
    await rejects(
      assume(ALICE_KEY, { RoleArn: READER, RoleSessionName: 'has space' }),
      'ValidationError',
      /regular expression pattern: \[\\w\+=,\.@-\]\*/,
    );
    await rejects(
      assume(ALICE_KEY, { RoleArn: READER, RoleSessionName: 'x'.repeat(65) }),
      'ValidationError',
      /less than or equal to 64/,
    );
    await rejects(
      assume(ALICE_KEY, {}),
      'ValidationError',
      "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
    );
    await rejects(
      assume(ALICE_KEY, { RoleArn: READER, DurationSeconds: '43201' }),
      'ValidationError',
      /less than or equal to 43200/,
    );
    await rejects(
      assume(ALICE_KEY, { RoleArn: READER, Policy: '{}' }),
      'ValidationError',
      /session policies/,
    );
  });

  test("DurationSeconds is limited by the role's maximum", async () => {
    const { assume, config } = setup();
    await rejects(
      assume(ALICE_KEY, { RoleArn: READER, DurationSeconds: '7201' }),
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
    const xml = await assume(ALICE_KEY, { RoleArn: READER, DurationSeconds: '7200' });
    assert.equal(
      tag(xml, 'Expiration'),
      '2025-01-15T10:01:00Z',
      'then capped by credential_duration_seconds (60)',
    );
    assert.equal(config.credentialDurationSeconds, 60);
  });

  test('role chaining is capped at one hour, and trust can name the calling role', async () => {
    const { assume, identities } = setup();
    const first = await assume(ALICE_KEY, { RoleArn: READER });
    const session = identities.lookup(tag(first, 'AccessKeyId'))!;
    await rejects(
      assume(session.principal, { RoleArn: CHAINED, DurationSeconds: '3601' }),
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    const chained = await assume(session.principal, { RoleArn: CHAINED, DurationSeconds: '3600' });
    assert.equal(
      tag(chained, 'Arn'),
      'arn:aws:sts::123456789012:assumed-role/Chained/test-session',
    );
    await rejects(
      assume(ALICE_KEY, { RoleArn: CHAINED }),
      'AccessDenied',
      'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/Chained',
    );
  });

  test('reads parameters from a GET query string too', async () => {
    const { call, principal } = setup();
    const xml = await call(
      localRequest({
        query: {
          Action: 'AssumeRole',
          Version: '2011-06-15',
          RoleArn: READER,
          RoleSessionName: 'via-get',
        },
        principal: principal(ALICE_KEY),
      }),
    );
    assert.match(
      xml,
      /^<AssumeRoleResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><AssumeRoleResult><Credentials><AccessKeyId>ASIA/,
    );
    assert.match(
      xml,
      /<\/Credentials><AssumedRoleUser><AssumedRoleId>AROA[A-Z2-7]{17}:via-get<\/AssumedRoleId><Arn>[^<]+<\/Arn><\/AssumedRoleUser><\/AssumeRoleResult><ResponseMetadata>/,
    );
  });
});
