/**
 * The logs clients `signet doctor` probes: every client of the `logs:` block
 * that sends to AWS (CloudWatch Logs, S3, Firehose, Kinesis) or signs its
 * Loki pushes. Each destination is built as src/pipelines/logs/clients.ts
 * builds it for `signet run`: the block's region over the signing block's,
 * the block's endpoint, the credential chain with or without
 * `aws_auth`/`sigv4`, AWS_ENDPOINT_URL_<SERVICE> applied, over the client's
 * own TLS and proxy settings.
 */
import type { Dispatcher } from 'undici';
import type { CredentialSpec } from '../aws/credentials/spec.js';
import type { Destination } from '../aws/destination/index.js';
import type { LogSinkKind } from '../aws/permissions/log-sinks.js';
import { createDestination } from '../aws/destination/index.js';
import { AwsError } from '../aws/errors/index.js';
import { parseAwsAuth, signingOptions, type AwsAuth } from '../config/aws-auth.js';
import type { LogsClientTarget, LogsInstance } from '../config/agent/types.js';
import { SignetError } from '../errors.js';
import { createHttpDispatcher } from '../net/http-dispatcher.js';
import type { RegionalDestinationOptions } from '../sinks/shared/regional-destination.js';
import { createCloudWatchLogsDestination } from '../sinks/cloudwatch-logs/index.js';
import { createFirehoseDestination } from '../sinks/firehose/index.js';
import { createKinesisDestination } from '../sinks/kinesis/index.js';
import { lokiSigningService } from '../sinks/loki/index.js';
import { createS3Destination } from '../sinks/s3/index.js';
import { problemOf } from './doctor-checks.js';
import { probeLogsClient, resourceWords, type LogsProbeSpec } from './doctor-logs-probe.js';
import type { BuildContext, Built, DoctorTarget } from './doctor-target.js';

/** What the command line changes for every destination. */
export interface LogsOverrides {
  /** --access-key-id, --profile or --role-arn: these credentials instead of the file's. */
  readonly credentials: CredentialSpec | undefined;
  /** --sts-endpoint, for clients whose block names none. */
  readonly stsEndpoint: string | undefined;
  /** --region, over the file's. */
  readonly region: string | undefined;
}

const SERVICE: Readonly<Record<LogSinkKind, string>> = {
  cloudwatch_logs: 'logs',
  s3: 's3',
  firehose: 'firehose',
  kinesis: 'kinesis',
};

const CREATE: Readonly<
  Record<LogSinkKind, (options: RegionalDestinationOptions) => Promise<Destination>>
> = {
  cloudwatch_logs: createCloudWatchLogsDestination,
  s3: createS3Destination,
  firehose: createFirehoseDestination,
  kinesis: createKinesisDestination,
};

/** The command line's credentials over the client's; the client's own STS endpoint over the flag's. */
function credentialsOf(configured: CredentialSpec, o: LogsOverrides): CredentialSpec {
  return (
    o.credentials ?? {
      ...configured,
      stsEndpoint: configured.stsEndpoint ?? o.stsEndpoint,
    }
  );
}

function kindOf(c: LogsClientTarget): LogSinkKind | undefined {
  if (c.cloudwatchLogs) return 'cloudwatch_logs';
  if (c.s3) return 's3';
  if (c.file.firehose) return 'firehose';
  if (c.file.kinesis) return 'kinesis';
  return undefined;
}

/** The region and endpoint keys of the client's block. */
function placeOf(
  c: LogsClientTarget,
  kind: LogSinkKind,
): { region: string | undefined; endpoint: string | undefined } {
  const f = c.file;
  switch (kind) {
    case 'cloudwatch_logs':
      return { region: c.cloudwatchLogs?.region, endpoint: f.cloudwatch_logs?.endpoint };
    case 's3':
      return { region: f.s3?.region, endpoint: f.s3?.endpoint };
    case 'firehose':
      return { region: f.firehose?.region, endpoint: f.firehose?.endpoint };
    case 'kinesis':
      return { region: f.kinesis?.region, endpoint: f.kinesis?.endpoint };
  }
}

function probeSpec(c: LogsClientTarget, kind: LogSinkKind): LogsProbeSpec {
  const f = c.file;
  switch (kind) {
    case 'cloudwatch_logs':
      return {
        kind,
        path: c.path,
        name: c.cloudwatchLogs!.logGroupName,
        features: {
          createLogGroup: f.cloudwatch_logs?.create_log_group ?? true,
          createLogStream: f.cloudwatch_logs?.create_log_stream ?? true,
          retention: f.cloudwatch_logs?.retention_in_days !== undefined,
        },
      };
    case 's3':
      return {
        kind,
        path: c.path,
        name: c.s3!.bucket,
        s3Addressing: f.s3?.addressing,
        features: f.s3?.sse === 'aws:kms' ? { s3KmsKeyId: f.s3.kms_key_id } : {},
      };
    case 'firehose':
      return { kind, path: c.path, name: f.firehose!.delivery_stream_name, features: {} };
    case 'kinesis': {
      const arn = f.kinesis!.stream_arn;
      const name = f.kinesis!.stream_name ?? arn?.slice(arn.lastIndexOf('/') + 1) ?? '';
      return { kind, path: c.path, name, streamArn: arn, features: {} };
    }
  }
}

function logsTarget(c: LogsClientTarget, kind: LogSinkKind, o: LogsOverrides): DoctorTarget {
  const signing = signingOptions(c.aws ?? parseAwsAuth({}, `${c.path}.aws_auth`));
  const credentials = credentialsOf(signing.credentials, o);
  const place = placeOf(c, kind);
  const spec = probeSpec(c, kind);
  let dispatcher: Dispatcher | undefined;
  const build = async ({ env, registry, clock }: BuildContext): Promise<Built> => {
    try {
      // tls_config and proxy_url as run's requests use them.
      dispatcher = createHttpDispatcher(c.file, c.path, { connections: 1 });
      const destination = await CREATE[kind]({
        // A flag wins over the file, and the report says it came from the command line.
        region: o.region ?? place.region ?? signing.region,
        endpoint: place.endpoint,
        signing: { credentials, regionBy: o.region ? 'command-line' : 'config' },
        env,
        registry,
        clock,
        dispatcher,
        timeoutMs: 10_000,
      });
      return {
        destination,
        region: { region: destination.region, from: destination.regionSource },
      };
    } catch (error) {
      if (!(error instanceof SignetError)) throw error;
      return { problem: error };
    }
  };
  return {
    name: c.path,
    kind,
    configured: c.file.url ?? place.endpoint ?? c.name,
    resource: resourceWords(kind, spec.name),
    service: SERVICE[kind],
    credentials,
    build,
    probe: (destination, identity) => probeLogsClient(spec, destination, identity),
    close: async () => {
      await dispatcher?.close();
    },
  };
}

/**
 * A Loki client with `sigv4`/`aws_auth` (Loki behind API Gateway, say):
 * probed with an empty push, which Loki takes and stores nothing from.
 */
function lokiTarget(c: LogsClientTarget, aws: AwsAuth, o: LogsOverrides): DoctorTarget {
  const url = c.file.url!;
  const signing = signingOptions(aws);
  const credentials = credentialsOf(signing.credentials, o);
  const service = lokiSigningService(url, signing.service);
  let dispatcher: Dispatcher | undefined;
  return {
    name: c.path,
    kind: 'loki',
    configured: url,
    service,
    credentials,
    build: async ({ env, registry, clock }) => {
      try {
        dispatcher = createHttpDispatcher(c.file, c.path, { connections: 1 });
        const destination = await createDestination({
          url,
          signing: {
            ...signing,
            region: o.region ?? signing.region,
            regionBy: o.region ? 'command-line' : 'config',
            credentials,
          },
          defaultService: service,
          env,
          registry,
          clock,
          dispatcher,
          timeoutMs: 10_000,
        });
        return {
          destination,
          region: { region: destination.region, from: destination.regionSource },
        };
      } catch (error) {
        if (!(error instanceof SignetError)) throw error;
        return { problem: error };
      }
    },
    probe: async (destination) => {
      const tenant = c.file.tenant_id;
      try {
        const res = await destination.client.send({
          method: 'POST',
          url: destination.url,
          headers: {
            'content-type': 'application/json',
            ...(tenant ? { 'x-scope-orgid': tenant } : {}),
          },
          body: '{"streams":[]}',
        });
        return {
          ok: true,
          status: res.status,
          problem: null,
          operation: 'push',
          found: `an empty push was accepted (HTTP ${res.status})`,
        };
      } catch (error) {
        return {
          ok: false,
          status: error instanceof AwsError ? error.status : null,
          problem: problemOf(error),
          operation: 'push',
        };
      }
    },
    close: async () => {
      await dispatcher?.close();
    },
  };
}

/** Each AWS client of the `logs:` block once (global clients serve several configs). */
export function logsTargets(
  instances: readonly LogsInstance[],
  overrides: LogsOverrides,
): DoctorTarget[] {
  const clients = new Map<string, DoctorTarget>();
  for (const instance of instances)
    for (const client of instance.clients) {
      if (clients.has(client.path)) continue;
      const kind = kindOf(client);
      if (kind) clients.set(client.path, logsTarget(client, kind, overrides));
      else if (client.aws && client.file.url)
        clients.set(client.path, lokiTarget(client, client.aws, overrides));
    }
  return [...clients.values()];
}
