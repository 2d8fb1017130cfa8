/**
 * ECS task roles and EKS Pod Identity: the SDK's `fromHttp` does the fetching
 * and the endpoint checks; Signet passes it the injected environment's values.
 */
import { fromHttp } from '@aws-sdk/credential-providers';
import { envValue } from '../../env.js';
import { CredentialSourceError } from '../errors.js';
import type { SourceContext, SourceResult } from './context.js';

export function containerConfigured(ctx: SourceContext): string | undefined {
  if (
    envValue(ctx.env, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI') ||
    envValue(ctx.env, 'AWS_CONTAINER_CREDENTIALS_FULL_URI')
  )
    return undefined;
  return 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set';
}

export async function fromContainer(ctx: SourceContext): Promise<SourceResult> {
  const relative = envValue(ctx.env, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI');
  const full = envValue(ctx.env, 'AWS_CONTAINER_CREDENTIALS_FULL_URI');
  const token = envValue(ctx.env, 'AWS_CONTAINER_AUTHORIZATION_TOKEN');
  const tokenFile = envValue(ctx.env, 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE');
  const where = relative ? `http://169.254.170.2${relative}` : (full ?? '');
  try {
    const credentials = await fromHttp({
      ...(relative ? { awsContainerCredentialsRelativeUri: relative } : {}),
      ...(full && !relative ? { awsContainerCredentialsFullUri: full } : {}),
      ...(tokenFile ? { awsContainerAuthorizationTokenFile: tokenFile } : {}),
      ...(token && !tokenFile ? { awsContainerAuthorizationToken: token } : {}),
      timeout: Math.min(ctx.timeoutMs, 2000),
      maxRetries: 1,
    })();
    return {
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
        ...(credentials.expiration ? { expiration: credentials.expiration } : {}),
      },
      detail: `container credentials endpoint ${where}${tokenFile || token ? ' with an authorization token' : ''}`,
      ...(tokenFile ? { watchFiles: [tokenFile] } : {}),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CredentialSourceError(
      'container',
      `The container credentials endpoint ${where} failed: ${message}`,
      {
        hint: 'check the ECS task role or the EKS Pod Identity association, and AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)',
        cause: error,
      },
    );
  }
}
