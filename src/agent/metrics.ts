/**
 * The agent's self-metrics, named as Prometheus names them where Prometheus
 * has a name (`prometheus_remote_storage_*`, so dashboards and the bench
 * harness read Signet like Prometheus), and `signet_*` for what is Signet's:
 * credentials, clock offset, WAL errors. Values are read at collection time.
 */
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { CorrectedClock } from '../aws/clock.js';
import type { CredentialRegistry } from '../aws/credentials/registry.js';
import type { RemoteWriteStats } from '../sinks/remote-write/index.js';

export interface QueueView {
  readonly name: string;
  readonly url: string;
  stats(): RemoteWriteStats;
}

export interface AgentView {
  queues(): readonly QueueView[];
  samplesAppended(): number;
  highestAppendedTimestampMs(): number;
  activeSeries(): number;
  walErrors(): number;
  walReadSamples(): number;
  targets(): readonly { job: string; health: string }[];
  credentials: CredentialRegistry;
  clock: CorrectedClock;
}

function gauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
  collect: (g: Gauge) => void,
): void {
  new Gauge({
    name,
    help,
    labelNames: [...labelNames],
    registers: [registry],
    collect() {
      this.reset();
      collect(this);
    },
  });
}

export function agentMetrics(view: AgentView): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const q = ['remote_name', 'url'];
  const perQueue = (name: string, help: string, pick: (s: RemoteWriteStats) => number): void =>
    gauge(registry, name, help, q, (g) => {
      for (const queue of view.queues())
        g.set({ remote_name: queue.name, url: queue.url }, pick(queue.stats()));
    });
  perQueue(
    'prometheus_remote_storage_samples_total',
    'Samples sent, counting each accepted sample once.',
    (s) => s.samplesSent,
  );
  perQueue(
    'prometheus_remote_storage_metadata_total',
    'Metric metadata entries sent (metadata_config).',
    (s) => s.metadataSent,
  );
  perQueue(
    'prometheus_remote_storage_metadata_failed_total',
    'Metric metadata entries dropped on a non-recoverable error.',
    (s) => s.metadataFailed,
  );
  perQueue(
    'prometheus_remote_storage_metadata_bytes_total',
    'Compressed bytes of metric metadata sent.',
    (s) => s.metadataBytes,
  );
  perQueue(
    'prometheus_remote_storage_samples_failed_total',
    'Samples dropped on a non-recoverable error.',
    (s) => s.samplesFailed,
  );
  perQueue(
    'prometheus_remote_storage_samples_retried_total',
    'Samples sent again after a recoverable error.',
    (s) => s.samplesRetried,
  );
  perQueue(
    'prometheus_remote_storage_samples_dropped_total',
    'Samples dropped by write relabeling.',
    (s) => s.samplesDropped,
  );
  perQueue(
    'prometheus_remote_storage_samples_pending',
    'Samples waiting in shards to be sent.',
    (s) => s.samplesPending,
  );
  perQueue('prometheus_remote_storage_shards', 'Shards running.', (s) => s.shards);
  perQueue(
    'prometheus_remote_storage_shards_desired',
    'Shards the queue wants.',
    (s) => s.desiredShards,
  );
  perQueue(
    'prometheus_remote_storage_bytes_total',
    'Compressed bytes accepted by the endpoint.',
    (s) => s.bytesSent,
  );
  perQueue(
    'prometheus_remote_storage_queue_highest_sent_timestamp_seconds',
    'Newest timestamp the endpoint accepted.',
    (s) => s.highestSentTimestampMs / 1000,
  );
  gauge(
    registry,
    'prometheus_remote_storage_samples_in_total',
    'Samples appended to the WAL.',
    [],
    (g) => g.set(view.samplesAppended()),
  );
  gauge(
    registry,
    'prometheus_remote_storage_highest_timestamp_in_seconds',
    'Newest timestamp appended.',
    [],
    (g) => g.set(view.highestAppendedTimestampMs() / 1000),
  );
  gauge(registry, 'prometheus_agent_active_series', 'Series in the series table.', [], (g) =>
    g.set(view.activeSeries()),
  );
  gauge(
    registry,
    'signet_wal_write_errors_total',
    'Appends the WAL could not write (e.g. a full disk).',
    [],
    (g) => g.set(view.walErrors()),
  );
  gauge(
    registry,
    'signet_wal_read_samples_total',
    'Samples read back from the WAL for sending (catch-up and replay after restart; may repeat sent ones).',
    [],
    (g) => g.set(view.walReadSamples()),
  );
  gauge(
    registry,
    'prometheus_target_scrape_pool_targets',
    'Targets by job and health.',
    ['job', 'health'],
    (g) => {
      const counts = new Map<string, number>();
      for (const t of view.targets())
        counts.set(`${t.job}\xff${t.health}`, (counts.get(`${t.job}\xff${t.health}`) ?? 0) + 1);
      for (const [k, n] of counts) {
        const [job, health] = k.split('\xff') as [string, string];
        g.set({ job, health }, n);
      }
    },
  );
  gauge(
    registry,
    'signet_aws_clock_offset_seconds',
    "AWS's clock minus the local clock, as measured from AWS's answers.",
    [],
    (g) => g.set(view.clock.offsetMs / 1000),
  );
  gauge(
    registry,
    'signet_aws_credentials_refreshes_total',
    'Credential resolutions that succeeded, by source.',
    ['source'],
    (g) => {
      for (const s of view.credentials.statuses())
        g.inc({ source: s.source ?? 'none' }, s.refreshes);
    },
  );
  gauge(
    registry,
    'signet_aws_credentials_failures_total',
    'Credential resolutions that failed.',
    [],
    (g) => {
      for (const s of view.credentials.statuses()) g.inc(s.failures);
    },
  );
  gauge(
    registry,
    'signet_aws_credentials_up',
    '1 when the credentials of a destination are valid, 0 while none could be found.',
    ['source'],
    (g) => {
      for (const s of view.credentials.statuses())
        g.set({ source: s.source ?? 'none' }, s.accessKeyId && !s.lastError ? 1 : 0);
    },
  );
  return registry;
}
