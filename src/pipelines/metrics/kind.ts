/**
 * The metrics pipeline kind: one pipeline per `metrics.configs[]` entry,
 * Prometheus's agent mode (scrape → relabel → WAL → remote_write).
 */
import { jsonDocument } from '../../server/routes.js';
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
        walCleanupPeriodMs: config.file.metrics.wal_cleanup_period,
        externalLabels: config.file.metrics.global.external_labels,
      },
    })),
  prepare: (spec, context) => prepareMetrics(spec.config, context),
  registerMetrics: registerMetricsPipelineMetrics,
  routes: (running) => [
    jsonDocument('/agent/api/v1/metrics/targets', () =>
      running().flatMap((p) => p.scrapes.targets().map((t) => ({ instance: p.name, ...t }))),
    ),
  ],
};
