/**
 * The AWS signing blocks users already write: Prometheus's `sigv4:` and the
 * `aws_auth:` form of the Grafana Agent guides, turned into what the credential
 * chain and the signer need. Both spellings of each key are accepted in both
 * blocks, because guides mix them.
 */
import type { CredentialSpec, RoleHop } from '../aws/credentials/spec.js';
import type { SigningOptions } from '../aws/destination/types.js';
import { SignetError } from '../errors.js';
import { parseDuration } from './duration.js';
import { closest } from './yaml/did-you-mean.js';

export interface AwsAuth {
  readonly spec: CredentialSpec;
  readonly region: string | undefined;
  readonly service: string | undefined;
}

/** The block in the AWS layer's terms, for `createDestination` and `signedClient`. */
export function signingOptions(auth: AwsAuth): SigningOptions {
  return { service: auth.service, region: auth.region, credentials: auth.spec };
}

/** A bad value in a signing block; `path` is the key path, e.g. `metrics.global.remote_write[0].sigv4.region`. */
export class AwsAuthConfigError extends SignetError {
  constructor(
    readonly path: string,
    message: string,
    hint: string,
  ) {
    super(`${path}: ${message}`, { hint });
  }
}

const KNOWN = new Set([
  'region',
  'access_key',
  'secret_key',
  'access_key_id',
  'secret_access_key',
  'session_token',
  'profile',
  'role_arn',
  'external_id',
  'assume_role_duration',
  'role_session_name',
  'service_name',
  'sts_endpoint',
  'use_fips_sts_endpoint',
  'role_chain',
]);

/** What one `role_chain` hop may say; anything else would be dropped, so it is refused. */
const HOP_KEYS = [
  'role_arn',
  'external_id',
  'role_session_name',
  'session_name',
  'assume_role_duration',
] as const;

function refuseUnknownKeys(
  block: Record<string, unknown>,
  known: readonly string[],
  path: string,
): void {
  for (const key of Object.keys(block)) {
    if (known.includes(key)) continue;
    const near = closest(key, known);
    throw new AwsAuthConfigError(
      `${path}.${key}`,
      near ? `unknown key '${key}', did you mean '${near}'?` : `unknown key '${key}'`,
      near ? `rename it to ${near}` : `the keys are ${known.join(', ')}`,
    );
  }
}

function str(block: Record<string, unknown>, key: string, path: string): string | undefined {
  const value = block[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new AwsAuthConfigError(
      `${path}.${key}`,
      `must be a string, got ${typeof value}`,
      'quote the value',
    );
  return value;
}

function seconds(value: string | undefined, path: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined || ms % 1000 !== 0 || ms < 900_000 || ms > 43_200_000)
    throw new AwsAuthConfigError(
      path,
      `'${value}' is not a role session duration`,
      'give 15m to 12h, e.g. 15m or 1h',
    );
  return ms / 1000;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseAwsAuth(block: unknown, path: string): AwsAuth {
  if (!isRecord(block))
    throw new AwsAuthConfigError(path, 'must be a mapping', 'e.g. sigv4: { region: us-east-1 }');
  refuseUnknownKeys(block, [...KNOWN], path);
  const accessKeyId = str(block, 'access_key_id', path) ?? str(block, 'access_key', path);
  const secretAccessKey = str(block, 'secret_access_key', path) ?? str(block, 'secret_key', path);
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey))
    throw new AwsAuthConfigError(
      path,
      'has only one of the access key id and the secret key',
      'give both, or neither to use the credential chain',
    );
  const roles: RoleHop[] = [];
  const roleArn = str(block, 'role_arn', path);
  if (roleArn) {
    roles.push({
      roleArn,
      externalId: str(block, 'external_id', path),
      sessionName: str(block, 'role_session_name', path),
      durationSeconds: seconds(
        str(block, 'assume_role_duration', path),
        `${path}.assume_role_duration`,
      ),
    });
  } else if (block.external_id !== undefined) {
    throw new AwsAuthConfigError(
      `${path}.external_id`,
      'is set without role_arn',
      'external_id goes with the role it unlocks',
    );
  }
  const chain = block.role_chain;
  if (chain !== undefined) {
    if (!Array.isArray(chain))
      throw new AwsAuthConfigError(
        `${path}.role_chain`,
        'must be a list of roles',
        'e.g. role_chain: [{ role_arn: arn:aws:iam::…:role/x }]',
      );
    chain.forEach((hop, i) => {
      const at = `${path}.role_chain[${i}]`;
      if (!isRecord(hop))
        throw new AwsAuthConfigError(
          at,
          'must be a mapping with role_arn',
          'e.g. { role_arn: …, external_id: … }',
        );
      refuseUnknownKeys(hop, HOP_KEYS, at);
      const arn = str(hop, 'role_arn', at);
      if (!arn)
        throw new AwsAuthConfigError(at, 'has no role_arn', 'each hop names the role to assume');
      roles.push({
        roleArn: arn,
        externalId: str(hop, 'external_id', at),
        sessionName: str(hop, 'role_session_name', at) ?? str(hop, 'session_name', at),
        durationSeconds: seconds(
          str(hop, 'assume_role_duration', at),
          `${at}.assume_role_duration`,
        ),
      });
    });
  }
  const fips = block.use_fips_sts_endpoint;
  if (fips !== undefined && typeof fips !== 'boolean')
    throw new AwsAuthConfigError(
      `${path}.use_fips_sts_endpoint`,
      'must be true or false',
      'write true or false without quotes',
    );
  return {
    spec: {
      accessKeyId,
      secretAccessKey,
      sessionToken: str(block, 'session_token', path),
      profile: str(block, 'profile', path),
      stsEndpoint: str(block, 'sts_endpoint', path),
      useFipsStsEndpoint: fips,
      ...(roles.length > 0 ? { roles } : {}),
    },
    region: str(block, 'region', path),
    service: str(block, 'service_name', path),
  };
}
