/**
 * Credentials for one role, handed out repeatedly by a credential endpoint
 * (IMDS, ECS). Like those endpoints, it keeps serving the same credentials and
 * issues fresh ones once less than a third of their life remains, so SDKs that
 * refresh ahead of expiry always get keys that last.
 */
import type { RoleConfig } from '../config/types.js';
import type { IdentityStore, KeyRecord } from './identity-store.js';
import { assumedRolePrincipal } from './principals.js';

export interface IssuedCredentials {
  readonly record: KeyRecord;
  /** When they were issued (ms), IMDS's `LastUpdated`. */
  readonly issuedAt: number;
  /** When they expire (ms). */
  readonly expiresAt: number;
}

export class RoleCredentialSource {
  private current: IssuedCredentials | undefined;

  constructor(
    private readonly identities: IdentityStore,
    readonly role: RoleConfig,
    private readonly sessionName: string,
    private readonly lifetimeSeconds: number,
  ) {}

  get(now: number): IssuedCredentials {
    const c = this.current;
    if (c && c.expiresAt - now > (c.expiresAt - c.issuedAt) / 3) return c;
    const principal = assumedRolePrincipal(this.role, this.sessionName);
    const record = this.identities.issueSession(
      principal,
      this.role.policy,
      this.lifetimeSeconds,
      now,
      this.role.arn,
    );
    this.current = {
      record,
      issuedAt: now,
      expiresAt: record.expiresAt ?? now + this.lifetimeSeconds * 1000,
    };
    return this.current;
  }
}

/** AWS's credential endpoints print times to the second: `2024-05-01T12:00:00Z`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
