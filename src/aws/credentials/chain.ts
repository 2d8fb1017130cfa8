/**
 * The order in which Signet looks for base credentials, as the AWS SDKs do,
 * recording for each source why it was skipped, how it failed, or what it gave.
 * Explicit keys and an explicit profile are final: when configured, nothing
 * else is contacted, and their failure is not papered over with another identity.
 */
import { CredentialSourceError, NoCredentialsError } from './errors.js';
import type { CredentialSpec } from './spec.js';
import { containerConfigured, fromContainer } from './sources/container.js';
import type { SourceContext, SourceResult } from './sources/context.js';
import { envConfigured, fromEnvironment } from './sources/env.js';
import { fromInstanceMetadata, imdsConfigured } from './sources/imds.js';
import {
  fromProfile,
  loadSharedFiles,
  sharedFilesConfigured,
  sharedFilesProfileName,
} from './sources/shared-files.js';
import { fromWebIdentityEnv, webIdentityConfigured } from './sources/web-identity.js';
import type { Resolution, SourceAttempt, SourceName } from './types.js';

interface ChainStep {
  readonly source: SourceName;
  /** Why it does not apply, or undefined when it should be tried. */
  readonly skip: () => Promise<string | undefined> | string | undefined;
  readonly resolve: () => Promise<SourceResult> | SourceResult;
}

function describe(error: unknown): string {
  if (error instanceof CredentialSourceError || error instanceof Error) {
    const hint = (error as { hint?: string }).hint;
    return hint ? `${error.message} (${hint})` : error.message;
  }
  return String(error);
}

export async function resolveBaseCredentials(
  spec: CredentialSpec,
  ctx: SourceContext,
): Promise<Resolution> {
  const chain: SourceAttempt[] = [];
  const used = (source: SourceName, r: SourceResult): Resolution => {
    chain.push({ source, outcome: 'used', detail: r.detail });
    return {
      credentials: r.credentials,
      source,
      chain,
      ...(r.watchFiles ? { watchFiles: r.watchFiles } : {}),
      ...(r.region ? { region: r.region } : {}),
    };
  };

  if (spec.accessKeyId || spec.secretAccessKey) {
    if (!spec.accessKeyId || !spec.secretAccessKey)
      throw new CredentialSourceError(
        'config',
        'Only one of the access key id and the secret key is configured',
        {
          hint: 'configure both access_key_id and secret_access_key, or neither',
        },
      );
    return used('config', {
      credentials: {
        accessKeyId: spec.accessKeyId,
        secretAccessKey: spec.secretAccessKey,
        ...(spec.sessionToken ? { sessionToken: spec.sessionToken } : {}),
      },
      detail: 'keys in the configuration',
    });
  }
  chain.push({ source: 'config', outcome: 'skipped', detail: 'no keys in the configuration' });

  if (spec.profile) {
    try {
      const files = await loadSharedFiles(ctx);
      return used('profile', await fromProfile(ctx, files, spec.profile, 'profile'));
    } catch (error) {
      chain.push({ source: 'profile', outcome: 'failed', detail: describe(error) });
      throw new NoCredentialsError(chain);
    }
  }
  chain.push({ source: 'profile', outcome: 'skipped', detail: 'no profile in the configuration' });

  const steps: ChainStep[] = [
    { source: 'env', skip: () => envConfigured(ctx), resolve: () => fromEnvironment(ctx) },
    {
      source: 'web-identity',
      skip: () => webIdentityConfigured(ctx),
      resolve: () => fromWebIdentityEnv(ctx),
    },
    {
      source: 'shared-files',
      skip: async () => sharedFilesConfigured(ctx, await loadSharedFiles(ctx)),
      resolve: async () =>
        fromProfile(ctx, await loadSharedFiles(ctx), sharedFilesProfileName(ctx), 'shared-files'),
    },
    {
      source: 'container',
      skip: () => containerConfigured(ctx),
      resolve: () => fromContainer(ctx),
    },
    { source: 'imds', skip: () => imdsConfigured(ctx), resolve: () => fromInstanceMetadata(ctx) },
  ];
  for (const step of steps) {
    let reason: string | undefined;
    try {
      reason = await step.skip();
    } catch (error) {
      reason = undefined;
      chain.push({ source: step.source, outcome: 'failed', detail: describe(error) });
      continue;
    }
    if (reason !== undefined) {
      chain.push({ source: step.source, outcome: 'skipped', detail: reason });
      continue;
    }
    try {
      return used(step.source, await step.resolve());
    } catch (error) {
      chain.push({ source: step.source, outcome: 'failed', detail: describe(error) });
    }
  }
  throw new NoCredentialsError(chain);
}
