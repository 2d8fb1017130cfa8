/**
 * The metrics pipelines' self-metrics that are observed as things happen
 * (a histogram of send durations, a summary of scrape intervals) rather than
 * read at collection. They belong to the agent's registry, one set per agent,
 * so what running pipelines observed stays when a reload replaces them.
 */
import { Histogram, Summary, type Registry } from 'prom-client';

export interface MetricsObservers {
  /** Observes one remote_write request (an attempt, samples or metadata), in seconds. */
  sentBatchDuration(remoteName: string, url: string): (seconds: number) => void;
  /** Observes the actual time between two scrapes of a target scraped every `intervalMs`. */
  scrapeInterval(intervalMs: number): (seconds: number) => void;
  /** Observes how long applying a discovery change to a job's targets took. */
  scrapeSync(job: string): (seconds: number) => void;
  /** Observes one WAL truncation run. */
  readonly truncateDuration: (seconds: number) => void;
}

/** Prometheus's prometheus.DefBuckets plus the 25, 60, 120 and 300 s its remote storage adds. */
const SEND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 120, 300];

const byRegistry = new WeakMap<Registry, MetricsObservers>();

/** The registry's observers, registered in it on first use. */
export function metricsObservers(registry: Registry): MetricsObservers {
  let observers = byRegistry.get(registry);
  if (!observers) {
    observers = createObservers(registry);
    byRegistry.set(registry, observers);
  }
  return observers;
}

/** Prometheus's scrape summaries' objectives, over their default window (10 minutes in 5 buckets). */
const PROMETHEUS_OBJECTIVES = {
  percentiles: [0.01, 0.05, 0.5, 0.9, 0.99],
  maxAgeSeconds: 600,
  ageBuckets: 5,
};

function createObservers(registry: Registry): MetricsObservers {
  const sent = new Histogram({
    name: 'prometheus_remote_storage_sent_batch_duration_seconds',
    help: 'Duration of send calls to the remote storage.',
    labelNames: ['remote_name', 'url'],
    buckets: SEND_BUCKETS,
    registers: [registry],
  });
  const intervals = new Summary({
    name: 'prometheus_target_interval_length_seconds',
    help: 'Actual intervals between scrapes.',
    labelNames: ['interval'],
    ...PROMETHEUS_OBJECTIVES,
    registers: [registry],
  });
  const syncs = new Summary({
    name: 'prometheus_target_sync_length_seconds',
    help: 'Actual interval to sync the scrape pool.',
    labelNames: ['scrape_job'],
    ...PROMETHEUS_OBJECTIVES,
    registers: [registry],
  });
  const truncations = new Summary({
    name: 'prometheus_agent_truncate_duration_seconds',
    help: 'Duration of WAL truncation.',
    // Prometheus's has no objectives: only _sum and _count.
    percentiles: [],
    registers: [registry],
  });
  return {
    sentBatchDuration: (remoteName, url) => {
      const child = sent.labels({ remote_name: remoteName, url });
      return (seconds) => child.observe(seconds);
    },
    scrapeInterval: (intervalMs) => {
      const child = intervals.labels({ interval: goDuration(intervalMs) });
      return (seconds) => child.observe(seconds);
    },
    scrapeSync: (job) => {
      const child = syncs.labels({ scrape_job: job });
      return (seconds) => child.observe(seconds);
    },
    truncateDuration: (seconds) => truncations.observe(seconds),
  };
}

/** A duration as Go's time.Duration.String() writes it (`15s`, `1m0s`, `500ms`), as Prometheus labels intervals. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = `${(ms % 60_000) / 1000}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}
