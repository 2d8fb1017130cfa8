/**
 * The Loki clients' self-metrics, with Promtail's names and labels
 * (clients/pkg/promtail/client/metrics.go): one set per agent, registered
 * once, shared by every client, which fills in its own `host`.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

export interface LokiClientMetrics {
  readonly sentEntries: Counter<'host'>;
  readonly sentBytes: Counter<'host'>;
  readonly droppedEntries: Counter<'host' | 'reason'>;
  readonly droppedBytes: Counter<'host' | 'reason'>;
  readonly requestDuration: Histogram<'status_code' | 'host'>;
  readonly batchRetries: Counter<'host'>;
}

/** Promtail's drop reasons. */
export type LokiDropReason =
  | 'ingester_error' // refused for good (4xx), or still failing after max_retries
  | 'rate_limited' // 429, after max_retries or at once with drop_rate_limited_batches
  | 'stream_limited'; // Loki's per-tenant stream limit

export function createLokiClientMetrics(registry: Registry): LokiClientMetrics {
  const registers = [registry];
  return {
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
}
