/**
 * The logs pipeline kind: one pipeline per `logs.configs[]` entry,
 * Promtail's tail → stages → (WAL) → clients.
 */
import { jsonDocument } from '../../server/routes.js';
import type { PipelineKind } from '../pipeline.js';
import { prepareLogs, type LogsPipeline, type LogsPipelineConfig } from './instance.js';
import { registerLogsKindMetrics } from './self-metrics.js';

export const logsKind: PipelineKind<LogsPipelineConfig, LogsPipeline> = {
  kind: 'logs',
  specs: (config) =>
    config.logs.map((instance) => ({
      kind: 'logs',
      name: instance.name,
      path: instance.path,
      config: { instance },
    })),
  prepare: (spec, context) => prepareLogs(spec.config, context),
  registerMetrics: (registry, running) => registerLogsKindMetrics(registry, running),
  routes: (running) => [
    jsonDocument('/agent/api/v1/logs/instances', () => running().map((p) => p.name)),
    // Each tailed file with how far it is read and how far that is safe, and
    // the targets discovery found but relabeling or __host__ dropped.
    jsonDocument('/agent/api/v1/logs/targets', () =>
      running().flatMap((p) => [
        ...p.files().map((f) => ({
          instance: p.name,
          target_group: f.job,
          type: 'file',
          path: f.path,
          labels: f.labels,
          ready: true,
          details: {
            read_offset: f.readOffset,
            settled_offset: f.settledOffset,
            size: f.size,
            lag_bytes: f.lag,
          },
        })),
        ...p.droppedTargets().map((d) => ({
          instance: p.name,
          type: 'file',
          ready: false,
          discovered_labels: d.discovered,
          reason: d.reason,
        })),
      ]),
    ),
  ],
};
