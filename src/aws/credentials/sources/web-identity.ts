/**
 * Web identity (EKS IRSA and any OIDC token file): the token file is read anew
 * on every refresh, because kubelet rotates it, and exchanged at STS for the
 * role's credentials.
 */
import { readFileSync } from 'node:fs';
import { envValue } from '../../env.js';
import { assumeRoleWithWebIdentity } from '../../sts/client.js';
import { stsEndpoint } from '../../sts/endpoint.js';
import { CredentialSourceError } from '../errors.js';
import { defaultSessionName, type SourceContext, type SourceResult } from './context.js';

export interface WebIdentityParams {
  readonly tokenFile: string;
  readonly roleArn: string;
  readonly sessionName?: string | undefined;
  readonly durationSeconds?: number | undefined;
  /** The region whose STS endpoint is called; the destination's when unset. */
  readonly region?: string | undefined;
}

export function webIdentityConfigured(ctx: SourceContext): string | undefined {
  const file = envValue(ctx.env, 'AWS_WEB_IDENTITY_TOKEN_FILE');
  const role = envValue(ctx.env, 'AWS_ROLE_ARN');
  if (!file && !role) return 'AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set';
  return undefined;
}

export function fromWebIdentityEnv(ctx: SourceContext): Promise<SourceResult> {
  const tokenFile = envValue(ctx.env, 'AWS_WEB_IDENTITY_TOKEN_FILE');
  const roleArn = envValue(ctx.env, 'AWS_ROLE_ARN');
  if (!tokenFile || !roleArn) {
    const missing = tokenFile ? 'AWS_ROLE_ARN' : 'AWS_WEB_IDENTITY_TOKEN_FILE';
    return Promise.reject(
      new CredentialSourceError('web-identity', `${missing} is not set, but its partner is`, {
        hint: "IRSA sets both: check the service account's eks.amazonaws.com/role-arn annotation and that the pod was restarted after adding it",
      }),
    );
  }
  return fromWebIdentity(ctx, {
    tokenFile,
    roleArn,
    sessionName: envValue(ctx.env, 'AWS_ROLE_SESSION_NAME'),
  });
}

export async function fromWebIdentity(
  ctx: SourceContext,
  params: WebIdentityParams,
): Promise<SourceResult> {
  let token: string;
  try {
    token = readFileSync(params.tokenFile, 'utf8').trim();
  } catch (error) {
    throw new CredentialSourceError(
      'web-identity',
      `Cannot read the web identity token file ${params.tokenFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { hint: 'check that the projected service account token is mounted and readable by Signet' },
    );
  }
  if (token === '') {
    throw new CredentialSourceError(
      'web-identity',
      `The web identity token file ${params.tokenFile} is empty`,
      {
        hint: 'the token is written by kubelet or your OIDC provider; check that it is being issued',
      },
    );
  }
  const region = params.region ?? ctx.region ?? 'us-east-1';
  const endpoint = stsEndpoint({
    region,
    fips: ctx.useFipsStsEndpoint ?? false,
    ...(ctx.stsEndpoint ? { endpoint: ctx.stsEndpoint } : {}),
    env: ctx.env,
  });
  const assumed = await assumeRoleWithWebIdentity(
    {
      roleArn: params.roleArn,
      sessionName: params.sessionName ?? defaultSessionName(),
      durationSeconds: params.durationSeconds,
      token,
    },
    { endpoint, clock: ctx.clock, timeoutMs: ctx.timeoutMs },
  );
  return {
    credentials: assumed.credentials,
    detail: `${params.roleArn} with the token in ${params.tokenFile} (STS ${endpoint.url})`,
  };
}
