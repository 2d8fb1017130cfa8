/**
 * Where a request's log groups live (account and region) and the ARNs AWS
 * gives them. Log groups are per account per region, so the state is kept
 * apart by both even though one server stands in for one region.
 */
import { accountOf, ServiceError, type LocalRequest } from '../../service.js';
import {
  LOG_GROUP_IDENTIFIER,
  LOG_GROUP_NAME,
  optString,
  checkString,
  invalid,
  type Body,
} from './input.js';

export interface Scope {
  readonly account: string;
  readonly region: string;
}

export function scopeOf(request: LocalRequest): Scope {
  return { account: accountOf(request), region: request.region };
}

/** The ARN partition of a region: China and GovCloud regions have their own. */
function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** `arn:aws:logs:{region}:{account}:log-group:{name}` — the `logGroupArn` form, without `:*`. */
export function groupArn(scope: Scope, name: string): string {
  return `arn:${partition(scope.region)}:logs:${scope.region}:${scope.account}:log-group:${name}`;
}

export function streamArn(scope: Scope, group: string, stream: string): string {
  return `${groupArn(scope, group)}:log-stream:${stream}`;
}

const GROUP_ARN = /^arn:[a-z-]+:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?$/;

/**
 * The log group a request names, by `logGroupName` or `logGroupIdentifier` (a name
 * or an ARN): exactly one of the two, as the API reference requires. An ARN of
 * another account or region names nothing here, so it answers not found.
 */
export function requestedGroup(body: Body, scope: Scope): string {
  const name = optString(body, 'logGroupName', LOG_GROUP_NAME);
  const identifier = optString(body, 'logGroupIdentifier', LOG_GROUP_IDENTIFIER);
  if (name !== undefined && identifier !== undefined) {
    throw new ServiceError(
      'InvalidParameterException',
      'LogGroup name and LogGroup ARN are mutually exclusive parameters.',
    );
  }
  if (name !== undefined) return name;
  if (identifier === undefined) {
    throw new ServiceError(
      'InvalidParameterException',
      'Should provide either name or ARN of the log group (logGroupName or logGroupIdentifier).',
    );
  }
  return groupFromIdentifier(identifier, scope);
}

export function groupFromIdentifier(identifier: string, scope: Scope): string {
  if (!identifier.startsWith('arn:')) {
    return checkString('logGroupIdentifier', identifier, LOG_GROUP_NAME);
  }
  const match = GROUP_ARN.exec(identifier);
  if (!match) throw invalid('logGroupIdentifier', identifier, 'be a log group name or ARN');
  const [, region, account, name = ''] = match;
  if (region !== scope.region || account !== scope.account) {
    throw new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
  }
  return checkString('logGroupIdentifier', name, LOG_GROUP_NAME);
}

/**
 * The group name for the policy check, which must not throw for a merely invalid
 * field (handle() reports those); undefined when the request names no group.
 */
export function groupForPolicy(body: Body): string | undefined {
  const name = body['logGroupName'];
  if (typeof name === 'string') return name;
  const identifier = body['logGroupIdentifier'];
  if (typeof identifier !== 'string') return undefined;
  const match = GROUP_ARN.exec(identifier);
  return match ? match[3] : identifier;
}
