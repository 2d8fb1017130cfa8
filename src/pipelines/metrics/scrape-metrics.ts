/**
 * The scrape and discovery self-metrics of the metrics pipelines, as
 * Prometheus 2.42's scrape and discovery managers name them. A reload
 * replaces a pipeline's scrape manager; the counters keep what the old one
 * counted (PipelineCounters). The interval summary is observed as scrapes
 * happen (observers.ts).
 */
import type { Registry } from 'prom-client';
import type { ScrapeCounts } from '../../sources/scrape/manager.js';
import { gauge } from '../../server/collected-metrics.js';
import type { PipelineCounters } from '../kind-metrics.js';
import type { MetricsPipeline } from './instance.js';

/** Prometheus's scrape discovery manager is named "scrape"; its sets are the jobs. */
const SD_MANAGER = 'scrape';

export function registerScrapeMetrics(
  registry: Registry,
  counters: PipelineCounters<MetricsPipeline>,
): void {
  const total = (name: string, help: string, pick: (c: ScrapeCounts) => number): void =>
    counters.counter(name, help, [], (p, emit) => emit({}, pick(p.scrapes.counts)));
  total(
    'prometheus_target_scrape_pools_total',
    'Total number of scrape pool creation attempts.',
    (c) => c.poolsCreated,
  );
  counters.counter(
    'prometheus_target_scrape_pool_sync_total',
    'Total number of syncs that were executed on a scrape pool.',
    ['scrape_job'],
    (p, emit) => {
      for (const [job, n] of p.scrapes.counts.syncs) emit({ scrape_job: job }, n);
    },
  );
  total(
    'prometheus_target_scrapes_exceeded_sample_limit_total',
    'Total number of scrapes that hit the sample limit and were rejected.',
    (c) => c.sampleLimitExceeded,
  );
  total(
    'prometheus_target_scrapes_exceeded_body_size_limit_total',
    'Total number of scrapes that hit the body size limit',
    (c) => c.bodySizeLimitExceeded,
  );
  total(
    'prometheus_sd_file_read_errors_total',
    'The number of File-SD read errors.',
    (c) => c.fileSdReadErrors,
  );
  total(
    'prometheus_sd_kubernetes_failures_total',
    'The number of failed WATCH/LIST requests.',
    (c) => c.kubernetesSdFailures,
  );
  total('prometheus_sd_dns_lookups_total', 'The number of DNS-SD lookups.', (c) => c.dnsSdLookups);
  total(
    'prometheus_sd_dns_lookup_failures_total',
    'The number of DNS-SD lookup failures.',
    (c) => c.dnsSdLookupFailures,
  );
  total(
    'prometheus_sd_http_failures_total',
    'Number of HTTP service discovery refresh failures.',
    (c) => c.httpSdFailures,
  );
  const live = (): MetricsPipeline[] => counters.live();
  gauge(
    registry,
    'prometheus_target_scrape_pool_targets',
    'Current number of targets in this scrape pool.',
    ['scrape_job'],
    (g) => {
      for (const p of live())
        for (const pool of p.scrapes.pools()) g.inc({ scrape_job: pool.job }, pool.targets);
    },
  );
  gauge(
    registry,
    'prometheus_sd_discovered_targets',
    'Current number of discovered targets.',
    ['name', 'config'],
    (g) => {
      for (const p of live())
        for (const pool of p.scrapes.pools())
          g.inc({ name: SD_MANAGER, config: pool.job }, pool.discovered);
    },
  );
}
