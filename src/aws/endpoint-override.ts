/**
 * AWS's standard way to redirect a client: `AWS_ENDPOINT_URL_<SERVICE>` and then
 * `AWS_ENDPOINT_URL`, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is set. The
 * signature's service and region stay the real service's; only the URL moves.
 */
import { envFlag, envValue, type Env } from './env.js';

// The SDKs name the variable after the service id, not the signing name.
const SERVICE_IDS: Readonly<Record<string, string>> = {
  aps: 'AMP',
  logs: 'CLOUDWATCH_LOGS',
  monitoring: 'CLOUDWATCH',
  firehose: 'FIREHOSE',
  kinesis: 'KINESIS',
  xray: 'XRAY',
  s3: 'S3',
  sts: 'STS',
  ec2: 'EC2',
  'execute-api': 'API_GATEWAY',
};

/** The environment variable that redirects one service, e.g. `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`. */
export function endpointVariable(signingName: string): string {
  const id = SERVICE_IDS[signingName] ?? signingName.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return `AWS_ENDPOINT_URL_${id}`;
}

export interface EndpointOverride {
  readonly url: string;
  /** Where it came from: the variable's name. */
  readonly from: string;
}

// Names the guides use besides the SDKs' own, read after it: `AWS_ENDPOINT_URL_LOGS`.
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  logs: ['AWS_ENDPOINT_URL_LOGS'],
};

export function endpointOverride(signingName: string, env: Env): EndpointOverride | undefined {
  if (envFlag(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS')) return undefined;
  const names = [
    endpointVariable(signingName),
    ...(ALIASES[signingName] ?? []),
    'AWS_ENDPOINT_URL',
  ];
  for (const name of names) {
    const url = envValue(env, name);
    if (url) return { url: url.replace(/\/+$/, ''), from: name };
  }
  return undefined;
}
