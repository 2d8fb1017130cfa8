/**
 * IMDSv2 session tokens: issued by `PUT /latest/api/token` for a TTL the
 * caller chooses (1..21600 s) and required on every metadata read.
 */
import { randomBytes } from 'node:crypto';

export const MAX_TOKEN_TTL_SECONDS = 21600;

export class ImdsTokens {
  private readonly expiry = new Map<string, number>();

  issue(ttlSeconds: number, now: number): string {
    for (const [token, expiresAt] of this.expiry) if (expiresAt <= now) this.expiry.delete(token);
    const token = randomBytes(42).toString('base64');
    this.expiry.set(token, now + ttlSeconds * 1000);
    return token;
  }

  isValid(token: string, now: number): boolean {
    const expiresAt = this.expiry.get(token);
    return expiresAt !== undefined && now < expiresAt;
  }
}

/** The TTL header's value in seconds, or undefined when missing or out of IMDS's bounds. */
export function parseTtl(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,6}$/.test(value.trim())) return undefined;
  const ttl = Number(value.trim());
  return ttl >= 1 && ttl <= MAX_TOKEN_TTL_SECONDS ? ttl : undefined;
}
