/**
 * AssumeRole: validates like STS, checks the role's trust policy and external
 * id, applies the duration limits (the role's maximum; one hour when a role
 * session assumes a role), and issues a session carrying the role's policy.
 */
import type { LocalConfig, RoleConfig } from '../../config/types.js';
import type { IdentityStore } from '../../iam/identity-store.js';
import { assumedRolePrincipal } from '../../iam/principals.js';
import {
  ServiceError,
  type LocalRequest,
  type LocalResponse,
  type Principal,
} from '../../service.js';
import { isRoleSession, trusts } from './trust.js';
import {
  Constraints,
  EXTERNAL_ID,
  ROLE_ARN,
  SESSION_NAME,
  refuseSessionPolicies,
} from './validate.js';
import { assumeRoleXml } from './xml.js';

/** STS's default and limits for DurationSeconds. */
export const DEFAULT_DURATION = 3600;
export const MIN_DURATION = 900;
export const MAX_DURATION = 43200;
const CHAINED_MAX = 3600;

/**
 * How long the session lives: what was asked (or STS's default), checked
 * against the role, then capped by the config's credential lifetime so tests
 * can watch credentials expire quickly.
 */
export function sessionSeconds(
  requested: number | undefined,
  role: RoleConfig,
  config: LocalConfig,
  chained: boolean,
): number {
  const duration = requested ?? DEFAULT_DURATION;
  if (chained && duration > CHAINED_MAX) {
    throw new ServiceError(
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (duration > role.maxSessionDuration) {
    throw new ServiceError(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
  return Math.min(duration, config.credentialDurationSeconds);
}

function notAuthorized(caller: Principal, roleArn: string): ServiceError {
  return new ServiceError(
    'AccessDenied',
    `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );
}

export function assumeRole(
  req: LocalRequest,
  params: URLSearchParams,
  identities: IdentityStore,
  config: LocalConfig,
): LocalResponse {
  const caller = req.principal;
  if (!caller)
    throw new ServiceError(
      'MissingAuthenticationToken',
      'Request is missing Authentication Token',
      403,
    );
  const v = new Constraints();
  const roleArn = v.string(params.get('RoleArn') ?? undefined, 'roleArn', ROLE_ARN);
  const sessionName = v.string(
    params.get('RoleSessionName') ?? undefined,
    'roleSessionName',
    SESSION_NAME,
  );
  const externalId = v.string(params.get('ExternalId') ?? undefined, 'externalId', EXTERNAL_ID);
  const duration = v.integer(
    params.get('DurationSeconds') ?? undefined,
    'durationSeconds',
    MIN_DURATION,
    MAX_DURATION,
  );
  v.check();
  refuseSessionPolicies(params);
  // Constraints.check() has thrown if either required value were missing.
  if (roleArn === undefined || sessionName === undefined)
    throw new ServiceError('ValidationError', 'RoleArn and RoleSessionName are required');

  // An unknown role answers as an untrusted one, as STS does, so roles cannot be probed.
  const role = config.roles.find((r) => r.arn === roleArn);
  if (!role || !trusts(role, caller, identities.lookup(caller.accessKeyId), externalId)) {
    throw notAuthorized(caller, roleArn);
  }
  const seconds = sessionSeconds(duration, role, config, isRoleSession(caller));
  const record = identities.issueSession(
    assumedRolePrincipal(role, sessionName),
    role.policy,
    seconds,
    req.now,
    role.arn,
  );
  return assumeRoleXml(record, req.requestId);
}
