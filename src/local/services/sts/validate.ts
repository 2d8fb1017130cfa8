/**
 * STS's parameter validation, with its wording: every failed constraint is
 * collected and reported in one ValidationError, "N validation errors detected:
 * Value 'x' at 'roleSessionName' failed to satisfy constraint: …".
 */
import { ServiceError } from '../../service.js';

/** A string parameter's constraints in the API model; a `secret` value is never echoed. */
export interface StringRule {
  readonly required: boolean;
  readonly min: number;
  readonly max: number;
  readonly pattern?: RegExp;
  readonly patternText?: string;
  readonly secret?: boolean;
}

export class Constraints {
  private readonly failures: string[] = [];

  private fail(
    value: string | undefined,
    member: string,
    constraint: string,
    secret = false,
  ): void {
    // A secret (a token) is never echoed back, only its absence.
    const shown = value === undefined ? 'null' : secret ? "'***'" : `'${value}'`;
    this.failures.push(`Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
  }

  /** A string parameter: required or not, length bounds, character pattern. */
  string(value: string | undefined, member: string, rule: StringRule): string | undefined {
    const secret = rule.secret ?? false;
    if (value === undefined) {
      if (rule.required) this.fail(value, member, 'Member must not be null');
      return undefined;
    }
    if (value.length < rule.min) {
      this.fail(
        value,
        member,
        `Member must have length greater than or equal to ${rule.min}`,
        secret,
      );
    } else if (value.length > rule.max) {
      this.fail(value, member, `Member must have length less than or equal to ${rule.max}`, secret);
    } else if (rule.pattern && !rule.pattern.test(value)) {
      const pattern = rule.patternText ?? rule.pattern.source;
      this.fail(
        value,
        member,
        `Member must satisfy regular expression pattern: ${pattern}`,
        secret,
      );
    }
    return value;
  }

  /** An optional integer parameter within bounds. */
  integer(value: string | undefined, member: string, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value)) {
      this.fail(value, member, 'Member must be an integer');
      return undefined;
    }
    const n = Number(value);
    if (n < min) this.fail(value, member, `Member must have value greater than or equal to ${min}`);
    else if (n > max)
      this.fail(value, member, `Member must have value less than or equal to ${max}`);
    return n;
  }

  /** Throws the collected failures, if any. */
  check(): void {
    const n = this.failures.length;
    if (n === 0) return;
    throw new ServiceError(
      'ValidationError',
      `${n} validation error${n > 1 ? 's' : ''} detected: ${this.failures.join('; ')}`,
    );
  }
}

/** The constraints AssumeRole and AssumeRoleWithWebIdentity share. */
export const SESSION_NAME = {
  required: true,
  min: 2,
  max: 64,
  pattern: /^[\w+=,.@-]*$/,
  patternText: '[\\w+=,.@-]*',
};
export const ROLE_ARN = { required: true, min: 20, max: 2048 };
export const EXTERNAL_ID = {
  required: false,
  min: 2,
  max: 1224,
  pattern: /^[\w+=,.@:/-]*$/,
  patternText: '[\\w+=,.@:\\/-]*',
};

/** Session policies would need an intersection of policies, which the identity store does not model. */
export function refuseSessionPolicies(params: URLSearchParams): void {
  const given = [...params.keys()].some((k) => k === 'Policy' || k.startsWith('PolicyArns.'));
  if (given) {
    throw new ServiceError(
      'ValidationError',
      'signet local does not support session policies (Policy, PolicyArns); leave them out and put the statements on the role',
    );
  }
}
