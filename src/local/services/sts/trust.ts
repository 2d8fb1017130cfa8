/**
 * A role's trust policy for AssumeRole: who may assume it (by ARN pattern or
 * account) and the ExternalId it demands, if any.
 */
import type { RoleConfig } from '../../config/types.js';
import type { KeyRecord } from '../../iam/identity-store.js';
import { resourceMatches } from '../../iam/policy.js';
import type { Principal } from '../../service.js';

/** Whether one trust entry names the caller: an account id, the account's root ARN, or an ARN pattern. */
function entryMatches(
  entry: string,
  caller: Principal,
  callerRoleArn: string | undefined,
): boolean {
  if (/^\d{12}$/.test(entry)) return entry === caller.accountId;
  const root = /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(entry);
  if (root) return root[1] === caller.accountId;
  // A role session is also named by its role's ARN, as trust policies usually name it.
  return [caller.arn, callerRoleArn].some(
    (arn) => arn !== undefined && resourceMatches(entry, arn),
  );
}

export function trusts(
  role: RoleConfig,
  caller: Principal,
  callerRecord: KeyRecord | undefined,
  externalId: string | undefined,
): boolean {
  const named = role.trust.principals.some((entry) =>
    entryMatches(entry, caller, callerRecord?.roleArn),
  );
  const externalOk = role.trust.externalId === undefined || role.trust.externalId === externalId;
  return named && externalOk;
}

/** Sessions of a role assuming another role: STS caps those at one hour. */
export function isRoleSession(caller: Principal): boolean {
  return /^arn:aws[\w-]*:sts::\d{12}:assumed-role\//.test(caller.arn);
}
