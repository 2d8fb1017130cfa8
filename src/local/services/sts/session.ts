/**
 * What AssumeRole and AssumeRoleWithWebIdentity share: reading the role, the
 * session name and the duration asked for, and issuing the role's session
 * once the caller (or the token) is trusted.
 */
import type { LocalConfig, RoleConfig } from '../../config/types.js';
import type { IdentityStore, KeyRecord } from '../../iam/identity-store.js';
import { assumedRolePrincipal } from '../../iam/principals.js';
import { ServiceError } from '../../service.js';
import {
  Constraints,
  ROLE_ARN,
  SESSION_NAME,
  refuseSessionPolicies,
  type StringRule,
} from './validate.js';

/** STS's default and limits for DurationSeconds. */
export const DEFAULT_DURATION = 3600;
export const MIN_DURATION = 900;
export const MAX_DURATION = 43200;
const CHAINED_MAX = 3600;

export interface RoleRequest {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly duration: number | undefined;
  /** The parameter each call adds: ExternalId, or WebIdentityToken. */
  readonly extra: string | undefined;
}

/**
 * Reads RoleArn, RoleSessionName, the call's own parameter and DurationSeconds,
 * in STS's order, and reports every failed constraint at once as STS does.
 */
export function readRoleRequest(
  params: URLSearchParams,
  extra: { readonly param: string; readonly member: string; readonly rule: StringRule },
): RoleRequest {
  const v = new Constraints();
  const roleArn = v.string(params.get('RoleArn') ?? undefined, 'roleArn', ROLE_ARN);
  const sessionName = v.string(
    params.get('RoleSessionName') ?? undefined,
    'roleSessionName',
    SESSION_NAME,
  );
  const extraValue = v.string(params.get(extra.param) ?? undefined, extra.member, extra.rule);
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
  return { roleArn, sessionName, duration, extra: extraValue };
}

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

/** Issues the role's session; `chained` when a role session assumes the role (one hour at most). */
export function issueRoleSession(
  identities: IdentityStore,
  config: LocalConfig,
  role: RoleConfig,
  request: RoleRequest,
  now: number,
  chained: boolean,
): KeyRecord {
  const seconds = sessionSeconds(request.duration, role, config, chained);
  return identities.issueSession(
    assumedRolePrincipal(role, request.sessionName),
    role.policy,
    seconds,
    now,
    role.arn,
  );
}
