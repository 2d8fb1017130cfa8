/**
 * `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`. Read from
 * the injected environment rather than through the SDK's `fromEnv`, which only
 * sees `process.env`; the variables and their meaning are the SDK's.
 */
import { envValue } from '../../env.js';
import { CredentialSourceError } from '../errors.js';
import type { SourceContext, SourceResult } from './context.js';

export function envConfigured(ctx: SourceContext): string | undefined {
  const id = envValue(ctx.env, 'AWS_ACCESS_KEY_ID');
  const secret = envValue(ctx.env, 'AWS_SECRET_ACCESS_KEY');
  if (!id && !secret) return 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set';
  return undefined;
}

export function fromEnvironment(ctx: SourceContext): SourceResult {
  const accessKeyId = envValue(ctx.env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = envValue(ctx.env, 'AWS_SECRET_ACCESS_KEY');
  if (!accessKeyId || !secretAccessKey) {
    const missing = accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID';
    throw new CredentialSourceError('env', `${missing} is not set, but its partner is`, {
      hint: 'set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither',
    });
  }
  const sessionToken = envValue(ctx.env, 'AWS_SESSION_TOKEN');
  const expiry = envValue(ctx.env, 'AWS_CREDENTIAL_EXPIRATION');
  const expiration = expiry ? new Date(expiry) : undefined;
  return {
    credentials: {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken ? { sessionToken } : {}),
      ...(expiration && !Number.isNaN(expiration.getTime()) ? { expiration } : {}),
    },
    detail: sessionToken
      ? 'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN'
      : 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
  };
}
