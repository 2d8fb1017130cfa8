/**
 * The metrics pipelines' self-metrics, named and labeled as Prometheus 2.42
 * names them in agent mode (`prometheus_remote_storage_*`,
 * `prometheus_agent_*`, `prometheus_tsdb_wal_*`, `prometheus_target_*`,
 * `prometheus_sd_*`), so dashboards and the bench harness read Signet as they
 * read Prometheus, and `signet_*` for what is Signet's own. Values are read
 * from the running pipelines at collection time; counters add what pipelines
 * retired by a reload had counted (PipelineCounters), so they never go back.
 */
import type { Registry } from 'prom-client';
import { gauge } from '../../server/collected-metrics.js';
import type { RemoteWriteStats } from '../../sinks/remote-write/index.js';
import { PipelineCounters } from '../kind-metrics.js';
import type { PipelineKindMetrics } from '../pipeline.js';
import type { MetricsPipeline, QueueView } from './instance.js';
import { metricsObservers } from './observers.js';
import { registerScrapeMetrics } from './scrape-metrics.js';

export function registerMetricsPipelineMetrics(
  registry: Registry,
  running: () => readonly MetricsPipeline[],
): PipelineKindMetrics<MetricsPipeline> {
  const counters = new PipelineCounters(registry, running);
  metricsObservers(registry);
  registerRemoteStorageMetrics(registry, counters);
  registerStorageMetrics(registry, counters);
  registerScrapeMetrics(registry, counters);
  return counters;
}

const QUEUE_LABELS = ['remote_name', 'url'] as const;
const queueLabels = (q: QueueView): { remote_name: string; url: string } => ({
  remote_name: q.name,
  url: q.url,
});

function registerRemoteStorageMetrics(
  registry: Registry,
  counters: PipelineCounters<MetricsPipeline>,
): void {
  const perQueueCounter = (
    name: string,
    help: string,
    pick: (s: RemoteWriteStats) => number,
  ): void =>
    counters.counter(name, help, QUEUE_LABELS, (p, emit) => {
      for (const q of p.queues) emit(queueLabels(q), pick(q.stats()));
    });
  const perQueueGauge = (name: string, help: string, pick: (q: QueueView) => number): void =>
    gauge(registry, name, help, QUEUE_LABELS, (g) => {
      for (const p of counters.live()) for (const q of p.queues) g.set(queueLabels(q), pick(q));
    });
  counters.counter(
    'signet_wal_segments_dropped_unsent_total',
    'WAL segments deleted by wal_cleanup_age or wal_max_size before every remote_write had sent them (their samples are lost).',
    [],
    (p, emit) => emit({}, p.segmentsDroppedUnsent),
  );
  gauge(
    registry,
    'signet_destination_blocked',
    '1 while a destination holds its data because of a refusal only a fix can cure (credentials, IAM, region, clock), by reason.',
    ['destination', 'reason'],
    (g) => {
      for (const p of counters.live())
        for (const q of p.queues) {
          const blocked = q.stats().blocked;
          if (blocked) g.set({ destination: `remote_write/${q.name}`, reason: blocked.reason }, 1);
        }
    },
  );
  counters.counter(
    'signet_remote_storage_samples_failed_by_reason_total',
    'Samples dropped because the endpoint can never accept them, by reason (out-of-order, too-old, too-large…).',
    [...QUEUE_LABELS, 'reason'],
    (p, emit) => {
      for (const q of p.queues)
        for (const [reason, n] of Object.entries(q.stats().samplesFailedByReason))
          emit({ ...queueLabels(q), reason }, n ?? 0);
    },
  );
  perQueueCounter(
    'prometheus_remote_storage_samples_total',
    'Total number of samples sent to remote storage (accepted by the endpoint).',
    (s) => s.samplesSent,
  );
  perQueueCounter(
    'prometheus_remote_storage_samples_failed_total',
    'Total number of samples which failed on send to remote storage, non-recoverable errors.',
    (s) => s.samplesFailed,
  );
  perQueueCounter(
    'prometheus_remote_storage_samples_retried_total',
    'Total number of samples which failed on send to remote storage but were retried because the send error was recoverable.',
    (s) => s.samplesRetried,
  );
  perQueueCounter(
    'prometheus_remote_storage_samples_dropped_total',
    'Total number of samples which were dropped after being read from the WAL before being sent via remote write, either via relabelling or because of an unknown series.',
    (s) => s.samplesDropped,
  );
  perQueueCounter(
    'prometheus_remote_storage_bytes_total',
    'The total number of bytes of data (not metadata) sent by the queue after compression.',
    (s) => s.bytesSent,
  );
  perQueueCounter(
    'prometheus_remote_storage_metadata_total',
    'Total number of metadata entries sent to remote storage.',
    (s) => s.metadataSent,
  );
  perQueueCounter(
    'prometheus_remote_storage_metadata_failed_total',
    'Total number of metadata entries which failed on send to remote storage, non-recoverable errors.',
    (s) => s.metadataFailed,
  );
  perQueueCounter(
    'prometheus_remote_storage_metadata_bytes_total',
    'The total number of bytes of metadata sent by the queue after compression.',
    (s) => s.metadataBytes,
  );
  perQueueCounter(
    'prometheus_remote_storage_enqueue_retries_total',
    'Total number of times enqueue has failed because a shards queue was full (the batch is read again from the WAL).',
    (s) => s.enqueueRetries,
  );
  perQueueGauge(
    'prometheus_remote_storage_samples_pending',
    'The number of samples pending in the queues shards to be sent to the remote storage.',
    (q) => q.stats().samplesPending,
  );
  perQueueGauge(
    'prometheus_remote_storage_shards',
    'The number of shards used for parallel sending to the remote storage.',
    (q) => q.stats().shards,
  );
  perQueueGauge(
    'prometheus_remote_storage_shards_desired',
    'The number of shards that the queues shard calculation wants to run based on the rate of samples in vs. samples out.',
    (q) => q.stats().desiredShards,
  );
  perQueueGauge(
    'prometheus_remote_storage_shards_max',
    'The maximum number of shards that the queue is allowed to run.',
    (q) => q.config.maxShards,
  );
  perQueueGauge(
    'prometheus_remote_storage_shards_min',
    'The minimum number of shards that the queue is allowed to run.',
    (q) => q.config.minShards,
  );
  perQueueGauge(
    'prometheus_remote_storage_shard_capacity',
    'The capacity of each shard of the queue used for parallel sending to the remote storage.',
    (q) => q.config.capacity,
  );
  perQueueGauge(
    'prometheus_remote_storage_max_samples_per_send',
    'The maximum number of samples to be sent, in a single request, to the remote storage.',
    (q) => q.config.maxSamplesPerSend,
  );
  perQueueGauge(
    'prometheus_remote_storage_queue_highest_sent_timestamp_seconds',
    'Timestamp from a WAL sample, the highest timestamp successfully sent by this queue, in seconds since epoch.',
    (q) => q.stats().highestSentTimestampMs / 1000,
  );
}

/** The series table and the WAL of every pipeline, summed (a WAL's segment: the highest). */
function registerStorageMetrics(
  registry: Registry,
  counters: PipelineCounters<MetricsPipeline>,
): void {
  const total = (name: string, help: string, pick: (p: MetricsPipeline) => number): void =>
    counters.counter(name, help, [], (p, emit) => emit({}, pick(p)));
  const live = (): MetricsPipeline[] => counters.live();
  total(
    'prometheus_remote_storage_samples_in_total',
    'Samples in to remote storage (appended to the WAL), compare to samples out for queue managers.',
    (p) => p.storage.samplesAppended,
  );
  gauge(
    registry,
    'prometheus_remote_storage_highest_timestamp_in_seconds',
    'Highest timestamp that has come into the remote storage via the Appender interface, in seconds since epoch.',
    [],
    (g) => g.set(Math.max(0, ...live().map((p) => p.storage.highestTimestampMs)) / 1000),
  );
  gauge(
    registry,
    'prometheus_agent_active_series',
    'Number of active series being tracked by the WAL storage.',
    [],
    (g) => g.set(live().reduce((n, p) => n + p.storage.seriesCount, 0)),
  );
  counters.counter(
    'prometheus_agent_samples_appended_total',
    'Total number of samples appended to the storage.',
    ['type'],
    (p, emit) => emit({ type: 'float' }, p.storage.samplesAppended),
  );
  gauge(
    registry,
    'prometheus_agent_data_replay_duration_seconds',
    'Time taken to replay the data on disk (every metrics pipeline, at its last start).',
    [],
    (g) => g.set(live().reduce((n, p) => n + p.replaySeconds, 0)),
  );
  total(
    'prometheus_agent_corruptions_total',
    'Total number of WAL corruptions: torn or corrupt tails cut off a WAL when it was opened.',
    (p) => p.walView.corruptions,
  );
  total(
    'prometheus_tsdb_wal_writes_failed_total',
    'Total number of write log writes that failed.',
    (p) => p.storage.walErrors,
  );
  total(
    'signet_wal_write_errors_total',
    'Appends the WAL could not write (e.g. a full disk); the same count as prometheus_tsdb_wal_writes_failed_total.',
    (p) => p.storage.walErrors,
  );
  total(
    'prometheus_tsdb_wal_truncations_total',
    'Total number of write log truncations attempted.',
    (p) => p.walView.truncations,
  );
  total(
    'prometheus_tsdb_wal_truncations_failed_total',
    'Total number of write log truncations that failed (the series checkpoint or a segment deletion).',
    (p) => p.walView.truncationsFailed,
  );
  gauge(
    registry,
    'prometheus_tsdb_wal_segment_current',
    'Write log segment index that the WAL is currently writing to (the highest over the metrics pipelines).',
    [],
    (g) => g.set(Math.max(0, ...live().map((p) => p.walView.segmentCurrent))),
  );
  gauge(
    registry,
    'prometheus_tsdb_wal_storage_size_bytes',
    'Size of the write log directory (of every metrics pipeline).',
    [],
    (g) => g.set(live().reduce((n, p) => n + p.walView.sizeBytes, 0)),
  );
  total(
    'signet_wal_read_samples_total',
    'Samples read back from the WAL for sending (catch-up and replay after restart; may repeat sent ones).',
    (p) => p.deliveries.reduce((m, d) => m + d.walReadSamples, 0),
  );
}
