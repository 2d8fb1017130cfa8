/**
 * The credential options `signet sign` and `signet doctor` share, resolved
 * through the same chain the agent uses.
 */
import type { CorrectedClock } from '../aws/clock.js';
import { NoCredentialsError } from '../aws/credentials/errors.js';
import { createCredentialProvider, type LayeredProvider } from '../aws/credentials/provider.js';
import type { CredentialSpec } from '../aws/credentials/spec.js';
import type { AwsCredentials } from '../aws/sigv4/types.js';
import { SignetError } from '../errors.js';
import { UsageError } from './usage-error.js';

export const CREDENTIAL_OPTIONS = {
  'access-key-id': { type: 'string' },
  'secret-access-key': { type: 'string' },
  'session-token': { type: 'string' },
  profile: { type: 'string' },
  'role-arn': { type: 'string' },
  'external-id': { type: 'string' },
  'sts-endpoint': { type: 'string' },
} as const;

export const CREDENTIAL_USAGE = `      --access-key-id ID, --secret-access-key KEY, --session-token TOKEN
                           explicit credentials; otherwise the AWS chain: environment,
                           web identity (IRSA), ~/.aws files, container, EC2 instance metadata
      --profile NAME       a profile of ~/.aws/credentials or ~/.aws/config
      --role-arn ARN       assume this role with the credentials found
      --external-id ID     the role's external id
      --sts-endpoint URL   where STS calls go (default: the region's STS endpoint)`;

export interface CredentialFlags {
  readonly 'access-key-id'?: string | undefined;
  readonly 'secret-access-key'?: string | undefined;
  readonly 'session-token'?: string | undefined;
  readonly profile?: string | undefined;
  readonly 'role-arn'?: string | undefined;
  readonly 'external-id'?: string | undefined;
  readonly 'sts-endpoint'?: string | undefined;
}

export function credentialSpec(o: CredentialFlags): CredentialSpec {
  if (Boolean(o['access-key-id']) !== Boolean(o['secret-access-key'])) {
    throw new UsageError('--access-key-id and --secret-access-key go together', {
      hint: 'give both, or neither to use the AWS credential chain',
    });
  }
  if (o['external-id'] && !o['role-arn']) {
    throw new UsageError('--external-id needs --role-arn', { hint: 'name the role to assume' });
  }
  return {
    accessKeyId: o['access-key-id'],
    secretAccessKey: o['secret-access-key'],
    sessionToken: o['session-token'],
    profile: o.profile,
    stsEndpoint: o['sts-endpoint'],
    ...(o['role-arn'] ? { roles: [{ roleArn: o['role-arn'], externalId: o['external-id'] }] } : {}),
  };
}

/** Credentials and where they came from, in words (never the secret). */
export interface SourcedCredentials {
  readonly credentials: AwsCredentials;
  readonly source: string;
}

/** One-line wording of the winning source, e.g. `env (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`. */
export function describeSource(provider: LayeredProvider): string {
  const used = provider.status().chain.filter((a) => a.outcome === 'used');
  return used.map((a) => `${a.source} (${a.detail})`).join(', then ');
}

export async function resolveCredentials(
  o: CredentialFlags,
  env: NodeJS.ProcessEnv,
  region: string | undefined,
  clock?: CorrectedClock,
): Promise<{ sourced: SourcedCredentials; provider: LayeredProvider }> {
  const spec = credentialSpec(o);
  const provider = createCredentialProvider(spec, {
    env,
    region,
    timeoutMs: 2000,
    ...(clock ? { clock } : {}),
  });
  try {
    const credentials = await provider.get();
    const source = spec.accessKeyId ? 'command-line options' : describeSource(provider);
    return { sourced: { credentials, source }, provider };
  } catch (error) {
    provider.close();
    if (error instanceof NoCredentialsError || error instanceof SignetError) throw error;
    throw new SignetError(`Could not get AWS credentials: ${String(error)}`);
  }
}
