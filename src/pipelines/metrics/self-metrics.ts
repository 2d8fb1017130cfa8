/**
 * The metrics pipelines' self-metrics, named as Prometheus names them
 * (`prometheus_remote_storage_*`, so dashboards and the bench harness read
 * Signet like Prometheus), and `signet_*` for what is Signet's (WAL errors).
 * Values are read from the running pipelines at collection time.
 */
import type { Registry } from 'prom-client';
import { gauge } from '../../server/collected-metrics.js';
import type { RemoteWriteStats } from '../../sinks/remote-write/index.js';
import type { MetricsPipeline } from './instance.js';

export function registerMetricsPipelineMetrics(
  registry: Registry,
  running: () => readonly MetricsPipeline[],
): void {
  const sum = (pick: (p: MetricsPipeline) => number): number =>
    running().reduce((n, p) => n + pick(p), 0);
  const view = {
    queues: () => running().flatMap((p) => p.queues),
    samplesAppended: () => sum((p) => p.storage.samplesAppended),
    highestAppendedTimestampMs: () =>
      Math.max(0, ...running().map((p) => p.storage.highestTimestampMs)),
    activeSeries: () => sum((p) => p.storage.seriesCount),
    walErrors: () => sum((p) => p.storage.walErrors),
    walReadSamples: () => sum((p) => p.deliveries.reduce((m, d) => m + d.walReadSamples, 0)),
    targets: () => running().flatMap((p) => p.scrapes.targets()),
  };
  const q = ['remote_name', 'url'];
  const perQueue = (name: string, help: string, pick: (s: RemoteWriteStats) => number): void =>
    gauge(registry, name, help, q, (g) => {
      for (const queue of view.queues())
        g.set({ remote_name: queue.name, url: queue.url }, pick(queue.stats()));
    });
  gauge(
    registry,
    'signet_wal_segments_dropped_unsent_total',
    'WAL segments deleted by wal_cleanup_age or wal_max_size before every remote_write had sent them (their samples are lost).',
    [],
    (g) => g.set(sum((p) => p.segmentsDroppedUnsent)),
  );
  gauge(
    registry,
    'signet_destination_blocked',
    '1 while a destination holds its data because of a refusal only a fix can cure (credentials, IAM, region, clock), by reason.',
    ['destination', 'reason'],
    (g) => {
      for (const queue of view.queues()) {
        const blocked = queue.stats().blocked;
        if (blocked)
          g.set({ destination: `remote_write/${queue.name}`, reason: blocked.reason }, 1);
      }
    },
  );
  gauge(
    registry,
    'signet_remote_storage_samples_failed_by_reason_total',
    'Samples dropped because the endpoint can never accept them, by reason (out-of-order, too-old, too-large…).',
    ['remote_name', 'url', 'reason'],
    (g) => {
      for (const queue of view.queues())
        for (const [reason, n] of Object.entries(queue.stats().samplesFailedByReason))
          g.set({ remote_name: queue.name, url: queue.url, reason }, n ?? 0);
    },
  );
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
}
