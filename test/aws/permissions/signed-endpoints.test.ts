/**
 * The AMP, execute-api and STS rows: the ARNs read from URLs, and that a
 * policy made of them allows the resources signet local checks for those
 * calls and nothing beside them. Also the S3 prefix narrowing of the log
 * sinks' table.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runPermissions, type Permission } from '../../../src/aws/permissions/log-sinks.js';
import {
  accountOfArn,
  ampPermissions,
  ampWorkspaceOf,
  assumeRolePermission,
  executeApiOf,
  executeApiPermission,
} from '../../../src/aws/permissions/signed-endpoints.js';
import { isAllowed, type Statement } from '../../../src/local/iam/policy.js';

const ACCOUNT = '123456789012';

const policyOf = (permissions: readonly Permission[]): Statement[] =>
  permissions.map((p) => ({ effect: 'Allow', actions: [p.action], resources: [...p.resources] }));

const allows = (policy: Statement[], action: string, resource: string): boolean =>
  isAllowed(policy, action, resource).allowed;

describe('signed endpoint permissions', () => {
  test('AMP: the workspace from the URL, RemoteWrite only unless queried', () => {
    assert.deepEqual(
      ampWorkspaceOf(
        'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1a2b3c4d-5e6f/api/v1/remote_write',
      ),
      { workspaceId: 'ws-1a2b3c4d-5e6f', region: 'eu-west-1' },
    );
    // A stand-in or a proxy serves the path but does not say the region.
    assert.deepEqual(ampWorkspaceOf('http://127.0.0.1:9/workspaces/ws-x/api/v1/remote_write'), {
      workspaceId: 'ws-x',
      region: undefined,
    });
    assert.equal(ampWorkspaceOf('https://prometheus.example.com/api/v1/write'), undefined);
    const use = { region: 'eu-west-1', account: ACCOUNT, workspaceId: 'ws-1', queried: false };
    const write = ampPermissions(use);
    assert.deepEqual(write, [
      {
        action: 'aps:RemoteWrite',
        resources: [`arn:aws:aps:eu-west-1:${ACCOUNT}:workspace/ws-1`],
        why: 'remote_write samples to the workspace',
      },
    ]);
    const policy = policyOf(write);
    const arn = `arn:aws:aps:eu-west-1:${ACCOUNT}:workspace/ws-1`;
    assert.ok(allows(policy, 'aps:RemoteWrite', arn));
    assert.ok(!allows(policy, 'aps:QueryMetrics', arn), 'nothing queries, so no query grant');
    assert.ok(!allows(policy, 'aps:RemoteWrite', `${arn}2`));
    assert.deepEqual(
      ampPermissions({ ...use, queried: true }).map((p) => p.action),
      ['aps:RemoteWrite', 'aps:QueryMetrics'],
    );
    assert.match(
      ampPermissions({ ...use, region: 'cn-north-1' })[0]!.resources[0]!,
      /^arn:aws-cn:aps:cn-north-1:/,
    );
  });

  test('execute-api: API id, stage, method and path from the URL; unknown parts are wildcards', () => {
    const ref = executeApiOf(
      'https://abc123defg.execute-api.us-east-2.amazonaws.com/prod/team/metrics',
    );
    assert.deepEqual(ref, {
      apiId: 'abc123defg',
      region: 'us-east-2',
      stage: 'prod',
      path: 'team/metrics',
    });
    const p = executeApiPermission({
      region: 'us-east-2',
      account: ACCOUNT,
      apiId: ref.apiId,
      stage: ref.stage,
      method: 'GET',
      path: ref.path,
    });
    const arn = `arn:aws:execute-api:us-east-2:${ACCOUNT}:abc123defg/prod/GET/team/metrics`;
    assert.deepEqual(p.resources, [arn]);
    assert.ok(allows(policyOf([p]), 'execute-api:Invoke', arn));
    assert.ok(
      !allows(
        policyOf([p]),
        'execute-api:Invoke',
        `arn:aws:execute-api:us-east-2:${ACCOUNT}:abc123defg/prod/POST/team/metrics`,
      ),
    );
    const custom = executeApiOf('https://metrics.example.com/team/metrics')!;
    assert.equal(custom.apiId, undefined);
    assert.deepEqual(
      executeApiPermission({ ...custom, region: 'us-east-2', account: ACCOUNT, method: 'GET' })
        .resources,
      [`arn:aws:execute-api:us-east-2:${ACCOUNT}:*/*/GET/team/metrics`],
    );
  });

  test('sts:AssumeRole on the role, with the external id as a condition', () => {
    const role = `arn:aws:iam::210987654321:role/writer`;
    assert.deepEqual(assumeRolePermission(role, 'ext-1'), {
      action: 'sts:AssumeRole',
      resources: [role],
      why: 'assume the role the config names',
      condition: { StringEquals: { 'sts:ExternalId': 'ext-1' } },
    });
    assert.equal(assumeRolePermission(role, undefined).condition, undefined);
    assert.equal(accountOfArn(role), '210987654321');
    assert.equal(accountOfArn('arn:aws:s3:::bucket'), undefined);
  });

  test('S3: a prefix narrows the objects granted to the keys under it', () => {
    const permissions = runPermissions({
      kind: 's3',
      region: 'eu-west-1',
      account: ACCOUNT,
      name: 'logs-b',
      prefix: '/app/web/',
    });
    assert.deepEqual(permissions[0]!.resources, ['arn:aws:s3:::logs-b/app/web/*']);
    const policy = policyOf(permissions);
    assert.ok(allows(policy, 's3:PutObject', 'arn:aws:s3:::logs-b/app/web/2026/x.gz'));
    assert.ok(!allows(policy, 's3:PutObject', 'arn:aws:s3:::logs-b/app/webx/x.gz'));
    assert.ok(!allows(policy, 's3:PutObject', 'arn:aws:s3:::logs-b/other/x.gz'));
  });
});
