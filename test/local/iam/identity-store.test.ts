import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultLocalConfig } from '../../../src/local/config/defaults.js';
import { IdentityStore } from '../../../src/local/iam/identity-store.js';
import { assumedRolePrincipal, userPrincipal } from '../../../src/local/iam/principals.js';
import { RoleCredentialSource } from '../../../src/local/iam/role-credentials.js';
import { fixtureConfig } from '../config/fixture.js';
import { NOW } from './request.js';

describe('IdentityStore', () => {
  const config = fixtureConfig();
  const reader = config.roles[0]!;

  test('knows the config users by access key, with AWS-shaped ids', () => {
    const store = new IdentityStore(defaultLocalConfig());
    const demo = store.lookup('AKIAIOSFODNN7EXAMPLE');
    assert.ok(demo);
    assert.equal(demo.secretAccessKey, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    assert.equal(demo.principal.arn, 'arn:aws:iam::123456789012:user/demo');
    assert.equal(demo.principal.accountId, '123456789012');
    assert.match(demo.principal.userId, /^AIDA[A-Z2-7]{17}$/);
    assert.equal(
      demo.principal.userId,
      userPrincipal(defaultLocalConfig().principals[0]!).userId,
      'stable',
    );
    assert.equal(store.lookup('AKIAUNKNOWNKEY000000'), undefined);
  });

  test('issues temporary keys with ASIA ids, 40-character secrets and a token', () => {
    const store = new IdentityStore(config);
    const record = store.issueSession(
      assumedRolePrincipal(reader, 'build-42'),
      reader.policy,
      900,
      NOW,
      reader.arn,
    );
    assert.match(record.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(record.secretAccessKey.length, 40);
    assert.ok((record.sessionToken ?? '').length >= 100);
    assert.equal(record.expiresAt, NOW + 900_000);
    assert.equal(record.principal.arn, 'arn:aws:sts::123456789012:assumed-role/Reader/build-42');
    assert.match(record.principal.userId, /^AROA[A-Z2-7]{17}:build-42$/);
    assert.equal(record.principal.accessKeyId, record.accessKeyId);
    assert.equal(record.roleArn, reader.arn);
    assert.equal(store.lookup(record.accessKeyId), record);
    const other = store.issueSession(assumedRolePrincipal(reader, 'x2'), [], 900, NOW);
    assert.notEqual(other.accessKeyId, record.accessKeyId);
    assert.notEqual(other.sessionToken, record.sessionToken);
  });

  test('checks tokens: a session needs its own unexpired token, a user key none', () => {
    const store = new IdentityStore(config);
    const user = store.lookup(config.principals[0]!.accessKeyId)!;
    assert.equal(store.checkToken(user, undefined, NOW), 'ok');
    assert.equal(store.checkToken(user, '', NOW), 'ok');
    assert.equal(store.checkToken(user, 'some-token', NOW), 'invalid');

    const session = store.issueSession(assumedRolePrincipal(reader, 's'), [], 60, NOW);
    const token = session.sessionToken!;
    assert.equal(store.checkToken(session, token, NOW), 'ok');
    assert.equal(store.checkToken(session, token, NOW + 59_999), 'ok');
    assert.equal(store.checkToken(session, undefined, NOW), 'missing');
    assert.equal(store.checkToken(session, token.slice(1), NOW), 'invalid');
    assert.equal(
      store.checkToken(
        session,
        token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
        NOW,
      ),
      'invalid',
    );
    assert.equal(store.checkToken(session, token, NOW + 60_000), 'expired');
    assert.equal(
      store.checkToken(session, 'wrong', NOW + 60_000),
      'invalid',
      'a wrong token is not told it expired',
    );
  });

  test('remembers expired sessions for a while, then forgets them', () => {
    const store = new IdentityStore(config);
    const old = store.issueSession(assumedRolePrincipal(reader, 'old'), [], 60, NOW);
    store.issueSession(assumedRolePrincipal(reader, 'new'), [], 60, NOW + 30 * 60_000);
    assert.ok(store.lookup(old.accessKeyId), 'still known half an hour after expiry');
    store.issueSession(assumedRolePrincipal(reader, 'newer'), [], 60, NOW + 2 * 3600_000);
    assert.equal(store.lookup(old.accessKeyId), undefined);
  });
});

describe('RoleCredentialSource', () => {
  test('serves the same credentials until a third of their life remains', () => {
    const config = fixtureConfig();
    const store = new IdentityStore(config);
    const source = new RoleCredentialSource(store, config.roles[4]!, 'i-0123456789abcdef0', 60);
    const first = source.get(NOW);
    assert.equal(first.expiresAt, NOW + 60_000);
    assert.equal(source.get(NOW + 39_000).record, first.record);
    const second = source.get(NOW + 41_000);
    assert.notEqual(second.record.accessKeyId, first.record.accessKeyId);
    assert.equal(second.issuedAt, NOW + 41_000);
    assert.equal(
      second.record.principal.arn,
      'arn:aws:sts::123456789012:assumed-role/InstanceRole/i-0123456789abcdef0',
    );
    assert.deepEqual(second.record.policy, config.roles[4]!.policy);
  });
});
