/** Access denied: who, what and on which resource, parsed from AWS's words, and the policy to change. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAwsError } from '../../../src/aws/errors/index.js';
import * as f from './fixtures.js';

function denied(message: string, code = 'AccessDeniedException', status = 400) {
  return { status, headers: { 'x-amzn-errortype': code }, body: JSON.stringify({ message }) };
}

describe('access denied', () => {
  test('CloudWatch Logs: principal, action and resource; the role to extend', () => {
    const error = parseAwsError(f.LOGS_ACCESS_DENIED);
    assert.equal(
      error.deniedPrincipal,
      'arn:aws:sts::123456789012:assumed-role/Log4JAppenderTesting/123456789012-kdgregory',
    );
    assert.equal(error.deniedAction, 'logs:PutLogEvents');
    assert.equal(
      error.deniedResource,
      'arn:aws:logs:us-east-1:123456789012:log-group:2828d147-c9a9-49b6-81ae-b710fdcecc07:log-stream:e9ec79d0-f068-460c-889b-30616dcae93e',
    );
    assert.match(
      error.hint,
      /may not perform logs:PutLogEvents on arn:aws:logs:us-east-1:123456789012:log-group:2828d147/,
    );
    assert.match(
      error.hint,
      /add an IAM policy statement allowing logs:PutLogEvents on arn:aws:logs:.* to role Log4JAppenderTesting\.$/,
    );
  });

  test('STS AssumeRole: the trust policy is named as well', () => {
    const error = parseAwsError(f.STS_ASSUME_ROLE_DENIED);
    assert.equal(error.deniedAction, 'sts:AssumeRole');
    assert.equal(error.deniedResource, 'arn:aws:iam::210987654321:role/SecurityMonkey');
    assert.match(
      error.hint,
      /to role SecurityMonkeyInstanceProfile\. The role's trust policy must also allow/,
    );
  });

  test("EC2's encoded message: no action named, a guess from the request, and how to decode", () => {
    const error = parseAwsError(f.EC2_UNAUTHORIZED, {
      service: 'ec2',
      method: 'POST',
      identityArn: 'arn:aws:iam::123456789012:user/agent',
      url: 'https://ec2.us-east-1.amazonaws.com/?Action=DescribeTags&Version=2016-11-15',
    });
    assert.equal(error.deniedAction, undefined);
    assert.match(
      error.hint,
      /arn:aws:iam::123456789012:user\/agent may not perform ec2:DescribeTags \(guessed from the request: AWS did not name it\)/,
    );
    assert.match(error.hint, /to user agent/);
    assert.match(error.hint, /aws sts decode-authorization-message/);
  });

  test('EC2 with the newer message names the action in "because no identity-based policy allows"', () => {
    const error = parseAwsError({
      status: 403,
      headers: {},
      body: '<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/agent is not authorized to perform: ec2:DescribeInstances because no identity-based policy allows the ec2:DescribeInstances action</Message></Error></Errors><RequestID>r</RequestID></Response>',
    });
    assert.equal(error.deniedAction, 'ec2:DescribeInstances');
    assert.equal(error.deniedPrincipal, 'arn:aws:iam::123456789012:user/agent');
    assert.equal(error.deniedResource, undefined);
  });

  test("AMP's mangled message: the action guessed from the remote_write URL", () => {
    const error = parseAwsError(f.AMP_MANGLED_DENIAL, {
      service: 'aps',
      method: 'POST',
      url: 'https://aps-workspaces.us-east-2.amazonaws.com/workspaces/ws-1/api/v1/remote_write',
      accessKeyId: f.KEY_ID,
    });
    assert.equal(error.deniedResource, undefined);
    assert.match(
      error.hint,
      /identity behind key AKIA…MPLE may not perform aps:RemoteWrite \(guessed/,
    );
  });

  test('API Gateway and an anonymous caller', () => {
    const error = parseAwsError(f.APIGW_ANONYMOUS, { service: 'execute-api' });
    assert.equal(error.deniedPrincipal, 'anonymous');
    assert.equal(error.deniedAction, 'execute-api:Invoke');
    assert.match(error.hint, /anonymous \(unsigned\).*AWS_IAM authorization/);
  });

  test('the reason decides which policy to change', () => {
    const base =
      'User: arn:aws:iam::123456789012:user/agent is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::bucket/key"';
    const cases: Array<[string, RegExp]> = [
      [
        ' with an explicit deny in a service control policy',
        /service control policy of your AWS Organization/,
      ],
      [
        ' with an explicit deny in an identity-based policy: arn:aws:iam::123456789012:policy/Deny',
        /explicitly denies it: remove or narrow that Deny/,
      ],
      [' with an explicit deny in a resource-based policy', /resource's own policy .* denies it/],
      [
        ' because no resource-based policy allows the s3:PutObject action',
        /resource's policy .* does not allow user agent/,
      ],
      [
        ' because no permissions boundary allows the s3:PutObject action',
        /permissions boundary on user agent does not allow/,
      ],
      [' because no session policy allows the s3:PutObject action', /session policy/],
      [' because no VPC endpoint policy allows the s3:PutObject action', /VPC endpoint's policy/],
    ];
    for (const [reason, expected] of cases) {
      const error = parseAwsError(denied(base + reason, 'AccessDenied', 403), {});
      assert.equal(error.deniedResource, 'arn:aws:s3:::bucket/key', reason);
      assert.equal(error.deniedAction, 's3:PutObject');
      assert.match(error.hint, expected, reason);
    }
  });

  test("S3's bare Access Denied: guessed from service and method, the caller from identityArn", () => {
    const error = parseAwsError(
      {
        status: 403,
        headers: {},
        body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>R</RequestId></Error>',
      },
      {
        service: 's3',
        method: 'PUT',
        url: 'https://bucket.s3.amazonaws.com/logs/x.gz',
        identityArn: 'arn:aws:sts::123456789012:assumed-role/Shipper/i-1',
      },
    );
    assert.match(error.hint, /assumed-role\/Shipper\/i-1 may not perform s3:PutObject \(guessed/);
    assert.match(error.hint, /to role Shipper/);
  });
});
