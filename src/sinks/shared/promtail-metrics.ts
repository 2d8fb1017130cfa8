/**
 * The self-metrics every logs client shares, with Promtail's names and labels
 * (clients/pkg/promtail/client/metrics.go): one set per registry, made on
 * first use and found again by every client of any kind (Loki, CloudWatch
 * Logs, …), which fills in its own `host`.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

export interface PromtailClientMetrics {
  readonly sentEntries: Counter<'host'>;
  readonly sentBytes: Counter<'host'>;
  readonly droppedEntries: Counter<'host' | 'reason'>;
  readonly droppedBytes: Counter<'host' | 'reason'>;
  readonly requestDuration: Histogram<'status_code' | 'host'>;
  readonly batchRetries: Counter<'host'>;
}

const byRegistry = new WeakMap<Registry, PromtailClientMetrics>();

export function promtailClientMetrics(registry: Registry): PromtailClientMetrics {
  const known = byRegistry.get(registry);
  if (known !== undefined) return known;
  const registers = [registry];
  const metrics: PromtailClientMetrics = {
    sentEntries: new Counter({
      name: 'promtail_sent_entries_total',
      help: 'Number of log entries sent to the ingester.',
      labelNames: ['host'],
      registers,
    }),
    sentBytes: new Counter({
      name: 'promtail_sent_bytes_total',
      help: 'Number of bytes sent.',
      labelNames: ['host'],
      registers,
    }),
    droppedEntries: new Counter({
      name: 'promtail_dropped_entries_total',
      help: 'Number of log entries dropped because failed to be sent to the ingester after all retries.',
      labelNames: ['host', 'reason'],
      registers,
    }),
    droppedBytes: new Counter({
      name: 'promtail_dropped_bytes_total',
      help: 'Number of bytes dropped because failed to be sent to the ingester after all retries.',
      labelNames: ['host', 'reason'],
      registers,
    }),
    requestDuration: new Histogram({
      name: 'promtail_request_duration_seconds',
      help: 'Duration of send requests.',
      labelNames: ['status_code', 'host'],
      registers,
    }),
    batchRetries: new Counter({
      name: 'promtail_batch_retries_total',
      help: 'Number of times batches has had to be retried.',
      labelNames: ['host'],
      registers,
    }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
