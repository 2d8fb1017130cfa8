/** Reads the parts of STS's XML answers that the credential chain needs. */
import { XMLParser } from 'fast-xml-parser';
import { SignetError } from '../../errors.js';
import type { AwsCredentials } from '../sigv4/types.js';

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

function at(tree: unknown, path: readonly string[]): unknown {
  let node = tree;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function text(tree: unknown, path: readonly string[]): string | undefined {
  const value = at(tree, path);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function malformed(action: string): SignetError {
  return new SignetError(`STS answered ${action} with a body Signet cannot read`, {
    hint: 'the STS endpoint may be a proxy or something other than STS: check sts_endpoint and AWS_ENDPOINT_URL_STS',
  });
}

export interface AssumedRole {
  readonly credentials: AwsCredentials & { readonly expiration: Date };
  readonly assumedRoleArn: string | undefined;
}

/** `AssumeRoleResult` and `AssumeRoleWithWebIdentityResult` share this shape. */
export function parseAssumeRoleXml(body: string, action: string): AssumedRole {
  const result = at(parser.parse(body), [`${action}Response`, `${action}Result`]);
  const accessKeyId = text(result, ['Credentials', 'AccessKeyId']);
  const secretAccessKey = text(result, ['Credentials', 'SecretAccessKey']);
  const sessionToken = text(result, ['Credentials', 'SessionToken']);
  const expiration = text(result, ['Credentials', 'Expiration']);
  const expires = expiration ? new Date(expiration) : undefined;
  if (
    !accessKeyId ||
    !secretAccessKey ||
    !sessionToken ||
    !expires ||
    Number.isNaN(expires.getTime())
  )
    throw malformed(action);
  return {
    credentials: { accessKeyId, secretAccessKey, sessionToken, expiration: expires },
    assumedRoleArn: text(result, ['AssumedRoleUser', 'Arn']),
  };
}

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

export function parseCallerIdentityXml(body: string): CallerIdentity {
  const result = at(parser.parse(body), ['GetCallerIdentityResponse', 'GetCallerIdentityResult']);
  const account = text(result, ['Account']);
  const arn = text(result, ['Arn']);
  const userId = text(result, ['UserId']);
  if (!account || !arn || !userId) throw malformed('GetCallerIdentity');
  return { account, arn, userId };
}
