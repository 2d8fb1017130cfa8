import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../../src/local/service.js';
import { PRINCIPAL, WORKSPACE, newService, request } from './helpers.js';

const ARN = `arn:aws:aps:us-east-1:${PRINCIPAL.accountId}:workspace/${WORKSPACE}`;

test('each endpoint maps to its IAM action on the workspace ARN', () => {
  const service = newService();
  assert.equal(service.signingName, 'aps');
  assert.equal(service.protocol, 'rest-json');
  const cases: [string, string, string, string][] = [
    ['POST', 'remote_write', 'aps:RemoteWrite', 'RemoteWrite'],
    ['GET', 'query?query=up', 'aps:QueryMetrics', 'QueryMetrics'],
    ['POST', 'query', 'aps:QueryMetrics', 'QueryMetrics'],
    ['GET', 'query_range', 'aps:QueryMetrics', 'QueryMetrics'],
    ['POST', 'query_range', 'aps:QueryMetrics', 'QueryMetrics'],
    ['GET', 'series', 'aps:GetSeries', 'GetSeries'],
    ['POST', 'series', 'aps:GetSeries', 'GetSeries'],
    ['GET', 'labels', 'aps:GetLabels', 'GetLabels'],
    ['GET', 'label/job/values', 'aps:GetLabels', 'GetLabels'],
  ];
  for (const [method, path, action, name] of cases) {
    const operation = service.operation(request(method, `/workspaces/${WORKSPACE}/api/v1/${path}`));
    assert.deepEqual(operation, { action, resource: ARN, name }, `${method} ${path}`);
  }
});

test('without a principal the default account is used', () => {
  const req = request('GET', `/workspaces/${WORKSPACE}/api/v1/labels`);
  const operation = newService().operation({ ...req, principal: undefined });
  assert.equal(operation?.resource, `arn:aws:aps:us-east-1:123456789012:workspace/${WORKSPACE}`);
});

test('paths that are not the AMP data plane are not claimed', () => {
  const service = newService();
  for (const path of [
    '/',
    '/workspaces',
    `/workspaces/${WORKSPACE}`,
    '/api/v1/query',
    '/2015-03-31/functions',
  ]) {
    assert.equal(service.operation(request('GET', path)), undefined, path);
  }
});

test('an unknown endpoint is a 404 and a wrong method a 405', () => {
  const service = newService();
  const rejects = (method: string, path: string, status: number, pattern: RegExp) =>
    assert.throws(
      () => service.operation(request(method, `/workspaces/${WORKSPACE}/api/v1/${path}`)),
      (error: unknown) =>
        error instanceof ServiceError && error.status === status && pattern.test(error.message),
      `${method} ${path}`,
    );
  rejects('GET', 'metadata', 404, /no AMP endpoint \/api\/v1\/metadata/);
  rejects('GET', 'remote_write', 405, /accepts POST, not GET/);
  rejects('DELETE', 'query', 405, /accepts GET or POST/);
  rejects('POST', 'label/job/values', 405, /accepts GET/);
});
