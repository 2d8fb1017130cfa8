/**
 * The CloudWatch Logs clients' self-metrics: one set per agent, registered
 * once on the agent's Registry and shared by every client, which fills in
 * its own `host` (the endpoint's host:port, as Promtail labels its clients).
 * Where Promtail has a metric for the same thing it is used under Promtail's
 * name and labels (clients/pkg/promtail/client/metrics.go), shared with the
 * Loki clients on the same Registry; the rest are `signet_cloudwatch_logs_*`.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import { promtailClientMetrics, type PromtailClientMetrics } from '../shared/promtail-metrics.js';

/** Why events were dropped, the `reason` label. */
export type CloudWatchLogsDropReason =
  | 'too_old' // older than 14 days
  | 'expired' // older than the group's retention
  | 'too_new' // more than 2 hours ahead
  | 'empty' // an empty line: AWS takes no empty message
  | 'too_large' // in JSON, the labels alone exceed the event limit
  | 'invalid_parameter' // InvalidParameterException for the batch
  | 'invalid'; // any other refusal of the batch for good

export interface CloudWatchLogsMetrics extends PromtailClientMetrics {
  readonly failedRequests: Counter<'host' | 'cause'>;
  readonly retriedEntries: Counter<'host'>;
  readonly oversizedEntries: Counter<'host' | 'action'>;
  readonly batchEvents: Histogram<'host'>;
  readonly batchBytes: Histogram<'host'>;
  readonly resourcesCreated: Counter<'host' | 'resource'>;
}

export function createCloudWatchLogsMetrics(registry: Registry): CloudWatchLogsMetrics {
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    shared(registry, name, () => new Counter<L>({ name, help, labelNames, registers: [registry] }));
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets?: number[],
  ) =>
    shared(
      registry,
      name,
      () =>
        new Histogram<L>({
          name,
          help,
          labelNames,
          registers: [registry],
          ...(buckets ? { buckets } : {}),
        }),
    );
  return {
    ...promtailClientMetrics(registry),
    failedRequests: counter(
      'signet_cloudwatch_logs_failed_requests_total',
      'PutLogEvents calls that failed and were retried or held, by cause (e.g. AWS ThrottlingException, HTTP 503).',
      ['host', 'cause'],
    ),
    retriedEntries: counter(
      'signet_cloudwatch_logs_retried_entries_total',
      'Events sent again after a failed PutLogEvents, once per retry.',
      ['host'],
    ),
    oversizedEntries: counter(
      'signet_cloudwatch_logs_oversized_entries_total',
      'Entries over the 1 MiB event limit, by what was done (split into several events, or truncated).',
      ['host', 'action'],
    ),
    batchEvents: histogram(
      'signet_cloudwatch_logs_batch_events',
      'Events per PutLogEvents batch.',
      ['host'],
      [1, 10, 100, 500, 1000, 2500, 5000, 10000],
    ),
    batchBytes: histogram(
      'signet_cloudwatch_logs_batch_bytes',
      'Bytes per PutLogEvents batch as AWS counts them (UTF-8 messages plus 26 per event).',
      ['host'],
      [1024, 16384, 65536, 262144, 524288, 786432, 1048576],
    ),
    resourcesCreated: counter(
      'signet_cloudwatch_logs_resources_created_total',
      'Log groups and streams this agent created after PutLogEvents found them missing.',
      ['host', 'resource'],
    ),
  };
}

/** The metric already on the registry under `name` (a second create), else a new one. */
function shared<M>(registry: Registry, name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make();
}
