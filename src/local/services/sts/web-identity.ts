/**
 * AssumeRoleWithWebIdentity: an unsigned call whose authority is the token.
 * The token's claims are checked against the role's `trust.web_identity`
 * (issuer, audience, subject pattern) and its expiry against the clock.
 */
import type { LocalConfig } from '../../config/types.js';
import type { IdentityStore } from '../../iam/identity-store.js';
import { wildcardMatch } from '../../iam/policy.js';
import { assumedRolePrincipal } from '../../iam/principals.js';
import { ServiceError, type LocalRequest, type LocalResponse } from '../../service.js';
import { MAX_DURATION, MIN_DURATION, sessionSeconds } from './assume-role.js';
import { decodeWebIdentityToken, sameIssuer } from './jwt.js';
import { Constraints, ROLE_ARN, SESSION_NAME, refuseSessionPolicies } from './validate.js';
import { webIdentityXml } from './xml.js';

const TOKEN = { required: true, min: 4, max: 20000, secret: true };

function denied(): ServiceError {
  return new ServiceError(
    'AccessDenied',
    'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    403,
  );
}

/** ISO time to the second, as STS prints it in the expiry message. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function assumeRoleWithWebIdentity(
  req: LocalRequest,
  params: URLSearchParams,
  identities: IdentityStore,
  config: LocalConfig,
): LocalResponse {
  const v = new Constraints();
  const roleArn = v.string(params.get('RoleArn') ?? undefined, 'roleArn', ROLE_ARN);
  const sessionName = v.string(
    params.get('RoleSessionName') ?? undefined,
    'roleSessionName',
    SESSION_NAME,
  );
  const token = v.string(params.get('WebIdentityToken') ?? undefined, 'webIdentityToken', TOKEN);
  const duration = v.integer(
    params.get('DurationSeconds') ?? undefined,
    'durationSeconds',
    MIN_DURATION,
    MAX_DURATION,
  );
  v.check();
  refuseSessionPolicies(params);
  if (roleArn === undefined || sessionName === undefined || token === undefined) {
    throw new ServiceError(
      'ValidationError',
      'RoleArn, RoleSessionName and WebIdentityToken are required',
    );
  }

  const claims = decodeWebIdentityToken(token);
  const role = config.roles.find((r) => r.arn === roleArn);
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

  const seconds = sessionSeconds(duration, role, config, false);
  const record = identities.issueSession(
    assumedRolePrincipal(role, sessionName),
    role.policy,
    seconds,
    req.now,
    role.arn,
  );
  const audience = trust.audience ?? claims.aud[0] ?? '';
  return webIdentityXml(
    record,
    { subject: claims.sub, audience, provider: claims.iss },
    req.requestId,
  );
}
