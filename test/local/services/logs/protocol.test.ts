// The JSON 1.1 framing: which requests are ours, operation names, IAM actions and resources.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from '../../../../src/local/service.js';
import { createLogsService } from '../../../../src/local/services/logs/index.js';
import { ACCOUNT, GROUP, JsonStore, REGION, call, logsRequest } from './helpers.js';

const service = createLogsService(new JsonStore());
const groupArn = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    return error.code;
  }
  return 'none';
}

describe('logs operation()', () => {
  test('identifies itself', () => {
    assert.equal(service.signingName, 'logs');
    assert.equal(service.protocol, 'json');
  });

  test('ignores requests for other targets', () => {
    assert.equal(
      service.operation(logsRequest('X', {}, { target: 'Kinesis_20131202.PutRecord' })),
      undefined,
    );
    const request = logsRequest('X', {});
    assert.equal(service.operation({ ...request, headers: {} }), undefined);
  });

  test('unknown operations and bad bodies are errors', () => {
    assert.equal(
      errorCode(() => service.operation(logsRequest('DeleteEverything', {}))),
      'UnknownOperationException',
    );
    assert.equal(
      errorCode(() => service.operation(logsRequest('constructor', {}))),
      'UnknownOperationException',
    );
    assert.equal(
      errorCode(() => service.operation(logsRequest('CreateLogGroup', {}, { rawBody: '{"a":' }))),
      'SerializationException',
    );
    assert.equal(
      errorCode(() => service.operation(logsRequest('CreateLogGroup', {}, { rawBody: '[1]' }))),
      'SerializationException',
    );
  });

  test('an empty body is an empty object', () => {
    const op = service.operation(logsRequest('DescribeLogGroups', {}, { rawBody: '' }));
    assert.deepEqual(op, {
      action: 'logs:DescribeLogGroups',
      resource: '*',
      name: 'DescribeLogGroups',
    });
  });

  test('names the action and the resource ARN', () => {
    const of = (op: string, body: object) => service.operation(logsRequest(op, body));
    assert.deepEqual(of('CreateLogGroup', { logGroupName: GROUP }), {
      action: 'logs:CreateLogGroup',
      resource: groupArn(GROUP),
      name: 'CreateLogGroup',
    });
    assert.equal(
      of('PutLogEvents', { logGroupName: GROUP, logStreamName: 's', logEvents: [] })?.resource,
      `${groupArn(GROUP)}:log-stream:s`,
    );
    assert.equal(
      of('GetLogEvents', { logGroupIdentifier: groupArn(GROUP), logStreamName: 's' })?.resource,
      `${groupArn(GROUP)}:log-stream:s`,
    );
    assert.equal(
      of('DescribeLogStreams', { logGroupIdentifier: GROUP })?.resource,
      groupArn(GROUP),
    );
    assert.equal(of('DescribeLogGroups', { logGroupNamePrefix: '/x' })?.resource, '*');
    assert.equal(of('CreateLogGroup', {})?.resource, groupArn('*'));
  });
});

describe('logs handle()', () => {
  test('answers JSON 1.1 with the request id', async () => {
    const request = logsRequest('DescribeLogGroups', {});
    const operation = service.operation(request);
    assert.ok(operation);
    const response = await service.handle(request, operation);
    assert.equal(response.headers?.['x-amzn-requestid'], 'req-1');
    assert.deepEqual(JSON.parse(String(response.body)), { logGroups: [] });
  });

  test('keeps accounts apart', async () => {
    const fresh = createLogsService(new JsonStore());
    await call(fresh, 'CreateLogGroup', { logGroupName: GROUP });
    const other = await call<{ logGroups: unknown[] }>(
      fresh,
      'DescribeLogGroups',
      {},
      { account: '210987654321' },
    );
    assert.deepEqual(other.logGroups, []);
  });
});
