/**
 * The log sinks' permission table: the ARNs it names for each kind and
 * option, and that a policy made of its rows allows the very resources
 * `signet local` (the AWS stand-in) checks when run's calls arrive — so
 * what doctor tells a user to allow is enough, and not more than the sink's
 * own resources.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  probePermission,
  runPermissions,
  UNKNOWN_ACCOUNT,
  type LogSinkFeatures,
  type LogSinkResource,
  type Permission,
} from '../../../src/aws/permissions/log-sinks.js';
import { isAllowed, type Statement } from '../../../src/local/iam/policy.js';

const ACCOUNT = '123456789012';

function policyOf(permissions: readonly Permission[]): Statement[] {
  return permissions.map((p) => ({
    effect: 'Allow',
    actions: [p.action],
    resources: [...p.resources],
  }));
}

function allows(policy: Statement[], action: string, resource: string): boolean {
  return isAllowed(policy, action, resource).allowed;
}

describe('log sink permissions', () => {
  test('CloudWatch Logs: the group, its streams, and what the options add', () => {
    const group: LogSinkResource = {
      kind: 'cloudwatch_logs',
      region: 'eu-west-1',
      account: ACCOUNT,
      name: '/app/web',
    };
    assert.deepEqual(probePermission(group), {
      action: 'logs:DescribeLogGroups',
      resources: [`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:*`],
      why: "doctor's probe: does the log group exist",
    });
    const all = runPermissions(group, { retention: true });
    assert.deepEqual(
      all.map((p) => p.action),
      [
        'logs:PutLogEvents',
        'logs:CreateLogStream',
        'logs:CreateLogGroup',
        'logs:PutRetentionPolicy',
      ],
    );
    const none: LogSinkFeatures = {
      createLogGroup: false,
      createLogStream: false,
      retention: true,
    };
    assert.deepEqual(
      runPermissions(group, none).map((p) => p.action),
      ['logs:PutLogEvents'],
      'no group to create, so no retention to set on it',
    );
    // signet local checks group calls on the group's ARN and PutLogEvents on the stream's.
    const policy = policyOf(all);
    const groupArn = `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/app/web`;
    assert.ok(allows(policy, 'logs:CreateLogGroup', groupArn));
    assert.ok(allows(policy, 'logs:PutRetentionPolicy', groupArn));
    assert.ok(allows(policy, 'logs:CreateLogStream', groupArn));
    assert.ok(allows(policy, 'logs:PutLogEvents', `${groupArn}:log-stream:host-1/pod`));
    // Not another group, not another region.
    assert.ok(!allows(policy, 'logs:PutLogEvents', `${groupArn}2:log-stream:x`));
    assert.ok(
      !allows(
        policy,
        'logs:PutLogEvents',
        `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/app/web:log-stream:x`,
      ),
    );
  });

  test('S3: ListBucket on the bucket for HeadBucket, PutObject on its keys, KMS when asked', () => {
    const bucket: LogSinkResource = {
      kind: 's3',
      region: 'us-east-1',
      account: ACCOUNT,
      name: 'logs-b',
    };
    assert.deepEqual(probePermission(bucket).resources, ['arn:aws:s3:::logs-b']);
    assert.equal(probePermission(bucket).action, 's3:ListBucket');
    assert.deepEqual(
      runPermissions(bucket).map((p) => `${p.action} ${p.resources.join(' ')}`),
      ['s3:PutObject arn:aws:s3:::logs-b/*', 's3:AbortMultipartUpload arn:aws:s3:::logs-b/*'],
    );
    const policy = policyOf([probePermission(bucket), ...runPermissions(bucket)]);
    assert.ok(allows(policy, 's3:ListBucket', 'arn:aws:s3:::logs-b'));
    assert.ok(allows(policy, 's3:PutObject', 'arn:aws:s3:::logs-b/2026/12/03/host-uuid.ndjson.gz'));
    assert.ok(!allows(policy, 's3:PutObject', 'arn:aws:s3:::logs-b-other/k'));

    const kms = (key: string) =>
      runPermissions(bucket, { s3KmsKeyId: key })
        .filter((p) => p.action.startsWith('kms:'))
        .map((p) => `${p.action} ${p.resources.join(' ')}`);
    const keyArn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    assert.deepEqual(kms(keyArn), [`kms:GenerateDataKey ${keyArn}`, `kms:Decrypt ${keyArn}`]);
    assert.deepEqual(kms('1234abcd-12ab-34cd-56ef-1234567890ab'), [
      `kms:GenerateDataKey ${keyArn}`,
      `kms:Decrypt ${keyArn}`,
    ]);
    // IAM authorizes the key an alias names, not the alias.
    assert.deepEqual(kms('alias/logs'), [
      `kms:GenerateDataKey arn:aws:kms:us-east-1:${ACCOUNT}:key/*`,
      `kms:Decrypt arn:aws:kms:us-east-1:${ACCOUNT}:key/*`,
    ]);
  });

  test('Firehose and Kinesis: the stream, named or by its own ARN', () => {
    const firehose: LogSinkResource = {
      kind: 'firehose',
      region: 'us-east-1',
      account: ACCOUNT,
      name: 'fh',
    };
    const fhArn = `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/fh`;
    assert.deepEqual(probePermission(firehose), {
      action: 'firehose:DescribeDeliveryStream',
      resources: [fhArn],
      why: "doctor's probe: does the delivery stream exist",
    });
    assert.deepEqual(
      runPermissions(firehose).map((p) => [p.action, p.resources]),
      [['firehose:PutRecordBatch', [fhArn]]],
    );
    const arn = 'arn:aws:kinesis:eu-central-1:444455556666:stream/ks';
    const kinesis: LogSinkResource = {
      kind: 'kinesis',
      region: 'us-east-1',
      account: ACCOUNT,
      name: 'ks',
      arn,
    };
    assert.deepEqual(probePermission(kinesis).resources, [arn]);
    assert.deepEqual(
      runPermissions(kinesis).map((p) => [p.action, p.resources]),
      [['kinesis:PutRecords', [arn]]],
    );
    const named: LogSinkResource = { ...kinesis, arn: undefined };
    assert.deepEqual(probePermission(named).resources, [
      `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/ks`,
    ]);
  });

  test('the partition follows the region, and an unknown account is a visible placeholder', () => {
    const china: LogSinkResource = {
      kind: 'firehose',
      region: 'cn-north-1',
      account: undefined,
      name: 'fh',
    };
    assert.deepEqual(probePermission(china).resources, [
      `arn:aws-cn:firehose:cn-north-1:${UNKNOWN_ACCOUNT}:deliverystream/fh`,
    ]);
    const gov: LogSinkResource = {
      kind: 's3',
      region: 'us-gov-west-1',
      account: ACCOUNT,
      name: 'b',
    };
    assert.deepEqual(probePermission(gov).resources, ['arn:aws-us-gov:s3:::b']);
  });
});
