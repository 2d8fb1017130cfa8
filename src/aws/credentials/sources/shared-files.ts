/**
 * `~/.aws/credentials` and `~/.aws/config`, as the SDKs and the AWS CLI read
 * them: `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE` and `AWS_PROFILE`, and
 * profiles with static keys, `credential_process`, `web_identity_token_file`,
 * or `role_arn` with `source_profile` or `credential_source`. Parsing is
 * smithy's loader; the resolution is Signet's, so every hop can be reported.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fromProcess } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { envValue } from '../../env.js';
import { assumeRole } from '../../sts/client.js';
import { stsEndpoint } from '../../sts/endpoint.js';
import { CredentialSourceError } from '../errors.js';
import type { SourceName } from '../types.js';
import { defaultSessionName, homeDir, type SourceContext, type SourceResult } from './context.js';
import { fromContainer } from './container.js';
import { fromEnvironment } from './env.js';
import { fromInstanceMetadata } from './imds.js';
import { staticProvider } from './static.js';
import { fromWebIdentity } from './web-identity.js';

type Profile = Readonly<Record<string, string | undefined>>;

export interface SharedFiles {
  readonly credentialsPath: string;
  readonly configPath: string;
  readonly profiles: Readonly<Record<string, Profile>>;
}

export function sharedFilePaths(ctx: SourceContext): { credentials: string; config: string } {
  const home = homeDir(ctx.env) ?? '';
  return {
    credentials:
      envValue(ctx.env, 'AWS_SHARED_CREDENTIALS_FILE') ?? join(home, '.aws', 'credentials'),
    config: envValue(ctx.env, 'AWS_CONFIG_FILE') ?? join(home, '.aws', 'config'),
  };
}

/** Both files, merged per profile (the credentials file wins, as in the SDKs); read afresh each time. */
export async function loadSharedFiles(ctx: SourceContext): Promise<SharedFiles> {
  const paths = sharedFilePaths(ctx);
  const { configFile, credentialsFile } = await loadSharedConfigFiles({
    filepath: paths.credentials,
    configFilepath: paths.config,
    ignoreCache: true,
  });
  const profiles: Record<string, Profile> = {};
  for (const [name, values] of Object.entries(configFile)) profiles[name] = { ...values };
  for (const [name, values] of Object.entries(credentialsFile))
    profiles[name] = { ...profiles[name], ...values };
  return { credentialsPath: paths.credentials, configPath: paths.config, profiles };
}

/** Why the `shared-files` source does not apply, or undefined when it does. */
export function sharedFilesConfigured(ctx: SourceContext, files: SharedFiles): string | undefined {
  const name = envValue(ctx.env, 'AWS_PROFILE') ?? 'default';
  if (files.profiles[name]) return undefined;
  const present = [files.credentialsPath, files.configPath].filter((p) => existsSync(p));
  return present.length === 0
    ? `neither ${files.credentialsPath} nor ${files.configPath} exists`
    : `no profile "${name}" in ${present.join(' or ')}`;
}

export function sharedFilesProfileName(ctx: SourceContext): string {
  return envValue(ctx.env, 'AWS_PROFILE') ?? 'default';
}

function fail(source: SourceName, message: string, hint: string): CredentialSourceError {
  return new CredentialSourceError(source, message, { hint });
}

function duration(profile: Profile): number | undefined {
  const value = profile.duration_seconds;
  return value === undefined ? undefined : Number.parseInt(value, 10);
}

export async function fromProfile(
  ctx: SourceContext,
  files: SharedFiles,
  name: string,
  source: SourceName,
  visited: readonly string[] = [],
): Promise<SourceResult> {
  const profile = files.profiles[name];
  const where = `${files.credentialsPath} or ${files.configPath}`;
  if (!profile)
    throw fail(
      source,
      `Profile "${name}" is not in ${where}`,
      `add [${name}] to ${files.credentialsPath}, or [profile ${name}] to ${files.configPath}`,
    );
  const watchFiles = [files.credentialsPath, files.configPath];
  const region = profile.region;
  const done = (r: SourceResult): SourceResult => ({
    ...r,
    watchFiles,
    ...(region ? { region } : {}),
  });

  if (profile.role_arn) {
    const roleArn = profile.role_arn;
    if (profile.web_identity_token_file && !profile.source_profile) {
      const r = await fromWebIdentity(ctx, {
        tokenFile: profile.web_identity_token_file,
        roleArn,
        sessionName: profile.role_session_name,
        durationSeconds: duration(profile),
        region: region ?? ctx.region,
      });
      return done({ ...r, detail: `profile ${name}: ${r.detail}` });
    }
    const base = await profileBase(ctx, files, name, profile, source, visited);
    const endpoint = stsEndpoint({
      region: region ?? ctx.region ?? 'us-east-1',
      fips: ctx.useFipsStsEndpoint ?? false,
      ...(ctx.stsEndpoint ? { endpoint: ctx.stsEndpoint } : {}),
      env: ctx.env,
    });
    const assumed = await assumeRole(
      staticProvider(base.credentials, source),
      {
        roleArn,
        sessionName: profile.role_session_name ?? defaultSessionName(),
        externalId: profile.external_id,
        durationSeconds: duration(profile),
      },
      { endpoint, clock: ctx.clock, timeoutMs: ctx.timeoutMs },
    );
    const withId = profile.external_id ? ' with external_id' : '';
    return done({
      credentials: assumed.credentials,
      detail: `profile ${name}: role ${roleArn}${withId} assumed with ${base.detail}`,
    });
  }
  if (profile.credential_process) {
    const paths = { filepath: files.credentialsPath, configFilepath: files.configPath };
    try {
      const c = await fromProcess({ profile: name, ...paths, ignoreCache: true })();
      return done({
        credentials: {
          accessKeyId: c.accessKeyId,
          secretAccessKey: c.secretAccessKey,
          ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
          ...(c.expiration ? { expiration: c.expiration } : {}),
        },
        detail: `profile ${name}: credential_process`,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw fail(
        source,
        `Profile ${name}: credential_process failed: ${message}`,
        'run the command by hand to see its error; it must print the JSON of Version 1',
      );
    }
  }
  if (profile.aws_access_key_id || profile.aws_secret_access_key) {
    if (!profile.aws_access_key_id || !profile.aws_secret_access_key) {
      const missing = profile.aws_access_key_id ? 'aws_secret_access_key' : 'aws_access_key_id';
      throw fail(
        source,
        `Profile ${name} has no ${missing}`,
        `add ${missing} to [${name}] in ${files.credentialsPath}`,
      );
    }
    return done({
      credentials: {
        accessKeyId: profile.aws_access_key_id,
        secretAccessKey: profile.aws_secret_access_key,
        ...(profile.aws_session_token ? { sessionToken: profile.aws_session_token } : {}),
      },
      detail: `profile ${name}: keys in ${files.credentialsPath}`,
    });
  }
  if (profile.sso_session || profile.sso_start_url) {
    throw fail(
      source,
      `Profile ${name} uses AWS IAM Identity Center (SSO), which Signet does not read`,
      'an agent cannot log in interactively: use a role (IRSA, instance profile) or credential_process',
    );
  }
  throw fail(
    source,
    `Profile ${name} holds no credentials`,
    'give it aws_access_key_id and aws_secret_access_key, role_arn with source_profile or credential_source, web_identity_token_file, or credential_process',
  );
}

/** The credentials a profile's `role_arn` is assumed with. */
async function profileBase(
  ctx: SourceContext,
  files: SharedFiles,
  name: string,
  profile: Profile,
  source: SourceName,
  visited: readonly string[],
): Promise<SourceResult> {
  const sourceProfile = profile.source_profile;
  if (sourceProfile) {
    if (visited.includes(sourceProfile) || (sourceProfile === name && !profile.aws_access_key_id))
      throw fail(
        source,
        `Profiles loop through source_profile: ${[...visited, name, sourceProfile].join(' → ')}`,
        'make the last profile of the chain hold keys or a credential_source',
      );
    if (sourceProfile === name) {
      const keysOnly = { ...profile, role_arn: undefined };
      return fromProfile(
        ctx,
        { ...files, profiles: { ...files.profiles, [name]: keysOnly } },
        name,
        source,
        [...visited, name],
      );
    }
    return fromProfile(ctx, files, sourceProfile, source, [...visited, name]);
  }
  switch (profile.credential_source) {
    case 'Environment':
      return fromEnvironment(ctx);
    case 'Ec2InstanceMetadata':
      return fromInstanceMetadata(ctx);
    case 'EcsContainer':
      return fromContainer(ctx);
    case undefined:
      throw fail(
        source,
        `Profile ${name} has role_arn but no source_profile, credential_source or web_identity_token_file`,
        'say where the credentials that assume the role come from',
      );
    default:
      throw fail(
        source,
        `Profile ${name} has credential_source = ${profile.credential_source}`,
        'use Environment, Ec2InstanceMetadata or EcsContainer',
      );
  }
}
