/**
 * The checks `signet doctor` runs for one destination: credentials, identity,
 * clock, and a signed probe, each turned into plain data for the report.
 */
import type { CorrectedClock } from '../aws/clock.js';
import type { LayeredProvider } from '../aws/credentials/provider.js';
import type { SourceAttempt } from '../aws/credentials/types.js';
import { NoCredentialsError } from '../aws/credentials/errors.js';
import type { Env } from '../aws/env.js';
import { AwsError } from '../aws/errors/index.js';
import { AwsClient } from '../aws/http/aws-client.js';
import type { Permission } from '../aws/permissions/log-sinks.js';
import { stsEndpoint } from '../aws/sts/endpoint.js';
import { parseCallerIdentityXml, type CallerIdentity } from '../aws/sts/xml.js';
import { SignetError } from '../errors.js';
import { remoteWriteProbe } from '../sinks/remote-write/index.js';

export interface CredentialsReport {
  readonly source: string | null;
  readonly chain: readonly SourceAttempt[];
  readonly accessKeyId: string | null;
  readonly expiration: string | null;
  readonly error: string | null;
}

export interface ProblemReport {
  readonly code: string;
  readonly kind: string;
  readonly status: number | null;
  readonly requestId: string | null;
  readonly message: string;
  readonly hint: string | null;
}

export interface ProbeReport {
  readonly ok: boolean;
  readonly status: number | null;
  readonly problem: ProblemReport | null;
  /** For a logs destination: the call sent, e.g. `DescribeLogGroups`. */
  readonly operation?: string;
  /** What the probe found, in plain words: "log group app exists (retention 30 days)". */
  readonly found?: string;
  /** When AWS refused the probe: the permission the credentials lack. */
  readonly missing?: Permission;
  /** For a logs destination: every permission `signet run` needs to send there. */
  readonly needs?: readonly Permission[];
}

export function problemOf(error: unknown): ProblemReport {
  if (error instanceof AwsError) {
    return {
      code: error.code,
      kind: error.kind,
      status: error.status,
      requestId: error.requestId ?? null,
      message: error.message,
      hint: error.hint ?? null,
    };
  }
  if (error instanceof SignetError) {
    const code = (error as { code?: unknown }).code;
    return {
      code: typeof code === 'string' ? code : error.name,
      kind: error instanceof NoCredentialsError ? 'no-credentials' : 'error',
      status: null,
      requestId: null,
      message: error.message,
      hint: error.hint ?? null,
    };
  }
  return {
    code: 'Error',
    kind: 'error',
    status: null,
    requestId: null,
    message: error instanceof Error ? error.message : String(error),
    hint: null,
  };
}

export async function checkCredentials(provider: LayeredProvider): Promise<CredentialsReport> {
  let error: string | null = null;
  try {
    await provider.get();
  } catch (e) {
    error = e instanceof SignetError ? e.toUserString() : String(e);
  }
  const status = provider.status();
  const chain = status.chain.length > 0 ? status.chain : chainOf(provider);
  return {
    source: status.source ?? null,
    chain,
    accessKeyId: status.accessKeyId ?? null,
    expiration: status.expiration?.toISOString() ?? null,
    error,
  };
}

/** When resolution failed, the chain lives in the error the base layer kept. */
function chainOf(provider: LayeredProvider): readonly SourceAttempt[] {
  for (const layer of provider.layers) {
    const chain = layer.lastFailureChain();
    if (chain) return chain;
  }
  return [];
}

export interface IdentityReport {
  readonly identity: CallerIdentity | null;
  /** AWS's `Date` minus the local clock, in whole seconds; null when STS was not reached. */
  readonly clockOffsetSeconds: number | null;
  readonly stsEndpoint: string;
  readonly problem: ProblemReport | null;
}

export async function checkIdentity(
  provider: LayeredProvider,
  region: string,
  clock: CorrectedClock,
  env: Env,
  stsEndpointOverride: string | undefined,
): Promise<IdentityReport> {
  const endpoint = stsEndpoint({
    region,
    env,
    ...(stsEndpointOverride ? { endpoint: stsEndpointOverride } : {}),
  });
  const client = new AwsClient({
    service: 'sts',
    region,
    credentials: provider,
    clock,
    timeoutMs: 5000,
  });
  const sentAt = clock.localNow();
  try {
    const res = await client.send({
      method: 'POST',
      url: `${endpoint.url}/`,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    const midpoint = (sentAt + clock.localNow()) / 2;
    // `Date` is cut to the second: AWS's time lies somewhere in the second it names.
    const date = res.headers.date ? Date.parse(res.headers.date) + 500 : Number.NaN;
    const offset = (date - midpoint) / 1000;
    return {
      identity: parseCallerIdentityXml(res.body.toString('utf8')),
      clockOffsetSeconds: Number.isNaN(offset)
        ? null
        : Math.abs(offset) < 1
          ? 0
          : Math.round(offset),
      stsEndpoint: endpoint.url,
      problem: null,
    };
  } catch (error) {
    const offset = clock.offsetMs === 0 ? null : Math.round(clock.offsetMs / 1000);
    return {
      identity: null,
      clockOffsetSeconds: offset,
      stsEndpoint: endpoint.url,
      problem: problemOf(error),
    };
  }
}

export async function probe(
  url: string,
  kind: 'remote_write' | 'url',
  client: AwsClient,
): Promise<ProbeReport> {
  try {
    const res =
      kind === 'remote_write'
        ? await client.send({ method: 'POST', url, ...remoteWriteProbe() })
        : await client.send({ method: 'GET', url });
    return { ok: true, status: res.status, problem: null };
  } catch (error) {
    return {
      ok: false,
      status: error instanceof AwsError ? error.status : null,
      problem: problemOf(error),
    };
  }
}
