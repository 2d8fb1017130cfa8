/** Errors of the credential chain; they name sources and files, never secrets. */
import { SignetError } from '../../errors.js';
import type { SourceAttempt, SourceName } from './types.js';

/** One source was configured but could not produce credentials. */
export class CredentialSourceError extends SignetError {
  readonly source: SourceName;

  constructor(source: SourceName, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options);
    this.source = source;
  }
}

/** No source in the chain produced credentials. */
export class NoCredentialsError extends SignetError {
  readonly chain: readonly SourceAttempt[];

  constructor(chain: readonly SourceAttempt[]) {
    const failed = chain.filter((a) => a.outcome === 'failed');
    const summary = chain.map((a) => `${a.source}: ${a.detail}`).join('; ');
    super(`No AWS credentials found (${summary})`, {
      hint:
        failed.length > 0
          ? `fix the ${failed.map((a) => a.source).join(', ')} source, or configure keys, a profile or a role`
          : 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile in ~/.aws/credentials, IRSA (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN), or run on EC2/ECS with a role',
    });
    this.chain = chain;
  }
}
