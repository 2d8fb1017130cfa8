/** The principals IAM users and role sessions act as, with AWS's ARN and id formats. */
import type { RoleConfig, UserConfig } from '../config/types.js';
import type { Principal } from '../service.js';
import { stableId } from './ids.js';

/** A principal before the store has given it an access key. */
export type SessionPrincipal = Omit<Principal, 'accessKeyId'>;

export function userPrincipal(user: UserConfig): Principal {
  return {
    arn: user.arn,
    accountId: user.accountId,
    userId: stableId('AIDA', user.arn),
    accessKeyId: user.accessKeyId,
  };
}

/** The role's unique id (`AROA…`), as AssumedRoleId starts. */
export function roleId(role: RoleConfig): string {
  return stableId('AROA', role.arn);
}

/** `arn:aws:sts::{acct}:assumed-role/{RoleName}/{session}`; the role's path is not part of it, as in AWS. */
export function assumedRolePrincipal(role: RoleConfig, sessionName: string): SessionPrincipal {
  return {
    arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
    accountId: role.accountId,
    userId: `${roleId(role)}:${sessionName}`,
  };
}
