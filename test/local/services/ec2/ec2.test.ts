import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeInstancesCommand,
  EC2Client,
  EC2ServiceException,
  paginateDescribeInstances,
  type DescribeInstancesCommandInput,
  type Instance,
} from '@aws-sdk/client-ec2';
import type { LocalConfig } from '../../../../src/local/config/types.js';
import { ServiceError } from '../../../../src/local/service.js';
import { createEc2Service } from '../../../../src/local/services/ec2/index.js';
import { fixtureConfig } from '../../config/fixture.js';
import { NOW, localRequest } from '../../iam/request.js';
import { SDK_CREDENTIALS, inProcess } from '../sts/sdk.js';

const DEMO = {
  arn: 'arn:aws:iam::123456789012:user/demo',
  accountId: '123456789012',
  userId: 'AIDAEXAMPLE',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
};

function client(config: LocalConfig = fixtureConfig()): EC2Client {
  return new EC2Client({
    region: 'us-east-1',
    credentials: SDK_CREDENTIALS,
    requestHandler: inProcess(createEc2Service(config), DEMO, () => NOW),
  });
}

async function ids(params: DescribeInstancesCommandInput): Promise<string[]> {
  const out = await client().send(new DescribeInstancesCommand(params));
  return (out.Reservations ?? []).flatMap((r) =>
    (r.Instances ?? []).map((i) => i.InstanceId ?? '?'),
  );
}

async function rejectsWith(
  params: DescribeInstancesCommandInput,
  code: string,
  message?: RegExp,
): Promise<void> {
  await assert.rejects(client().send(new DescribeInstancesCommand(params)), (e: unknown) => {
    assert.ok(e instanceof EC2ServiceException, String(e));
    assert.equal(e.name, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

/** A config with `n` instances, for paging. */
function many(n: number): LocalConfig {
  const base = fixtureConfig();
  const template = base.instances[1]!;
  const instances = Array.from({ length: n }, (_, k) => ({
    ...template,
    instanceId: `i-${(0x10000000 + k).toString(16)}`,
    state: k % 2 ? ('stopped' as const) : ('running' as const),
  }));
  return { ...base, instances };
}

describe('EC2 DescribeInstances', () => {
  test('claims DescribeInstances and refuses other EC2 actions, leaves other services alone', () => {
    const ec2 = createEc2Service(fixtureConfig());
    assert.deepEqual(
      ec2.operation(localRequest({ form: { Action: 'DescribeInstances', Version: '2016-11-15' } })),
      {
        action: 'ec2:DescribeInstances',
        resource: '*',
        name: 'DescribeInstances',
      },
    );
    assert.throws(
      () =>
        ec2.operation(localRequest({ form: { Action: 'RunInstances', Version: '2016-11-15' } })),
      (e: unknown) => e instanceof ServiceError && e.code === 'InvalidAction',
    );
    assert.equal(
      ec2.operation(localRequest({ form: { Action: 'GetCallerIdentity', Version: '2011-06-15' } })),
      undefined,
    );
    assert.equal(
      ec2.operation(localRequest({ form: { Action: 'PutMetricData', Version: '2010-08-01' } })),
      undefined,
    );
  });

  test('describes every instance, in the XML the SDK parses', async () => {
    const out = await client().send(new DescribeInstancesCommand({}));
    assert.equal(out.Reservations?.length, 3);
    const r = out.Reservations[0]!;
    assert.match(r.ReservationId ?? '', /^r-[0-9a-f]{17}$/);
    assert.equal(r.OwnerId, '123456789012');
    const i: Instance = r.Instances![0]!;
    assert.equal(i.InstanceId, 'i-0123456789abcdef0');
    assert.equal(i.ImageId, 'ami-0abcdef1234567890');
    assert.equal(i.InstanceType, 't3.micro');
    assert.deepEqual(i.State, { Code: 16, Name: 'running' });
    assert.equal(i.PrivateIpAddress, '10.0.0.10');
    assert.equal(i.PublicIpAddress, '203.0.113.10');
    assert.equal(i.PrivateDnsName, 'ip-10-0-0-10.ec2.internal');
    assert.equal(i.PublicDnsName, 'ec2-203-0-113-10.compute-1.amazonaws.com');
    assert.equal(i.Placement?.AvailabilityZone, 'us-east-1a');
    assert.equal(i.VpcId, 'vpc-0a1b2c3d');
    assert.equal(i.SubnetId, 'subnet-0a1b2c3d');
    assert.equal(i.LaunchTime?.toISOString(), '2024-05-01T12:00:00.000Z');
    assert.deepEqual(i.Tags, [
      { Key: 'Name', Value: 'web-1' },
      { Key: 'Env', Value: 'prod' },
    ]);
    assert.equal(
      i.IamInstanceProfile?.Arn,
      'arn:aws:iam::123456789012:instance-profile/InstanceRole',
    );
    assert.equal(out.NextToken, undefined);
    const stopped = out.Reservations[1]!.Instances![0]!;
    assert.deepEqual(stopped.State, { Code: 80, Name: 'stopped' });
    assert.equal(stopped.PublicIpAddress, undefined);
  });

  test('InstanceId.N selects, and unknown or malformed ids are errors', async () => {
    assert.deepEqual(await ids({ InstanceIds: ['i-0123456789abcdef2', 'i-0123456789abcdef0'] }), [
      'i-0123456789abcdef0',
      'i-0123456789abcdef2',
    ]);
    await rejectsWith(
      { InstanceIds: ['i-0123456789abcdef9'] },
      'InvalidInstanceID.NotFound',
      /The instance ID 'i-0123456789abcdef9' does not exist/,
    );
    await rejectsWith(
      { InstanceIds: ['i-00000001', 'i-00000002'] },
      'InvalidInstanceID.NotFound',
      /IDs 'i-00000001, i-00000002' do not exist/,
    );
    await rejectsWith(
      { InstanceIds: ['web-1'] },
      'InvalidInstanceID.Malformed',
      /Invalid id: "web-1"/,
    );
  });

  test('filters: values are alternatives, filters all hold, wildcards allowed', async () => {
    assert.deepEqual(
      await ids({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }] }),
      ['i-0123456789abcdef0', 'i-0123456789abcdef2'],
    );
    assert.deepEqual(await ids({ Filters: [{ Name: 'tag:Name', Values: ['web-*'] }] }), [
      'i-0123456789abcdef0',
      'i-0123456789abcdef1',
    ]);
    assert.deepEqual(await ids({ Filters: [{ Name: 'tag:Env', Values: ['staging', 'dev'] }] }), [
      'i-0123456789abcdef1',
    ]);
    assert.deepEqual(await ids({ Filters: [{ Name: 'tag-key', Values: ['Team'] }] }), [
      'i-0123456789abcdef2',
    ]);
    assert.deepEqual(
      await ids({
        Filters: [
          { Name: 'instance-id', Values: ['i-0123456789abcdef?'] },
          { Name: 'availability-zone', Values: ['us-east-1b'] },
        ],
      }),
      ['i-0123456789abcdef1'],
    );
    assert.deepEqual(
      await ids({
        Filters: [
          { Name: 'availability-zone', Values: ['us-east-1a'] },
          { Name: 'tag:Name', Values: ['web-1'] },
        ],
      }),
      ['i-0123456789abcdef0'],
    );
    assert.deepEqual(await ids({ Filters: [{ Name: 'tag:Missing', Values: ['*'] }] }), []);
    await rejectsWith(
      { Filters: [{ Name: 'colour', Values: ['red'] }] },
      'InvalidParameterValue',
      /The filter 'colour' is invalid/,
    );
  });

  test('MaxResults must be 5..1000 and not combine with InstanceId', async () => {
    await rejectsWith(
      { MaxResults: 4 },
      'InvalidParameterValue',
      /Value \( 4 \) for parameter maxResults is invalid. Expecting a value greater than 5./,
    );
    await rejectsWith(
      { MaxResults: 1001 },
      'InvalidParameterValue',
      /Expecting a value less than 1000/,
    );
    await rejectsWith(
      { MaxResults: 5, InstanceIds: ['i-0123456789abcdef0'] },
      'InvalidParameterCombination',
    );
  });

  test('pages with NextToken until every instance is seen once', async () => {
    const ec2 = client(many(12));
    const first = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    assert.equal(first.Reservations?.length, 5);
    assert.ok(first.NextToken);
    const seen: string[] = [];
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 5 }, {})) {
      assert.ok((page.Reservations?.length ?? 0) <= 5);
      seen.push(...(page.Reservations ?? []).map((r) => r.Instances![0]!.InstanceId!));
    }
    assert.equal(seen.length, 12);
    assert.equal(new Set(seen).size, 12);

    const running: string[] = [];
    for await (const page of paginateDescribeInstances(
      { client: ec2, pageSize: 5 },
      { Filters: [{ Name: 'instance-state-name', Values: ['running'] }] },
    )) {
      running.push(...(page.Reservations ?? []).map((r) => r.Instances![0]!.InstanceId!));
    }
    assert.equal(running.length, 6);
  });

  test('a NextToken is bound to its filters and cannot be forged', async () => {
    const ec2 = client(many(12));
    const first = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    await assert.rejects(
      ec2.send(
        new DescribeInstancesCommand({
          MaxResults: 5,
          NextToken: first.NextToken,
          Filters: [{ Name: 'instance-state-name', Values: ['running'] }],
        }),
      ),
      { name: 'InvalidParameterValue' },
    );
    await assert.rejects(
      ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: 'garbage' })),
      { name: 'InvalidParameterValue' },
    );
  });

  test('DryRun answers DryRunOperation', async () => {
    await rejectsWith({ DryRun: true }, 'DryRunOperation', /Request would have succeeded/);
  });
});
