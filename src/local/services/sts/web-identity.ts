/**
 * AssumeRoleWithWebIdentity: an unsigned call whose authority is the token.
 * The token's claims are checked against the role's `trust.web_identity`
 * (issuer, audience, subject pattern) and its expiry against the clock.
 */
import type { LocalConfig } from '../../config/types.js';
import type { IdentityStore } from '../../iam/identity-store.js';
import { wildcardMatch } from '../../iam/policy.js';
import { isoSeconds as iso } from '../../iam/role-credentials.js';
import { ServiceError, type LocalRequest, type LocalResponse } from '../../service.js';
import { decodeWebIdentityToken, sameIssuer } from './jwt.js';
import { issueRoleSession, readRoleRequest } from './session.js';
import { webIdentityXml } from './xml.js';

const TOKEN = { required: true, min: 4, max: 20000, secret: true };

function denied(): ServiceError {
  return new ServiceError(
    'AccessDenied',
    'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    403,
  );
}

export function assumeRoleWithWebIdentity(
  req: LocalRequest,
  params: URLSearchParams,
  identities: IdentityStore,
  config: LocalConfig,
): LocalResponse {
  const request = readRoleRequest(params, {
    param: 'WebIdentityToken',
    member: 'webIdentityToken',
    rule: TOKEN,
  });
  // The token is required: readRoleRequest has thrown if it were missing.
  const token = request.extra ?? '';
  const claims = decodeWebIdentityToken(token);
  const role = config.roles.find((r) => r.arn === request.roleArn);
  const trust = role?.trust.webIdentity;
  if (!role || !trust) throw denied();
  if (trust.issuer !== undefined && !sameIssuer(trust.issuer, claims.iss)) {
    throw new ServiceError(
      'InvalidIdentityToken',
      `No OpenIDConnect provider found in your account for ${claims.iss}`,
      400,
    );
  }
  if (claims.exp * 1000 <= req.now) {
    throw new ServiceError(
      'ExpiredTokenException',
      `Token expired: current date/time ${iso(req.now)} must be before the expiration date/time ${iso(claims.exp * 1000)}`,
      400,
    );
  }
  if (trust.audience !== undefined && !claims.aud.includes(trust.audience)) {
    throw new ServiceError('InvalidIdentityToken', 'Incorrect token audience', 400);
  }
  if (trust.subject !== undefined && !wildcardMatch(trust.subject, claims.sub)) throw denied();

  const record = issueRoleSession(identities, config, role, request, req.now, false);
  const audience = trust.audience ?? claims.aud[0] ?? '';
  return webIdentityXml(
    record,
    { subject: claims.sub, audience, provider: claims.iss },
    req.requestId,
  );
}
