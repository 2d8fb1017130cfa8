/**
 * The ECS container credential endpoint: `GET /v2/credentials/{id}` (what
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI points at) and the configured
 * full-URI path (AWS_CONTAINER_CREDENTIALS_FULL_URI, as EKS Pod Identity uses),
 * guarded by the Authorization token when the config sets one.
 */
import { timingSafeEqual } from 'node:crypto';
import type { LocalConfig } from '../../config/types.js';
import type { IdentityStore } from '../../iam/identity-store.js';
import { RoleCredentialSource, isoSeconds } from '../../iam/role-credentials.js';
import type { LocalRequest, LocalResponse, LocalService, Operation } from '../../service.js';

const RELATIVE_PREFIX = '/v2/credentials/';
const DEFAULT_FULL_URI_PATH = '/v1/credentials';
/** The session name the role's credentials carry, in place of ECS's task id. */
const SESSION_NAME = 'ecs-task';

function json(status: number, body: Record<string, unknown>): LocalResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** The agent's error shape: {"code", "message", "HTTPErrorCode"}. */
function failure(status: number, code: string, message: string): LocalResponse {
  return json(status, { code, message, HTTPErrorCode: status });
}

function sameToken(expected: string, presented: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createEcsService(identities: IdentityStore, config: LocalConfig): LocalService {
  const container = config.container;
  const fullUriPath = container?.fullUriPath ?? DEFAULT_FULL_URI_PATH;
  const role = container && config.roles.find((r) => r.arn === container.role);
  const source =
    role &&
    new RoleCredentialSource(identities, role, SESSION_NAME, config.credentialDurationSeconds);

  return {
    signingName: '',
    protocol: 'rest-json',

    operation(req: LocalRequest): Operation | undefined {
      if (req.method !== 'GET') return undefined;
      if (!req.path.startsWith(RELATIVE_PREFIX) && req.path !== fullUriPath) return undefined;
      return {
        action: 'ecs:GetContainerCredentials',
        resource: container?.role ?? '*',
        name: 'GetContainerCredentials',
      };
    },

    handle(req: LocalRequest): LocalResponse {
      if (!container || !source) {
        return failure(
          404,
          'NoContainerCredentials',
          'signet local: the config has no `container:` section',
        );
      }
      const expected = container.authorizationToken;
      if (expected !== undefined) {
        const presented = req.headers.authorization;
        if (presented === undefined)
          return failure(401, 'NoAuthorizationToken', 'Authorization header is required');
        if (!sameToken(expected, presented))
          return failure(403, 'InvalidAuthorizationToken', 'Authorization token is not valid');
      }
      if (req.path.startsWith(RELATIVE_PREFIX)) {
        const id = req.path.slice(RELATIVE_PREFIX.length);
        if (id === '')
          return failure(
            400,
            'NoIdInRequest',
            'CredentialsV2Request: No Credential ID in the request',
          );
        if (container.credentialsId !== undefined && id !== container.credentialsId) {
          return failure(400, 'InvalidIdInRequest', 'CredentialsV2Request: Credentials not found');
        }
      }
      const c = source.get(req.now);
      return json(200, {
        RoleArn: role.arn,
        AccessKeyId: c.record.accessKeyId,
        SecretAccessKey: c.record.secretAccessKey,
        Token: c.record.sessionToken,
        Expiration: isoSeconds(c.expiresAt),
      });
    },
  };
}
