import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isUnsignedStsRequest } from '../../../../src/local/services/sts/index.js';
import { ALICE_KEY } from '../../config/fixture.js';
import { localRequest } from '../../iam/request.js';
import { READER, setup } from './harness.js';

describe('STS routing', () => {
  test('claims only its own actions and version', () => {
    const { sts } = setup();
    const op = sts.operation(
      localRequest({ form: { Action: 'AssumeRole', Version: '2011-06-15', RoleArn: READER } }),
    );
    assert.deepEqual(op, { action: 'sts:AssumeRole', resource: READER, name: 'AssumeRole' });
    const get = sts.operation(
      localRequest({ query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } }),
    );
    assert.deepEqual(get, {
      action: 'sts:GetCallerIdentity',
      resource: '*',
      name: 'GetCallerIdentity',
    });
    assert.equal(
      sts.operation(localRequest({ form: { Action: 'PutMetricData', Version: '2010-08-01' } })),
      undefined,
    );
    assert.equal(
      sts.operation(localRequest({ form: { Action: 'DescribeInstances', Version: '2016-11-15' } })),
      undefined,
    );
    assert.equal(
      sts.operation(localRequest({ path: '/latest/api/token', method: 'PUT' })),
      undefined,
    );
    assert.throws(
      () =>
        sts.operation(localRequest({ form: { Action: 'GetSessionToken', Version: '2011-06-15' } })),
      {
        code: 'InvalidAction',
        message: 'Could not find operation GetSessionToken for version 2011-06-15',
      },
    );
  });

  test('a JSON-protocol body is not read as a form', () => {
    const { sts } = setup();
    const req = localRequest({
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Logs_20140328.PutLogEvents',
      },
      body: '{"message":"x&Action=AssumeRole&Version=2011-06-15"}',
    });
    assert.equal(sts.operation(req), undefined);
  });

  test('only AssumeRoleWithWebIdentity goes unsigned', () => {
    assert.equal(
      isUnsignedStsRequest(
        localRequest({ form: { Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15' } }),
      ),
      true,
    );
    assert.equal(
      isUnsignedStsRequest(localRequest({ query: { Action: 'AssumeRoleWithWebIdentity' } })),
      true,
    );
    assert.equal(
      isUnsignedStsRequest(localRequest({ form: { Action: 'AssumeRole', Version: '2011-06-15' } })),
      false,
    );
    assert.equal(
      isUnsignedStsRequest(localRequest({ form: { Action: 'GetCallerIdentity' } })),
      false,
    );
  });
});

describe('GetCallerIdentity', () => {
  test("answers the caller's ARN, user id and account in STS's XML", async () => {
    const { call, principal } = setup();
    const xml = await call(
      localRequest({
        form: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        principal: principal(ALICE_KEY),
      }),
    );
    assert.match(
      xml,
      /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user\/alice<\/Arn><UserId>AIDA[A-Z2-7]{17}<\/UserId><Account>123456789012<\/Account><\/GetCallerIdentityResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7<\/RequestId><\/ResponseMetadata><\/GetCallerIdentityResponse>$/,
    );
  });
});
