/**
 * How a block that talks to an endpoint authenticates: at most one way, and
 * its `sigv4`/`aws_auth` block parsed and placed for errors. Shared by
 * metrics' scrape configs and remote_write and logs' clients.
 */
import { AwsAuthConfigError, parseAwsAuth, type AwsAuth } from '../aws-auth.js';
import type { ConfigIssue } from '../yaml/config-error.js';
import { formatKeyPath, parseKeyPath } from '../yaml/issues.js';

/** The authentication keys of Prometheus's HTTP client block, plus Signet's signing blocks. */
export interface AuthBlock {
  readonly basic_auth?: unknown;
  readonly authorization?: { readonly sigv4?: unknown } | undefined;
  readonly bearer_token?: unknown;
  readonly bearer_token_file?: unknown;
  readonly sigv4?: unknown;
  readonly aws_auth?: unknown;
}

/** Where the signing block of `block` sits, if it has one. */
export function signingKeyPath(
  block: { sigv4?: unknown; aws_auth?: unknown; authorization?: { sigv4?: unknown } | undefined },
  path: PropertyKey[],
): PropertyKey[] {
  if (block.authorization?.sigv4 !== undefined) return [...path, 'authorization', 'sigv4'];
  return [...path, block.sigv4 !== undefined ? 'sigv4' : 'aws_auth'];
}

export function awsOf(
  block: { sigv4?: unknown; aws_auth?: unknown; authorization?: { sigv4?: unknown } | undefined },
  path: PropertyKey[],
  issues: ConfigIssue[],
  warnings: ConfigIssue[],
): AwsAuth | undefined {
  const present = (['sigv4', 'aws_auth'] as const).filter((k) => block[k] !== undefined);
  if (block.authorization?.sigv4 !== undefined) {
    warnings.push({
      path: [...path, 'authorization', 'sigv4'],
      message: 'sigv4 belongs beside authorization, not inside it; Signet uses it as sigv4:',
      hint: 'move the block up one level: sigv4: { region: … }',
    });
    present.push('sigv4');
  }
  if (present.length > 1) {
    issues.push({ path, message: 'has both sigv4 and aws_auth', hint: 'keep one of them' });
    return undefined;
  }
  const key = present[0];
  if (!key) return undefined;
  const raw = block.authorization?.sigv4 ?? block[key];
  const keyPath = signingKeyPath(block, path);
  try {
    return parseAwsAuth(raw ?? {}, formatKeyPath(keyPath));
  } catch (error) {
    if (!(error instanceof AwsAuthConfigError)) throw error;
    const message = error.message.slice(error.path.length + 2);
    issues.push({
      path: [...keyPath, ...parseKeyPath(error.path.slice(formatKeyPath(keyPath).length))],
      message,
      hint: error.hint ?? 'fix the value',
      atKey: message.startsWith('unknown key'),
    });
    return undefined;
  }
}

export function checkAuthExclusive(
  block: AuthBlock,
  path: PropertyKey[],
  issues: ConfigIssue[],
): void {
  const used = (
    [
      'basic_auth',
      'authorization',
      'bearer_token',
      'bearer_token_file',
      'sigv4',
      'aws_auth',
    ] as const
  ).filter(
    (k) =>
      block[k] !== undefined &&
      !(k === 'authorization' && block.authorization?.sigv4 !== undefined),
  );
  if (used.length > 1)
    issues.push({
      path,
      message: `sets ${used.join(' and ')}; at most one way to authenticate can be used`,
      hint: 'keep the one the endpoint expects',
    });
}
