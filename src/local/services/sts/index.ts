/**
 * The STS endpoint (query protocol): GetCallerIdentity, AssumeRole and
 * AssumeRoleWithWebIdentity, answered in sts.amazonaws.com's XML.
 */
import type { LocalConfig } from '../../config/types.js';
import type { IdentityStore } from '../../iam/identity-store.js';
import {
  ServiceError,
  type LocalRequest,
  type LocalService,
  type Operation,
} from '../../service.js';
import { assumeRole } from './assume-role.js';
import { STS_VERSION, stsParams, type StsRequestParts } from './params.js';
import { assumeRoleWithWebIdentity } from './web-identity.js';
import { callerIdentityXml } from './xml.js';

const OPERATIONS = new Set(['GetCallerIdentity', 'AssumeRole', 'AssumeRoleWithWebIdentity']);

/**
 * Whether the core should take this request without a signature: only
 * AssumeRoleWithWebIdentity, whose authority is the token it carries.
 */
export function isUnsignedStsRequest(req: StsRequestParts): boolean {
  return req.path === '/' && stsParams(req).get('Action') === 'AssumeRoleWithWebIdentity';
}

export function createStsService(identities: IdentityStore, config: LocalConfig): LocalService {
  return {
    signingName: 'sts',
    protocol: 'query',

    operation(req: LocalRequest): Operation | undefined {
      if (req.path !== '/' || (req.method !== 'POST' && req.method !== 'GET')) return undefined;
      const params = stsParams(req);
      const action = params.get('Action');
      const version = params.get('Version');
      // CloudWatch and EC2 share the query protocol; only STS's own actions or version are claimed.
      if (action === null || (!OPERATIONS.has(action) && version !== STS_VERSION)) return undefined;
      if (!OPERATIONS.has(action) || version !== STS_VERSION) {
        throw new ServiceError(
          'InvalidAction',
          `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`,
        );
      }
      const resource = action === 'GetCallerIdentity' ? '*' : (params.get('RoleArn') ?? '*');
      return { action: `sts:${action}`, resource, name: action };
    },

    handle(req: LocalRequest, operation: Operation) {
      const params = stsParams(req);
      switch (operation.name) {
        case 'GetCallerIdentity':
          if (!req.principal)
            throw new ServiceError(
              'MissingAuthenticationToken',
              'Request is missing Authentication Token',
              403,
            );
          return callerIdentityXml(req.principal, req.requestId);
        case 'AssumeRole':
          return assumeRole(req, params, identities, config);
        case 'AssumeRoleWithWebIdentity':
          return assumeRoleWithWebIdentity(req, params, identities, config);
        default:
          throw new ServiceError(
            'InvalidAction',
            `Could not find operation ${operation.name} for version ${STS_VERSION}`,
          );
      }
    },
  };
}
