import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  actionMatches,
  isAllowed,
  resourceMatches,
  type Statement,
} from '../../../src/local/iam/policy.js';

const LOG_GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:app:log-stream:web';

describe('isAllowed', () => {
  test('nothing is allowed without a statement (implicit deny)', () => {
    const d = isAllowed([], 'logs:PutLogEvents', LOG_GROUP);
    assert.equal(d.allowed, false);
    assert.match(d.reason, /implicit deny/);
  });

  test('an explicit Deny wins over any Allow, in either order', () => {
    const allow: Statement = { effect: 'Allow', actions: ['*'], resources: ['*'] };
    const deny: Statement = {
      sid: 'NoLogs',
      effect: 'Deny',
      actions: ['logs:*'],
      resources: ['*'],
    };
    for (const statements of [
      [allow, deny],
      [deny, allow],
    ]) {
      const d = isAllowed(statements, 'logs:PutLogEvents', LOG_GROUP);
      assert.equal(d.allowed, false);
      assert.match(d.reason, /explicitly denied by statement \d \(NoLogs\)/);
    }
    assert.equal(isAllowed([allow, deny], 's3:PutObject', 'arn:aws:s3:::b/k').allowed, true);
  });

  test('a Deny on another resource does not block', () => {
    const statements: Statement[] = [
      { effect: 'Allow', actions: ['logs:PutLogEvents'], resources: ['*'] },
      {
        effect: 'Deny',
        actions: ['logs:PutLogEvents'],
        resources: ['arn:aws:logs:*:*:log-group:secret:*'],
      },
    ];
    assert.equal(isAllowed(statements, 'logs:PutLogEvents', LOG_GROUP).allowed, true);
    const secret = 'arn:aws:logs:us-east-1:123456789012:log-group:secret:log-stream:x';
    assert.equal(isAllowed(statements, 'logs:PutLogEvents', secret).allowed, false);
  });

  test('GetCallerIdentity is answered even when denied, as AWS does', () => {
    const deny: Statement = { effect: 'Deny', actions: ['*'], resources: ['*'] };
    assert.equal(isAllowed([deny], 'sts:GetCallerIdentity', '*').allowed, true);
  });
});

describe('wildcards', () => {
  test('actions: * and ?, service and name case-insensitive', () => {
    assert.ok(actionMatches('*', 'logs:PutLogEvents'));
    assert.ok(actionMatches('logs:Put*', 'logs:PutLogEvents'));
    assert.ok(actionMatches('LOGS:putlogevents', 'logs:PutLogEvents'));
    assert.ok(actionMatches('logs:Put?ogEvents', 'logs:PutLogEvents'));
    assert.ok(actionMatches('*:PutLogEvents', 'logs:PutLogEvents'));
    assert.ok(!actionMatches('logs:Put?', 'logs:PutLogEvents'));
    assert.ok(!actionMatches('logs:Get*', 'logs:PutLogEvents'));
    assert.ok(!actionMatches('log:*', 'logs:PutLogEvents'));
    assert.ok(
      !actionMatches('logs:PutLogEvents.', 'logs:PutLogEventsX'),
      'regex characters are literal',
    );
  });

  test('resources: per ARN segment, case-sensitive, resource part spans colons', () => {
    assert.ok(resourceMatches('*', LOG_GROUP));
    assert.ok(resourceMatches('arn:aws:logs:*:123456789012:log-group:app:*', LOG_GROUP));
    assert.ok(resourceMatches('arn:aws:logs:us-east-?:*:*', LOG_GROUP));
    assert.ok(!resourceMatches('arn:aws:logs:*:123456789012:log-group:App:*', LOG_GROUP));
    assert.ok(!resourceMatches('arn:aws:logs:*:999999999999:*', LOG_GROUP));
    // A wildcard in the region does not swallow the account.
    assert.ok(!resourceMatches('arn:aws:logs:*:log-group:app:*', LOG_GROUP));
    assert.ok(resourceMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b.txt'));
    assert.ok(!resourceMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket2/a'));
  });
});
