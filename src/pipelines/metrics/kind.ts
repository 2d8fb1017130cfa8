/**
 * The metrics pipeline kind: one pipeline per `metrics.configs[]` entry,
 * Prometheus's agent mode (scrape → relabel → WAL → remote_write).
 */
import { jsonDocument } from '../../server/routes.js';
import type { TargetReport } from '../../sources/scrape/manager.js';
import type { PipelineKind } from '../pipeline.js';
import { prepareMetrics, type MetricsPipeline, type MetricsPipelineConfig } from './instance.js';
import { registerMetricsPipelineMetrics } from './self-metrics.js';

export const metricsKind: PipelineKind<MetricsPipelineConfig, MetricsPipeline> = {
  kind: 'metrics',
  specs: (config) =>
    config.instances.map((instance) => ({
      kind: 'metrics',
      name: instance.name,
      path: instance.path,
      config: {
        instance,
        // Shared by every instance: a change to any of them restarts them all.
        walDirectory: config.walDirectory,
        walCleanupAgeMs: config.file.metrics.wal_cleanup_age,
        walMaxBytes: config.file.metrics.wal_max_size,
        walCleanupPeriodMs: config.file.metrics.wal_cleanup_period,
        externalLabels: config.file.metrics.global.external_labels,
      },
    })),
  prepare: (spec, context) => prepareMetrics(spec.config, context),
  registerMetrics: registerMetricsPipelineMetrics,
  routes: (running) => [
    // Grafana Agent's shape (instance, target_group, endpoint, state, labels,
    // discovered_labels, last_scrape, scrape_duration_ms, scrape_error), and
    // its deprecated alias; `job`, `url` and `health` kept for scripts.
    ...['/agent/api/v1/metrics/targets', '/agent/api/v1/targets'].map((path) =>
      jsonDocument(path, () => running().flatMap((p) => p.scrapes.targets().map(agentTarget(p)))),
    ),
    // Prometheus's shape, with the targets dropped by relabeling or discovery and why.
    jsonDocument('/api/v1/targets', () => ({
      activeTargets: running().flatMap((p) =>
        p.scrapes.targets().map((t) => ({
          discoveredLabels: t.discoveredLabels,
          labels: t.labels,
          scrapePool: t.job,
          scrapeUrl: t.url,
          lastError: t.lastError,
          lastScrape: t.lastScrape === undefined ? null : new Date(t.lastScrape).toISOString(),
          lastScrapeDuration: t.lastScrapeDurationMs / 1000,
          health: t.health,
        })),
      ),
      droppedTargets: running().flatMap((p) =>
        p.scrapes.dropped().map((d) => ({
          discoveredLabels: d.discoveredLabels,
          scrapePool: d.job,
          dropReason: d.reason,
        })),
      ),
    })),
  ],
};

const agentTarget =
  (p: MetricsPipeline) =>
  (t: TargetReport): Record<string, unknown> => ({
    instance: p.name,
    target_group: t.job,
    endpoint: t.url,
    state: t.health,
    labels: t.labels,
    discovered_labels: t.discoveredLabels,
    last_scrape: t.lastScrape === undefined ? null : new Date(t.lastScrape).toISOString(),
    scrape_duration_ms: t.lastScrapeDurationMs,
    scrape_error: t.lastError,
    job: t.job,
    url: t.url,
    health: t.health,
  });
