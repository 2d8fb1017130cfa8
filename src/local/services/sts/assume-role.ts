/**
 * AssumeRole: validates like STS, checks the role's trust policy and external
 * id, applies the duration limits (the role's maximum; one hour when a role
 * session assumes a role), and issues a session carrying the role's policy.
 */
import type { LocalConfig } from '../../config/types.js';
import type { IdentityStore } from '../../iam/identity-store.js';
import {
  ServiceError,
  type LocalRequest,
  type LocalResponse,
  type Principal,
} from '../../service.js';
import { issueRoleSession, readRoleRequest } from './session.js';
import { isRoleSession, trusts } from './trust.js';
import { EXTERNAL_ID } from './validate.js';
import { assumeRoleXml } from './xml.js';

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
  const request = readRoleRequest(params, {
    param: 'ExternalId',
    member: 'externalId',
    rule: EXTERNAL_ID,
  });
  // An unknown role answers as an untrusted one, as STS does, so roles cannot be probed.
  const role = config.roles.find((r) => r.arn === request.roleArn);
  if (!role || !trusts(role, caller, identities.lookup(caller.accessKeyId), request.extra)) {
    throw notAuthorized(caller, request.roleArn);
  }
  const record = issueRoleSession(
    identities,
    config,
    role,
    request,
    req.now,
    isRoleSession(caller),
  );
  return assumeRoleXml(record, req.requestId);
}
