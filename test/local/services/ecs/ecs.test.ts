import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { defaultLocalConfig } from '../../../../src/local/config/defaults.js';
import type { LocalConfig } from '../../../../src/local/config/types.js';
import { IdentityStore } from '../../../../src/local/iam/identity-store.js';
import type { LocalResponse } from '../../../../src/local/service.js';
import { createEcsService } from '../../../../src/local/services/ecs/index.js';
import { CONTAINER_TOKEN, fixtureConfig } from '../../config/fixture.js';
import { NOW, localRequest } from '../../iam/request.js';

function setup(config: LocalConfig = fixtureConfig()) {
  const identities = new IdentityStore(config);
  const ecs = createEcsService(identities, config);
  const get = async (
    path: string,
    headers: IncomingHttpHeaders = { authorization: CONTAINER_TOKEN },
    now = NOW,
  ): Promise<LocalResponse> => {
    const req = localRequest({ path, headers, now });
    const op = ecs.operation(req);
    assert.ok(op, `ECS claims ${path}`);
    return ecs.handle(req, op);
  };
  return { identities, ecs, get };
}

function body(res: LocalResponse): Record<string, unknown> {
  return JSON.parse(String(res.body)) as Record<string, unknown>;
}

describe('ECS container credentials', () => {
  test('serves the task role on the relative and the full URI', async () => {
    const { get, identities } = setup();
    for (const path of ['/v2/credentials/task-1234', '/v1/credentials']) {
      const res = await get(path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers?.['content-type'], 'application/json');
      const c = body(res);
      assert.deepEqual(Object.keys(c), [
        'RoleArn',
        'AccessKeyId',
        'SecretAccessKey',
        'Token',
        'Expiration',
      ]);
      assert.equal(c.RoleArn, 'arn:aws:iam::123456789012:role/TaskRole');
      assert.equal(c.Expiration, '2025-01-15T10:01:00Z');
      const record = identities.lookup(String(c.AccessKeyId))!;
      assert.equal(identities.checkToken(record, String(c.Token), NOW), 'ok');
      assert.equal(
        record.principal.arn,
        'arn:aws:sts::123456789012:assumed-role/TaskRole/ecs-task',
      );
    }
  });

  test('checks the Authorization token: missing 401, wrong 403', async () => {
    const { get } = setup();
    assert.equal((await get('/v2/credentials/task-1234', {})).status, 401);
    assert.equal((await get('/v1/credentials', { authorization: 'wrong' })).status, 403);
    assert.equal(
      (await get('/v1/credentials', { authorization: `${CONTAINER_TOKEN}x` })).status,
      403,
    );
  });

  test('an unknown credentials id is refused as the agent refuses it', async () => {
    const { get } = setup();
    const res = await get('/v2/credentials/other');
    assert.equal(res.status, 400);
    assert.deepEqual(body(res), {
      code: 'InvalidIdInRequest',
      message: 'CredentialsV2Request: Credentials not found',
      HTTPErrorCode: 400,
    });
  });

  test('without a token configured, none is required', async () => {
    const base = fixtureConfig();
    const { get } = setup({
      ...base,
      container: { role: base.container!.role, fullUriPath: '/creds' },
    });
    assert.equal((await get('/v2/credentials/anything', {})).status, 200);
    assert.equal((await get('/creds', {})).status, 200);
  });

  test('without a container section, it says so', async () => {
    const withoutContainer = { ...defaultLocalConfig(), container: undefined };
    const { get, ecs } = setup(withoutContainer);
    assert.equal((await get('/v2/credentials/x')).status, 404);
    assert.equal(ecs.operation(localRequest({ path: '/latest/meta-data/' })), undefined);
    assert.equal(
      ecs.operation(localRequest({ path: '/v2/credentials/x', method: 'POST' })),
      undefined,
    );
  });
});
