/**
 * Every access key the local server knows: the config's long-term user keys,
 * and the temporary keys STS, IMDS and ECS issue. The core looks keys up here
 * to verify signatures and session tokens; services issue sessions here.
 */
import { timingSafeEqual } from 'node:crypto';
import type { LocalConfig, Statement } from '../config/types.js';
import type { Principal } from '../service.js';
import { randomSecretAccessKey, randomSessionToken, temporaryAccessKeyId } from './ids.js';
import { userPrincipal, type SessionPrincipal } from './principals.js';

export interface KeyRecord {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Set for temporary keys, which must be presented with it. */
  readonly sessionToken?: string;
  /** Milliseconds since the epoch; set for temporary keys. */
  readonly expiresAt?: number;
  readonly principal: Principal;
  readonly policy: readonly Statement[];
  /** For role sessions, the role's ARN (with its path), which trust policies name. */
  readonly roleArn?: string;
}

export type TokenCheck = 'ok' | 'missing' | 'invalid' | 'expired';

/**
 * Expired sessions are kept this long so their use is answered ExpiredToken,
 * as AWS does, rather than as an unknown key; then they are forgotten.
 */
const EXPIRED_RETENTION_MS = 60 * 60 * 1000;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class IdentityStore {
  private readonly permanent = new Map<string, KeyRecord>();
  private readonly sessions = new Map<string, KeyRecord>();

  constructor(config: LocalConfig) {
    for (const user of config.principals) {
      this.permanent.set(user.accessKeyId, {
        accessKeyId: user.accessKeyId,
        secretAccessKey: user.secretAccessKey,
        principal: userPrincipal(user),
        policy: user.policy,
      });
    }
  }

  lookup(accessKeyId: string): KeyRecord | undefined {
    return this.permanent.get(accessKeyId) ?? this.sessions.get(accessKeyId);
  }

  /** Issues temporary credentials for `principal`, valid `durationSeconds` from `now` (ms). */
  issueSession(
    principal: SessionPrincipal,
    policy: readonly Statement[],
    durationSeconds: number,
    now: number,
    roleArn?: string,
  ): KeyRecord {
    this.forgetExpired(now);
    let accessKeyId = temporaryAccessKeyId();
    // 80 random bits make a clash practically impossible; this keeps it impossible.
    while (this.lookup(accessKeyId)) accessKeyId = temporaryAccessKeyId();
    const record: KeyRecord = {
      accessKeyId,
      secretAccessKey: randomSecretAccessKey(),
      sessionToken: randomSessionToken(),
      expiresAt: now + durationSeconds * 1000,
      principal: { ...principal, accessKeyId },
      policy,
      ...(roleArn === undefined ? {} : { roleArn }),
    };
    this.sessions.set(accessKeyId, record);
    return record;
  }

  /**
   * Whether a request's session token fits the key: a temporary key needs its
   * own unexpired token, a long-term key must come without one. A wrong token
   * is reported before expiry so expiry reveals nothing to a guesser.
   */
  checkToken(record: KeyRecord, presentedToken: string | undefined, now: number): TokenCheck {
    const presented = presentedToken === '' ? undefined : presentedToken;
    if (record.sessionToken === undefined) return presented === undefined ? 'ok' : 'invalid';
    if (presented === undefined) return 'missing';
    if (!sameSecret(record.sessionToken, presented)) return 'invalid';
    if (record.expiresAt !== undefined && now >= record.expiresAt) return 'expired';
    return 'ok';
  }

  private forgetExpired(now: number): void {
    for (const [id, record] of this.sessions) {
      if ((record.expiresAt ?? Infinity) + EXPIRED_RETENTION_MS < now) this.sessions.delete(id);
    }
  }
}
