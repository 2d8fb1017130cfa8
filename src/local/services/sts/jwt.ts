/**
 * Reads a web identity token (an OIDC JWT) without verifying its signature:
 * signet local has no identity provider's keys, so it checks only what the
 * token claims, which is what the tests of a client need.
 */
import { ServiceError } from '../../service.js';

export interface WebIdentityClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: readonly string[];
  /** Seconds since the epoch. */
  readonly exp: number;
}

function invalid(message: string): ServiceError {
  return new ServiceError('InvalidIdentityToken', message, 400);
}

function decodePart(part: string): unknown {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(part))
    throw invalid('The ID Token provided is not a valid JWT: a part is not base64url');
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw invalid('The ID Token provided is not a valid JWT: a part is not JSON');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function decodeWebIdentityToken(token: string): WebIdentityClaims {
  const parts = token.split('.');
  if (parts.length !== 3) {
    throw invalid(
      'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
    );
  }
  const header = decodePart(parts[0]!);
  const payload = decodePart(parts[1]!);
  if (!isRecord(header) || typeof header.alg !== 'string')
    throw invalid('The ID Token provided is not a valid JWT: no alg in its header');
  if (!isRecord(payload))
    throw invalid('The ID Token provided is not a valid JWT: its payload is not an object');
  const { iss, sub, aud, exp } = payload;
  if (typeof iss !== 'string' || iss === '') throw invalid('The ID Token is missing the iss claim');
  if (typeof sub !== 'string' || sub === '') throw invalid('The ID Token is missing the sub claim');
  if (typeof exp !== 'number' || !Number.isFinite(exp))
    throw invalid('The ID Token is missing the exp claim');
  const audiences =
    typeof aud === 'string'
      ? [aud]
      : Array.isArray(aud)
        ? aud.filter((a) => typeof a === 'string')
        : [];
  if (audiences.length === 0) throw invalid('The ID Token is missing the aud claim');
  return { iss, sub, aud: audiences, exp };
}

/** IAM names OIDC providers by issuer URL without the scheme, and ignores a trailing slash. */
export function sameIssuer(a: string, b: string): boolean {
  const norm = (s: string): string => s.replace(/^https:\/\//, '').replace(/\/+$/, '');
  return norm(a) === norm(b);
}
