/**
 * CloudWatch Logs for `signet local`: the JSON 1.1 protocol (POST /,
 * `X-Amz-Target: Logs_20140328.<Operation>`), the operations an agent and its
 * tests need, and AWS's limits on them (limits.ts).
 */
import {
  ServiceError,
  type LocalRequest,
  type LocalResponse,
  type LocalService,
  type Operation,
  type ServiceStore,
} from '../../service.js';
import { firstHeader } from '../json-target.js';
import type { Context, Handler } from './context.js';
import { filterLogEvents } from './filter-events.js';
import { getLogEvents } from './get-events.js';
import { createLogGroup, describeLogGroups, putRetentionPolicy } from './groups.js';
import { parseBody, type Body } from './input.js';
import { putLogEvents } from './put-events.js';
import { groupArn, groupForPolicy, scopeOf, streamArn } from './scope.js';
import { LogsState } from './state.js';
import { createLogStream, describeLogStreams } from './streams.js';

const TARGET_PREFIX = 'Logs_20140328.';
const STORE_KEY = 'logs';

/** A Map, so a target such as `Logs_20140328.constructor` finds nothing. */
const HANDLERS = new Map<string, Handler>([
  ['CreateLogGroup', createLogGroup],
  ['CreateLogStream', createLogStream],
  ['DescribeLogGroups', describeLogGroups],
  ['DescribeLogStreams', describeLogStreams],
  ['PutLogEvents', putLogEvents],
  ['GetLogEvents', getLogEvents],
  ['FilterLogEvents', filterLogEvents],
  ['PutRetentionPolicy', putRetentionPolicy],
]);

/** Operations whose IAM resource is the log stream rather than the group. */
const STREAM_OPERATIONS = new Set(['PutLogEvents', 'GetLogEvents']);

function unknownOperation(name: string): ServiceError {
  return new ServiceError(
    'UnknownOperationException',
    `The operation ${name} is not supported by signet local's CloudWatch Logs.`,
  );
}

/** The ARN the policy check uses; `*` stands in for a name the request lacks. */
function resourceOf(request: LocalRequest, name: string, body: Body): string {
  if (name === 'DescribeLogGroups') return '*';
  const scope = scopeOf(request);
  const group = groupForPolicy(body) ?? '*';
  if (!STREAM_OPERATIONS.has(name)) return groupArn(scope, group);
  const stream = body['logStreamName'];
  return streamArn(scope, group, typeof stream === 'string' ? stream : '*');
}

export function createLogsService(store: ServiceStore): LocalService {
  const state = LogsState.restore(store.load<unknown>(STORE_KEY));
  // Each body is parsed once, though operation() is asked twice and handle() needs it
  // too: the core passes copies of the request, but always the same body Buffer.
  const bodies = new WeakMap<Buffer, Body>();
  const bodyOf = (request: LocalRequest): Body => {
    let body = bodies.get(request.body);
    if (body === undefined) {
      body = parseBody(request.body);
      bodies.set(request.body, body);
    }
    return body;
  };
  const save = (): void => store.save(STORE_KEY, state.snapshot());

  return {
    signingName: 'logs',
    protocol: 'json',

    operation(request: LocalRequest): Operation | undefined {
      const target = firstHeader(request, 'x-amz-target');
      if (target === undefined || !target.startsWith(TARGET_PREFIX)) return undefined;
      const name = target.slice(TARGET_PREFIX.length);
      if (!HANDLERS.has(name)) throw unknownOperation(name);
      const body = bodyOf(request);
      return { action: `logs:${name}`, resource: resourceOf(request, name, body), name };
    },

    handle(request: LocalRequest, operation: Operation): LocalResponse {
      const handler = HANDLERS.get(operation.name);
      if (!handler) throw unknownOperation(operation.name);
      const body = bodyOf(request);
      const ctx: Context = { state, scope: scopeOf(request), now: request.now, body, save };
      const result = handler(ctx);
      return {
        status: 200,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': request.requestId,
        },
        body: JSON.stringify(result),
      };
    },
  };
}
