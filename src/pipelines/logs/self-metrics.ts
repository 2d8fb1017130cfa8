/**
 * The logs pipelines' self-metrics, with Promtail's names where Promtail has
 * one: what is read per file, what the files hold and how far behind their
 * saved positions are, what was dropped or cut and why, and the clients'
 * sent/dropped counts (the Loki client's own metrics). Counters live once per
 * registry and keep counting across reloads; gauges are read from the
 * running pipelines when the registry is collected.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { createLokiClientMetrics, type LokiClientMetrics } from '../../sinks/loki/index.js';
import type { LogsPipeline } from './instance.js';

export interface LogsMetrics {
  readonly loki: LokiClientMetrics;
  readonly readBytes: Counter<'path'>;
  readonly readLines: Counter<'path'>;
  readonly encodingFailures: Counter<'path'>;
  /** Lines cut at max_line_size (max_line_size_truncate). */
  readonly truncatedLines: Counter<'path'>;
  /** Lines the pipeline itself dropped (stages count theirs in logentry_dropped_lines_total). */
  readonly droppedLines: Counter<'pipeline' | 'reason'>;
}

const byRegistry = new WeakMap<Registry, LogsMetrics>();

/** The counters of `registry`, made on first use. */
export function logsMetrics(registry: Registry): LogsMetrics {
  let metrics = byRegistry.get(registry);
  if (metrics !== undefined) return metrics;
  const registers = [registry];
  metrics = {
    loki: createLokiClientMetrics(registry),
    readBytes: new Counter({
      name: 'promtail_read_bytes_total',
      help: 'Number of bytes read.',
      labelNames: ['path'],
      registers,
    }),
    readLines: new Counter({
      name: 'promtail_read_lines_total',
      help: 'Number of lines read.',
      labelNames: ['path'],
      registers,
    }),
    encodingFailures: new Counter({
      name: 'promtail_encoding_failures_total',
      help: 'Number of encoding failures.',
      labelNames: ['path'],
      registers,
    }),
    truncatedLines: new Counter({
      name: 'signet_logs_truncated_lines_total',
      help: 'Lines cut to limits_config.max_line_size.',
      labelNames: ['path'],
      registers,
    }),
    droppedLines: new Counter({
      name: 'signet_logs_dropped_lines_total',
      help: 'Lines the logs pipeline dropped, by reason: line_too_long, stream_limited, readline_rate_limited, entry_too_large.',
      labelNames: ['pipeline', 'reason'],
      registers,
    }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}

/** The gauges, read from the running pipelines at each collection. */
export function registerLogsKindMetrics(
  registry: Registry,
  running: () => readonly LogsPipeline[],
): void {
  logsMetrics(registry);
  const registers = [registry];
  new Gauge({
    name: 'promtail_files_active_total',
    help: 'Number of active files.',
    registers,
    collect() {
      this.set(running().reduce((n, p) => n + p.files().length, 0));
    },
  });
  new Gauge({
    name: 'promtail_targets_active_total',
    help: 'Number of active total.',
    registers,
    collect() {
      this.set(running().reduce((n, p) => n + p.targetCount(), 0));
    },
  });
  new Gauge({
    name: 'promtail_file_bytes_total',
    help: 'Number of bytes total.',
    labelNames: ['path'],
    registers,
    collect() {
      this.reset();
      for (const p of running()) for (const f of p.files()) this.set({ path: f.path }, f.size);
    },
  });
  new Gauge({
    name: 'signet_logs_position_lag_bytes',
    help: 'Bytes of a file read but not yet safe (sent, or in the logs WAL): what a crash now would read again.',
    labelNames: ['path'],
    registers,
    collect() {
      this.reset();
      for (const p of running()) for (const f of p.files()) this.set({ path: f.path }, f.lag);
    },
  });
  new Gauge({
    name: 'signet_logs_wal_size_bytes',
    help: 'Bytes the logs WAL holds on disk, per logs config with wal_config.',
    labelNames: ['pipeline'],
    registers,
    collect() {
      this.reset();
      for (const p of running()) {
        const bytes = p.walBytes();
        if (bytes !== undefined) this.set({ pipeline: p.name }, bytes);
      }
    },
  });
}
