/**
 * The EC2 instance metadata service, IMDSv2 only: a session token from
 * `PUT /latest/api/token` is required for every read, IMDSv1 reads are refused
 * (401), and requests that came through a proxy (X-Forwarded-For) get 403.
 */
import type { LocalConfig } from '../../config/types.js';
import type { IdentityStore } from '../../iam/identity-store.js';
import { RoleCredentialSource } from '../../iam/role-credentials.js';
import type { LocalRequest, LocalResponse, LocalService, Operation } from '../../service.js';
import { metadataTree, readMetadata, type MetadataTree } from './metadata.js';
import { header, imdsError, text } from './respond.js';
import { ImdsTokens, parseTtl } from './tokens.js';

const TOKEN_PATH = '/latest/api/token';

function treeFor(identities: IdentityStore, config: LocalConfig): MetadataTree {
  const self = config.instances.find((i) => i.self);
  if (!self) return new Map();
  const role = config.roles.find((r) => r.arn === self.role);
  // AWS names an instance's role session after the instance id.
  const source =
    role &&
    new RoleCredentialSource(identities, role, self.instanceId, config.credentialDurationSeconds);
  return metadataTree(self, source);
}

export function createImdsService(identities: IdentityStore, config: LocalConfig): LocalService {
  const tokens = new ImdsTokens();
  const tree = treeFor(identities, config);

  const putToken = (req: LocalRequest): LocalResponse => {
    const ttl = parseTtl(header(req.headers, 'x-aws-ec2-metadata-token-ttl-seconds'));
    if (ttl === undefined) return imdsError(400);
    return text(tokens.issue(ttl, req.now), {
      'x-aws-ec2-metadata-token-ttl-seconds': String(ttl),
    });
  };

  const get = (req: LocalRequest): LocalResponse => {
    const token = header(req.headers, 'x-aws-ec2-metadata-token');
    if (token === undefined || !tokens.isValid(token, req.now)) return imdsError(401);
    const body = readMetadata(tree, req.path.slice('/latest/'.length), req.now);
    return body === undefined ? imdsError(404) : text(body);
  };

  return {
    signingName: '',
    protocol: 'rest-json',

    operation(req: LocalRequest): Operation | undefined {
      if (req.path !== '/latest' && !req.path.startsWith('/latest/')) return undefined;
      const name = req.path === TOKEN_PATH ? 'PutToken' : 'GetMetadata';
      return { action: `imds:${name}`, resource: '*', name };
    },

    handle(req: LocalRequest, operation: Operation): LocalResponse {
      // A token must not be obtainable through a proxy, so IMDSv2 refuses forwarded requests.
      if (header(req.headers, 'x-forwarded-for') !== undefined) return imdsError(403);
      if (operation.name === 'PutToken')
        return req.method === 'PUT' ? putToken(req) : imdsError(405);
      return req.method === 'GET' || req.method === 'HEAD' ? get(req) : imdsError(405);
    },
  };
}
