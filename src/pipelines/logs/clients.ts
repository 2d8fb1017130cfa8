/**
 * The clients of a logs pipeline, prepared from `clients[]`: their HTTP
 * settings and secrets read, signing set up (region resolved, credentials
 * found) before anything starts, so a reload can refuse a broken client
 * without stopping the running pipeline. Each is built at start with the
 * progress callback of the fan-out it feeds.
 */
import { readFileSync } from 'node:fs';
import { createDestination } from '../../aws/destination/index.js';
import type { AwsClient } from '../../aws/http/aws-client.js';
import type { LogsClientTarget } from '../../config/agent/types.js';
import { signingOptions } from '../../config/aws-auth.js';
import { createHttpDispatcher } from '../../net/http-dispatcher.js';
import {
  LokiClient,
  lokiSigningService,
  resolveLokiOptions,
  type LokiClientMetrics,
  type LokiClientOptions,
} from '../../sinks/loki/index.js';
import type { LogClient, LogClientProgress } from '../../sinks/shared/log-client.js';
import type { SinkLog } from '../../sinks/shared/index.js';
import type { PipelineContext } from '../pipeline.js';

export interface PreparedLogsClient {
  readonly name: string;
  readonly url: string;
  build<T>(progress: LogClientProgress<T>, metrics: LokiClientMetrics, log: SinkLog): LogClient<T>;
}

function readSecret(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

/** `authorization:` as a header (Bearer goes the bearer-token way, as Promtail sends it). */
function authorizationOf(f: LogsClientTarget['file']): {
  bearer?: string;
  header?: string;
} {
  const a = f.authorization;
  if (a === undefined) return {};
  const credentials = a.credentials_file ? readSecret(a.credentials_file) : a.credentials;
  if (credentials === undefined) return {};
  return a.type.toLowerCase() === 'bearer'
    ? { bearer: credentials }
    : { header: `${a.type} ${credentials}` };
}

export async function prepareLogsClient(
  target: LogsClientTarget,
  context: PipelineContext,
): Promise<PreparedLogsClient> {
  const f = target.file;
  // tls_config, proxy_url, follow_redirects and enable_http2 for signed and unsigned pushes alike.
  const dispatcher = createHttpDispatcher(f, target.path, {
    connections: 2,
    pipelining: 1,
    keepAliveTimeout: 60_000,
  });
  let url = f.url;
  let aws: AwsClient | undefined;
  if (target.aws) {
    const signing = signingOptions(target.aws);
    const destination = await createDestination({
      url: f.url,
      signing,
      defaultService: lokiSigningService(f.url, signing.service),
      env: context.env,
      registry: context.credentials,
      clock: context.clock,
      dispatcher,
      timeoutMs: f.timeout,
      log: (message, fields) => context.log.info(fields, message),
    });
    void destination.credentials.start();
    url = destination.url;
    aws = destination.client;
  }
  const auth = authorizationOf(f);
  const options: LokiClientOptions = {
    url,
    name: target.name,
    tenantId: f.tenant_id,
    batchWaitMs: f.batchwait,
    batchSizeBytes: f.batchsize,
    headers: auth.header ? { ...f.headers, authorization: auth.header } : f.headers,
    basicAuth: f.basic_auth && {
      username: f.basic_auth.username,
      password: f.basic_auth.password,
      passwordFile: f.basic_auth.password_file,
    },
    bearerToken: f.bearer_token ?? auth.bearer,
    bearerTokenFile: f.bearer_token_file,
    backoff: {
      minPeriodMs: f.backoff_config.min_period,
      maxPeriodMs: f.backoff_config.max_period,
      maxRetries: f.backoff_config.max_retries,
    },
    externalLabels: f.external_labels,
    timeoutMs: f.timeout,
    dropRateLimitedBatches: f.drop_rate_limited_batches,
    aws,
    dispatcher,
    path: target.path,
  };
  // Checks the options (and reads password and token files) now, not at start.
  resolveLokiOptions(options);
  return {
    name: target.name,
    url: f.url,
    build: (progress, metrics, log) => new LokiClient(options, { progress, metrics, log }),
  };
}
