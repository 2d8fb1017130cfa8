/**
 * The Loki clients' self-metrics, with Promtail's names and labels
 * (clients/pkg/promtail/client/metrics.go): one set per agent, registered
 * once, shared by every client, which fills in its own `host`.
 */
import type { Registry } from 'prom-client';
import { promtailClientMetrics, type PromtailClientMetrics } from '../shared/promtail-metrics.js';

/** Promtail's client metrics, shared with every other logs client on the registry. */
export type LokiClientMetrics = PromtailClientMetrics;

/** Promtail's drop reasons. */
export type LokiDropReason =
  | 'ingester_error' // refused for good (4xx), or still failing after max_retries
  | 'rate_limited' // 429, after max_retries or at once with drop_rate_limited_batches
  | 'stream_limited'; // Loki's per-tenant stream limit

export function createLokiClientMetrics(registry: Registry): LokiClientMetrics {
  return promtailClientMetrics(registry);
}
