/**
 * `signet doctor`: walks the credential chain and shows what each source gave,
 * who AWS says Signet is, how far the clock is off, and whether a signed probe
 * to each destination gets through, with the reason in plain words if not.
 */
import { parseArgs } from 'node:util';
import { CorrectedClock } from '../aws/clock.js';
import { CredentialRegistry } from '../aws/credentials/registry.js';
import { createDestination, type SigningOptions } from '../aws/destination/index.js';
import { inferEndpoint } from '../aws/endpoints.js';
import { resolveRegion } from '../aws/region.js';
import { signingOptions, type AwsAuth } from '../config/aws-auth.js';
import { loadAgentConfig } from '../config/agent/load.js';
import type { RemoteWriteTarget } from '../config/agent/types.js';
import { SignetError } from '../errors.js';
import { CREDENTIAL_OPTIONS, CREDENTIAL_USAGE, credentialSpec } from './credentials.js';
import {
  checkCredentials,
  checkIdentity,
  probe,
  type CredentialsReport,
  type IdentityReport,
  type ProbeReport,
} from './doctor-checks.js';
import { diagnoseIdentity } from './doctor-identity.js';
import { logsTargets } from './doctor-logs.js';
import type { BuildContext, Built, DestinationKind, DoctorTarget } from './doctor-target.js';
import { renderDoctorText } from './doctor-text.js';
import { UsageError } from './usage-error.js';

export const DOCTOR_USAGE = `Usage: signet doctor [--config.file FILE | --url URL] [options]

Checks that Signet can sign for each AWS destination: the credential chain, the
identity AWS sees, the clock, and a signed probe to each destination. The probe
goes where \`signet run\` sends: AWS_ENDPOINT_URL_<SERVICE> (e.g. _AMP, _LOGS)
and AWS_ENDPOINT_URL move it as they move run's requests. With no file or URL,
checks the credential chain, identity and clock only.

From a file it probes every remote_write with sigv4/aws_auth (an empty write)
and every logs client that goes to AWS, each with its own credentials, by one
harmless call: CloudWatch Logs DescribeLogGroups (does the group exist, or will
run create it), S3 HeadBucket, Firehose DescribeDeliveryStream, Kinesis
DescribeStreamSummary, a Loki client with sigv4/aws_auth an empty push. A
missing group, bucket or stream, or one in another region, is explained; when
AWS refuses, the report names the IAM action and resource ARN missing and
lists every permission \`signet run\` needs there.

Options:
      --config.file FILE   a Grafana Agent static-mode file: its remote_write and logs clients
      --config.expand-env  expand \${VAR} and \${VAR:-default} in the file
      --url URL            one destination instead of a file
      --region REGION      signing region (default: from the file, the URL, AWS_REGION, the profile, IMDS)
      --service NAME       signing service of a remote_write or URL (default: from the URL; aps for remote_write)
      --json               one JSON object instead of text
${CREDENTIAL_USAGE}

Exit status: 0 when every check passes, 1 when one fails, 2 for a bad command line.`;

export interface DestinationReport {
  readonly name: string;
  readonly kind: DestinationKind;
  /** For a logs client: what it writes to ("log group app", "bucket b"); null otherwise. */
  readonly resource: string | null;
  /** Where the probe went: what `signet run` sends to, after any endpoint override. */
  readonly url: string;
  /** As configured: the URL, or a logs client's `cwlogs://region/group`, `s3://bucket/prefix`, … */
  readonly configuredUrl: string;
  /** The variable that moved the URL (AWS_ENDPOINT_URL_AMP, AWS_ENDPOINT_URL), or null. */
  readonly endpointOverride: string | null;
  readonly region: string | null;
  readonly regionSource: string | null;
  readonly service: string | null;
  readonly credentials: CredentialsReport;
  readonly identity: IdentityReport['identity'];
  readonly probe: ProbeReport;
}

export interface DoctorReport {
  readonly credentials: CredentialsReport;
  readonly identity: IdentityReport['identity'];
  readonly identityProblem: IdentityReport['problem'];
  readonly stsEndpoint: string | null;
  readonly region: string | null;
  readonly clockOffsetSeconds: number | null;
  readonly destinations: readonly DestinationReport[];
  readonly ok: boolean;
}

function parse(argv: string[]) {
  // Grafana Agent spells its flags with one dash: -config.file=FILE.
  const args = argv.map((a) => (/^-config\./.test(a) ? `-${a}` : a));
  try {
    return parseArgs({
      args,
      options: {
        'config.file': { type: 'string' },
        'config.expand-env': { type: 'boolean' },
        url: { type: 'string' },
        region: { type: 'string' },
        service: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...CREDENTIAL_OPTIONS,
      },
    }).values;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('. ')[0]! : String(error);
    throw new UsageError(message.replace(/^Option '/, "option '"), {
      hint: 'run `signet help doctor`',
    });
  }
}

/** A remote_write or `--url`: the URL signed as run signs it, probed with an empty write or a GET. */
function urlTarget(
  name: string,
  url: string,
  signing: SigningOptions,
  kind: 'remote_write' | 'url',
): DoctorTarget {
  return {
    name,
    kind,
    configured: url,
    service: signing.service,
    credentials: signing.credentials,
    build: (context) => destinationOf(url, signing, kind, context),
    probe: (destination) => probe(destination.url, kind, destination.client),
    close: () => Promise.resolve(),
  };
}

function targets(o: ReturnType<typeof parse>): DoctorTarget[] {
  const flags = credentialSpec(o);
  if (o.url) {
    let url: URL;
    try {
      url = new URL(o.url);
    } catch {
      throw new UsageError(`'${o.url}' is not a URL`, {
        hint: 'give a full URL, e.g. https://…/api/v1/remote_write',
      });
    }
    const kind = url.pathname.endsWith('/remote_write') ? 'remote_write' : 'url';
    const signing: SigningOptions = {
      service: o.service,
      region: o.region,
      regionBy: 'command-line',
      credentials: flags,
    };
    return [urlTarget('--url', url.toString(), signing, kind)];
  }
  if (!o['config.file'])
    throw new UsageError('give --config.file FILE or --url URL', {
      hint: 'run `signet help doctor`',
    });
  // The agent's own loader: doctor sees the file exactly as `signet run` would.
  // Keys Signet does not implement change no destination's signing: doctor probes anyway.
  const { config } = loadAgentConfig(o['config.file'], {
    expandEnv: Boolean(o['config.expand-env']),
    allowUnimplemented: true,
  });
  const signed = new Map<string, RemoteWriteTarget & { aws: AwsAuth }>();
  const all = [...config.globalRemoteWrite, ...config.instances.flatMap((i) => i.remoteWrite)];
  for (const rw of all) if (rw.aws) signed.set(rw.path, { ...rw, aws: rw.aws });
  const override = flags.accessKeyId || flags.profile || flags.roles ? flags : undefined;
  const logs = logsTargets(config.logs, {
    credentials: override,
    stsEndpoint: flags.stsEndpoint,
    region: o.region,
  });
  if (signed.size === 0 && logs.length === 0)
    throw new SignetError(
      `${o['config.file']} has no remote_write with sigv4 or aws_auth and no logs client that sends to AWS`,
      {
        hint: 'add a sigv4: block to the remote_write that goes to AWS, a cloudwatch_logs, s3, firehose or kinesis logs client, or use --url',
      },
    );
  const remoteWrites = [...signed.values()].map((rw) => {
    const configured = signingOptions(rw.aws);
    return urlTarget(
      rw.path,
      rw.file.url,
      {
        service: o.service ?? configured.service,
        // A flag wins over the file, and the report says it came from the command line.
        region: o.region ?? configured.region,
        regionBy: o.region ? 'command-line' : 'config',
        credentials: override ?? {
          ...configured.credentials,
          stsEndpoint: configured.credentials.stsEndpoint ?? flags.stsEndpoint,
        },
      },
      'remote_write',
    );
  });
  return [...remoteWrites, ...logs];
}

export async function runDoctor(argv: string[]): Promise<number> {
  const o = parse(argv);
  if (o.help) {
    console.log(DOCTOR_USAGE);
    return 0;
  }
  const report =
    o.url || o['config.file']
      ? await diagnose(targets(o), process.env)
      : await diagnoseIdentity(credentialSpec(o), o.region, process.env);
  console.log(o.json ? JSON.stringify(report, null, 2) : renderDoctorText(report));
  return report.ok ? 0 : 1;
}

/**
 * The destination as `signet run` builds it (same factory), so the probe goes
 * where run's requests go and is signed as run signs them.
 */
async function destinationOf(
  url: string,
  signing: SigningOptions,
  kind: 'remote_write' | 'url',
  { env, registry, clock }: BuildContext,
): Promise<Built> {
  const service =
    signing.service ??
    (kind === 'remote_write' ? 'aps' : inferEndpoint(new URL(url).hostname)?.service);
  try {
    if (!service) {
      // Still show the region; the probe cannot be signed without a service.
      const region = await resolveRegion({
        configured: signing.region,
        configuredBy: signing.regionBy,
        url,
        env,
        profile: signing.credentials.profile,
      });
      const problem = new SignetError(`Cannot tell the signing service of ${url}`, {
        hint: 'pass --service or service_name',
      });
      return { region, problem };
    }
    const destination = await createDestination({
      url,
      signing,
      defaultService: service,
      env,
      registry,
      clock,
      timeoutMs: 10_000,
    });
    return { destination, region: { region: destination.region, from: destination.regionSource } };
  } catch (error) {
    if (!(error instanceof SignetError)) throw error;
    return { problem: error };
  }
}

/** `problemOf`'s shape for a problem found before any request: a bad region, service or override. */
function configProblem(error: SignetError): ProbeReport['problem'] {
  return {
    code: error.name,
    kind: 'config',
    status: null,
    requestId: null,
    message: error.message,
    hint: error.hint ?? null,
  };
}

export async function diagnose(
  list: readonly DoctorTarget[],
  env: NodeJS.ProcessEnv,
): Promise<DoctorReport> {
  const clock = new CorrectedClock();
  const registry = new CredentialRegistry({ env, clock, timeoutMs: 2000 });
  const destinations: DestinationReport[] = [];
  let first:
    { credentials: CredentialsReport; identity: IdentityReport; region: string | null } | undefined;
  try {
    for (const t of list) {
      const spec = t.credentials;
      const { destination, region, problem } = await t.build({ env, registry, clock });
      // The registry hands back the destination's own provider when there is one.
      const provider = destination?.credentials ?? registry.provider(spec, region?.region);
      const credentials = await checkCredentials(provider);
      const identity =
        region && !credentials.error
          ? await checkIdentity(provider, region.region, clock, env, spec.stsEndpoint)
          : { identity: null, clockOffsetSeconds: null, stsEndpoint: '', problem: null };
      let probeReport: ProbeReport;
      if (destination && !credentials.error) {
        probeReport = await t.probe(destination, identity.identity);
      } else {
        probeReport = {
          ok: false,
          status: null,
          problem: problem
            ? configProblem(problem)
            : {
                code: 'NoCredentials',
                kind: 'no-credentials',
                status: null,
                requestId: null,
                message: credentials.error ?? '',
                hint: null,
              },
        };
      }
      destinations.push({
        name: t.name,
        kind: t.kind,
        resource: t.resource ?? null,
        url: destination?.url ?? t.configured,
        configuredUrl: t.configured,
        endpointOverride: destination?.endpointOverride?.from ?? null,
        region: region?.region ?? null,
        regionSource: region?.from ?? null,
        service: destination?.service ?? t.service ?? null,
        credentials,
        identity: identity.identity,
        probe: probeReport,
      });
      first ??= { credentials, identity, region: region?.region ?? null };
    }
  } finally {
    registry.close();
    await Promise.all(list.map((t) => t.close()));
  }
  const head = first!;
  return {
    credentials: head.credentials,
    identity: head.identity.identity,
    identityProblem: head.identity.problem,
    stsEndpoint: head.identity.stsEndpoint || null,
    region: head.region,
    clockOffsetSeconds: head.identity.clockOffsetSeconds,
    destinations,
    ok: destinations.every((d) => d.probe.ok && d.identity !== null),
  };
}
