/** Plain-words pieces the hints share: where credentials came from, whose key, which partition. */
import { maskCredential } from '../../redact.js';
import type { AwsRequestContext } from '../types.js';

const SOURCES: Readonly<Record<string, string>> = {
  env: 'the environment variables',
  environment: 'the environment variables',
  static: "Signet's config",
  config: "Signet's config",
  profile: 'the shared credentials file',
  'shared-ini': 'the shared credentials file',
  ini: 'the shared credentials file',
  'web-identity': 'the web identity token',
  imds: 'the EC2 instance profile',
  'assume-role': 'an assumed role',
  ecs: 'the container credentials endpoint',
  container: 'the container credentials endpoint',
  sso: 'IAM Identity Center',
  process: 'a credential_process',
};

/** Credential sources whose tokens Signet cannot renew by itself. */
export const STATIC_SOURCES: ReadonlySet<string> = new Set([
  'env',
  'environment',
  'static',
  'config',
  'profile',
  'shared-ini',
  'ini',
]);

export function sourceWords(source: string | undefined): string | undefined {
  if (!source) return undefined;
  return SOURCES[source] ?? `'${source}'`;
}

/** "key AKIA…WXYZ (from the environment …)", as much as the context tells. */
export function keyWords(context: AwsRequestContext): string {
  const key = context.accessKeyId ? `key ${maskCredential(context.accessKeyId)}` : 'the access key';
  const source = sourceWords(context.credentialSource);
  return source ? `${key} (from ${source})` : key;
}

export function partitionWords(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'the China partition (aws-cn)';
  if (region?.startsWith('us-gov-')) return 'the GovCloud partition (aws-us-gov)';
  if (region?.startsWith('us-iso')) return 'an isolated partition';
  return region ? 'the standard aws partition' : 'this partition';
}

/** "AWS's" or "AWS's logs endpoint in eu-west-1", to anchor a hint. */
export function endpointWords(context: AwsRequestContext): string {
  const service = context.expectedService ?? context.service;
  const region = context.expectedRegion ?? context.region;
  if (service && region) return `${service} in ${region}`;
  return service ?? region ?? 'AWS';
}
