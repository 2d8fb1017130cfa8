/**
 * The three STS calls Signet makes. Written on Signet's own signer and sender
 * rather than the SDK's STS client so that role assumption shares the clock
 * correction, the error explanations and the endpoint rules of every other
 * AWS request Signet sends.
 */
import type { CorrectedClock } from '../clock.js';
import type { CredentialProvider } from '../credentials/types.js';
import { parseAwsError } from '../errors/index.js';
import { AwsClient } from '../http/aws-client.js';
import { httpRequest } from '../http/request.js';
import {
  parseAssumeRoleXml,
  parseCallerIdentityXml,
  type AssumedRole,
  type CallerIdentity,
} from './xml.js';
import type { StsEndpoint } from './endpoint.js';

const VERSION = '2011-06-15';
const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

export interface StsCallOptions {
  readonly endpoint: StsEndpoint;
  readonly clock?: CorrectedClock;
  readonly timeoutMs?: number;
}

export interface AssumeRoleParams {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly externalId?: string | undefined;
  readonly durationSeconds?: number | undefined;
}

function form(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.set(key, String(value));
  }
  return search.toString();
}

function client(credentials: CredentialProvider, options: StsCallOptions): AwsClient {
  return new AwsClient({
    service: 'sts',
    region: options.endpoint.region,
    credentials,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}

export async function assumeRole(
  base: CredentialProvider,
  params: AssumeRoleParams,
  options: StsCallOptions,
): Promise<AssumedRole> {
  const response = await client(base, options).send({
    method: 'POST',
    url: `${options.endpoint.url}/`,
    headers: FORM,
    body: form({
      Action: 'AssumeRole',
      Version: VERSION,
      RoleArn: params.roleArn,
      RoleSessionName: params.sessionName,
      ExternalId: params.externalId,
      DurationSeconds: params.durationSeconds,
    }),
  });
  return parseAssumeRoleXml(response.body.toString('utf8'), 'AssumeRole');
}

/** Unsigned: the web identity token is the authority. */
export async function assumeRoleWithWebIdentity(
  params: AssumeRoleParams & { readonly token: string },
  options: StsCallOptions,
): Promise<AssumedRole> {
  const url = `${options.endpoint.url}/`;
  const response = await httpRequest({
    method: 'POST',
    url,
    headers: FORM,
    body: form({
      Action: 'AssumeRoleWithWebIdentity',
      Version: VERSION,
      RoleArn: params.roleArn,
      RoleSessionName: params.sessionName,
      WebIdentityToken: params.token,
      DurationSeconds: params.durationSeconds,
    }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  if (response.status !== 200) {
    throw parseAwsError(response, {
      url,
      method: 'POST',
      service: 'sts',
      region: options.endpoint.region,
      credentialSource: 'web-identity',
    });
  }
  return parseAssumeRoleXml(response.body.toString('utf8'), 'AssumeRoleWithWebIdentity');
}

export async function getCallerIdentity(
  credentials: CredentialProvider,
  options: StsCallOptions,
): Promise<CallerIdentity> {
  const response = await client(credentials, options).send({
    method: 'POST',
    url: `${options.endpoint.url}/`,
    headers: FORM,
    body: form({ Action: 'GetCallerIdentity', Version: VERSION }),
  });
  return parseCallerIdentityXml(response.body.toString('utf8'));
}
