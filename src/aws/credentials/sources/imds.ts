/** The instance profile's role credentials from EC2 instance metadata (IMDSv2). */
import { envFlag } from '../../env.js';
import { ImdsClient, imdsEndpoint } from '../../imds/client.js';
import { CredentialSourceError } from '../errors.js';
import type { SourceContext, SourceResult } from './context.js';

export function imdsConfigured(ctx: SourceContext): string | undefined {
  return envFlag(ctx.env, 'AWS_EC2_METADATA_DISABLED')
    ? 'AWS_EC2_METADATA_DISABLED is true'
    : undefined;
}

interface ImdsCredentialsDocument {
  Code?: string;
  Message?: string;
  AccessKeyId?: string;
  SecretAccessKey?: string;
  Token?: string;
  Expiration?: string;
}

export async function fromInstanceMetadata(ctx: SourceContext): Promise<SourceResult> {
  const client = new ImdsClient(imdsEndpoint(ctx.env), Math.min(ctx.timeoutMs, 2000));
  const base = 'meta-data/iam/security-credentials/';
  const [list] = await client.read(base);
  const role = list!.split('\n')[0]?.trim();
  if (!role) {
    throw new CredentialSourceError('imds', 'The instance has no IAM role', {
      hint: 'attach an instance profile with a role to the instance',
    });
  }
  const [body] = await client.read(`${base}${role}`);
  let doc: ImdsCredentialsDocument;
  try {
    doc = JSON.parse(body!) as ImdsCredentialsDocument;
  } catch {
    throw new CredentialSourceError(
      'imds',
      `IMDS returned unreadable credentials for role ${role}`,
    );
  }
  if (doc.Code !== undefined && doc.Code !== 'Success') {
    throw new CredentialSourceError(
      'imds',
      `IMDS reports ${doc.Code} for role ${role}: ${doc.Message ?? ''}`,
    );
  }
  const expiration = doc.Expiration ? new Date(doc.Expiration) : undefined;
  if (
    !doc.AccessKeyId ||
    !doc.SecretAccessKey ||
    !expiration ||
    Number.isNaN(expiration.getTime())
  ) {
    throw new CredentialSourceError(
      'imds',
      `IMDS returned incomplete credentials for role ${role}`,
    );
  }
  return {
    credentials: {
      accessKeyId: doc.AccessKeyId,
      secretAccessKey: doc.SecretAccessKey,
      ...(doc.Token ? { sessionToken: doc.Token } : {}),
      expiration,
    },
    detail: `instance profile role ${role} (IMDSv2 at ${client.endpoint})`,
  };
}
