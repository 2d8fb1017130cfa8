/**
 * The remote_write destinations of a metrics pipeline: signing, auth,
 * relabeling, external labels. Prepared (regions resolved, rules compiled,
 * secrets read, clients built) before the pipeline starts; the queue, which
 * starts timers and needs the series table, is made at start.
 */
import { readFileSync } from 'node:fs';
import type { CorrectedClock } from '../../aws/clock.js';
import type { CredentialRegistry } from '../../aws/credentials/registry.js';
import { createDestination } from '../../aws/destination/index.js';
import type { AwsClient } from '../../aws/http/aws-client.js';
import { comparePositions, type WalPosition } from '../../buffer/wal/index.js';
import type { RemoteWriteTarget } from '../../config/agent/types.js';
import { signingOptions } from '../../config/aws-auth.js';
import { normalizeLabels, type Labels } from '../../model/labels.js';
import type { SeriesTable } from '../../model/series.js';
import { compileRelabelConfigs, relabel } from '../../process/relabel/index.js';
import { createHttpDispatcher } from '../../net/http-dispatcher.js';
import {
  RemoteWriteQueue,
  remoteWritePool,
  resolveQueueConfig,
  type RemoteWriteLog,
} from '../../sinks/remote-write/index.js';

export interface QueueDeps {
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly credentials: CredentialRegistry;
  readonly clock: CorrectedClock;
  readonly userAgent: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: RemoteWriteLog;
}

/** What start() gives a prepared destination. */
export interface QueueRuntime {
  readonly table: SeriesTable;
  readonly onProgress: (pos: WalPosition) => void;
  /** How long each request took, in seconds. */
  readonly onAttempt: (seconds: number) => void;
}

export type PreparedQueue = (runtime: QueueRuntime) => RemoteWriteQueue<WalPosition>;

export async function prepareQueue(rw: RemoteWriteTarget, deps: QueueDeps): Promise<PreparedQueue> {
  const f = rw.file;
  const qc = f.queue_config;
  const queueConfig = resolveQueueConfig({
    capacity: qc.capacity,
    maxShards: qc.max_shards,
    minShards: qc.min_shards,
    maxSamplesPerSend: qc.max_samples_per_send,
    batchSendDeadlineMs: qc.batch_send_deadline,
    minBackoffMs: qc.min_backoff,
    maxBackoffMs: qc.max_backoff,
    retryOnHttp429: qc.retry_on_http_429,
  });
  // tls_config, proxy_url, follow_redirects and enable_http2, for signed and
  // unsigned requests alike; a CA or key file that cannot be read fails here.
  const dispatcher = createHttpDispatcher(f, rw.path, remoteWritePool(queueConfig.maxShards));
  let aws: AwsClient | undefined;
  let url = f.url;
  if (rw.aws) {
    const destination = await createDestination({
      url: f.url,
      signing: signingOptions(rw.aws),
      defaultService: 'aps',
      env: deps.env,
      registry: deps.credentials,
      clock: deps.clock,
      dispatcher,
      timeoutMs: f.remote_timeout,
      log: (message, fields) => deps.log('info', message, fields),
    });
    void destination.credentials.start();
    url = destination.url;
    aws = destination.client;
  }
  const rules = compileRelabelConfigs(f.write_relabel_configs, `${rw.path}.write_relabel_configs`);
  const external = Object.entries(deps.externalLabels).map(([name, value]) => ({ name, value }));
  const seriesOf =
    (table: SeriesTable) =>
    (id: number): Labels | undefined => {
      let labels: Labels | undefined = table.labels(id);
      if (!labels) return undefined;
      if (external.length > 0) {
        const own = labels;
        const missing = external.filter((e) => !own.some((l) => l.name === e.name));
        if (missing.length > 0) labels = normalizeLabels([...labels, ...missing]);
      }
      return rules.length > 0 ? relabel(labels, rules) : labels;
    };
  const password = f.basic_auth?.password_file
    ? readFileSync(f.basic_auth.password_file, 'utf8').trim()
    : f.basic_auth?.password;
  const authorization = authorizationHeader(f);
  return (runtime) =>
    new RemoteWriteQueue<WalPosition>({
      url,
      name: rw.name,
      ...(aws ? { aws, dispatcher } : { dispatcher }),
      ownsDispatcher: true,
      // The loader lets one way to authenticate through, so this header and
      // basic_auth never meet; with sigv4 the signer owns Authorization.
      headers: authorization && !rw.aws ? { ...f.headers, authorization } : f.headers,
      ...(f.basic_auth
        ? { basicAuth: { username: f.basic_auth.username, password: password ?? '' } }
        : {}),
      userAgent: deps.userAgent,
      series: seriesOf(runtime.table),
      compareTokens: comparePositions,
      onProgress: runtime.onProgress,
      onAttempt: runtime.onAttempt,
      queueConfig,
      remoteTimeoutMs: f.remote_timeout,
      log: deps.log,
    });
}

/** `Authorization: <type> <credentials>` as Prometheus sends it (type Bearer unless set). */
function authorizationHeader(f: RemoteWriteTarget['file']): string | undefined {
  const a = f.authorization;
  const credentials = a?.credentials_file
    ? readFileSync(a.credentials_file, 'utf8').trim()
    : a?.credentials;
  if (a && credentials !== undefined) return `${a.type} ${credentials}`;
  const bearer =
    f.bearer_token ??
    (f.bearer_token_file ? readFileSync(f.bearer_token_file, 'utf8').trim() : undefined);
  return bearer === undefined ? undefined : `Bearer ${bearer}`;
}
