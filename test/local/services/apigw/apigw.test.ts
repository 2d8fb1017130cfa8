import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createApiGatewayService } from '../../../../src/local/services/apigw/index.js';
import { fixtureConfig } from '../../config/fixture.js';
import { localRequest } from '../../iam/request.js';

describe('execute-api stand-in', () => {
  const api = createApiGatewayService(fixtureConfig());

  test('names the route for IAM as execute-api:Invoke', () => {
    assert.deepEqual(api.operation(localRequest({ path: '/execute-api/team/a/metrics' })), {
      action: 'execute-api:Invoke',
      resource: 'arn:aws:execute-api:us-east-1:123456789012:local/*/GET/team/a/metrics',
      name: 'Invoke',
    });
    assert.equal(api.operation(localRequest({ path: '/metrics' })), undefined);
  });

  test('serves a configured page as Prometheus text', async () => {
    for (const [path, page] of [
      ['/execute-api/metrics', '# TYPE up gauge\nup 1\n'],
      ['/execute-api/team/a/metrics', 'requests_total 5\n'],
    ] as const) {
      const req = localRequest({ path });
      const res = await api.handle(req, api.operation(req)!);
      assert.equal(res.status, 200);
      assert.equal(res.headers?.['content-type'], 'text/plain; version=0.0.4');
      assert.equal(res.body, page);
    }
  });

  test('anything else is 404 {"message":"Not Found"}', async () => {
    for (const req of [
      localRequest({ path: '/execute-api/nope' }),
      localRequest({ path: '/execute-api/metrics', method: 'POST' }),
      localRequest({ path: '/execute-api/' }),
    ]) {
      const res = await api.handle(req, api.operation(req)!);
      assert.equal(res.status, 404);
      assert.equal(res.body, '{"message":"Not Found"}');
    }
  });
});
