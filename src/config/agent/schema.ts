/**
 * Grafana Agent static-mode YAML, as far as Signet runs it. Every object is
 * strict, so a misspelt key is an error with "did you mean"; keys Signet knows
 * but does not implement yet are refused saying what would be missing, or
 * warned about under --allow-unimplemented (see unimplemented.ts).
 */
import { z } from 'zod';
import { fileSdConfig, httpClient, relabelList, staticConfig } from './http-schema.js';
import { logsSchema } from './logs-schema.js';
import { kubernetesSdConfigSchema } from './kubernetes-sd-schema.js';
import { dnsSdConfigSchema, httpSdConfigSchema } from './sd-schema.js';
import { byteSize, duration, labelSet, notImplemented } from './values.js';

export const scrapeConfigSchema = z.strictObject({
  job_name: z.string().min(1),
  scrape_interval: duration.optional(),
  scrape_timeout: duration.optional(),
  metrics_path: z.string().default('/metrics'),
  params: z.record(z.string(), z.array(z.string())).default({}),
  scheme: z.enum(['http', 'https']).default('http'),
  honor_labels: z.boolean().default(false),
  honor_timestamps: z.boolean().default(true),
  sample_limit: z.number().int().nonnegative().default(0),
  label_limit: z.number().int().nonnegative().default(0),
  label_name_length_limit: z.number().int().nonnegative().default(0),
  label_value_length_limit: z.number().int().nonnegative().default(0),
  body_size_limit: byteSize.prefault(0),
  static_configs: z.array(staticConfig).default([]),
  file_sd_configs: z.array(fileSdConfig).default([]),
  kubernetes_sd_configs: z.array(kubernetesSdConfigSchema).default([]),
  dns_sd_configs: z.array(dnsSdConfigSchema).default([]),
  http_sd_configs: z.array(httpSdConfigSchema).default([]),
  relabel_configs: relabelList,
  metric_relabel_configs: relabelList,
  ...httpClient,
  target_limit: notImplemented,
  keep_dropped_targets: notImplemented,
  scrape_classic_histograms: notImplemented,
  native_histogram_bucket_limit: notImplemented,
  ec2_sd_configs: notImplemented,
  consul_sd_configs: notImplemented,
  docker_sd_configs: notImplemented,
  azure_sd_configs: notImplemented,
  gce_sd_configs: notImplemented,
});

const queueConfig = z.strictObject({
  capacity: z.number().int().positive().optional(),
  max_shards: z.number().int().positive().optional(),
  min_shards: z.number().int().positive().optional(),
  max_samples_per_send: z.number().int().positive().optional(),
  batch_send_deadline: duration.optional(),
  min_backoff: duration.optional(),
  max_backoff: duration.optional(),
  retry_on_http_429: z.boolean().optional(),
  sample_age_limit: notImplemented,
});

export const remoteWriteSchema = z.strictObject({
  url: z.string().url(),
  name: z.string().optional(),
  remote_timeout: duration.prefault('30s'),
  headers: z.record(z.string(), z.string()).default({}),
  write_relabel_configs: relabelList,
  queue_config: queueConfig.prefault({}),
  ...httpClient,
  // One connection per shard carries more than multiplexed streams on one.
  enable_http2: z.boolean().default(false),
  metadata_config: z
    .strictObject({
      send: z.boolean().default(true),
      send_interval: duration.prefault('1m'),
      max_samples_per_send: z.number().int().positive().default(500),
    })
    .prefault({}),
  send_exemplars: notImplemented,
  send_native_histograms: notImplemented,
  azuread: notImplemented,
});

const globalSchema = z.strictObject({
  scrape_interval: duration.prefault('1m'),
  scrape_timeout: duration.prefault('10s'),
  external_labels: labelSet.default({}),
  remote_write: z.array(remoteWriteSchema).default([]),
});

const instanceSchema = z.strictObject({
  name: z.string().min(1),
  scrape_configs: z.array(scrapeConfigSchema).default([]),
  remote_write: z.array(remoteWriteSchema).default([]),
  host_filter: z.boolean().default(false),
  host_filter_relabel_configs: relabelList,
  wal_truncate_frequency: notImplemented,
  min_wal_time: notImplemented,
  max_wal_time: notImplemented,
  remote_flush_deadline: notImplemented,
  write_stale_on_shutdown: notImplemented,
});

const metricsSchema = z.strictObject({
  wal_directory: z.string().optional(),
  wal_dir: z.string().optional(),
  wal_cleanup_age: duration.prefault('12h'),
  /** Signet's own: the most each instance's WAL may hold on disk; the oldest unsent segments go first. 0: no bound. */
  wal_max_size: byteSize.prefault(0),
  // How often the WAL is truncated. Grafana Agent's 30m is for its cleaner of
  // abandoned WALs; here the period drives the truncation of sent segments,
  // which the agent has always run every minute.
  wal_cleanup_period: duration
    .refine((ms) => ms > 0, {
      message: 'must be more than 0',
      params: { hint: 'without truncation the WAL would grow without bound: write e.g. 1m' },
    })
    .prefault('1m'),
  global: globalSchema.prefault({}),
  configs: z.array(instanceSchema).default([]),
  scraping_service: notImplemented,
  scraping_service_client: notImplemented,
  instance_restart_backoff: notImplemented,
  instance_mode: notImplemented,
  disable_keepalives: notImplemented,
  idle_connection_timeout: notImplemented,
});

const serverSchema = z.strictObject({
  http_listen_address: z.string().default('127.0.0.1'),
  http_listen_port: z.number().int().min(0).max(65535).default(12345),
  log_level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  log_format: z.enum(['logfmt', 'json']).default('logfmt'),
  grpc_listen_address: notImplemented,
  grpc_listen_port: notImplemented,
  http_tls_config: notImplemented,
  grpc_tls_config: notImplemented,
  register_instrumentation: notImplemented,
  /** How long SIGTERM may take: queues drain for half of it, then in-flight sends are abandoned (the WAL keeps them). */
  graceful_shutdown_timeout: duration
    .refine((ms) => ms > 0, {
      message: 'must be more than 0',
      params: {
        hint: 'queues drain for half of it before unsent data is left in the WAL: write e.g. 10s',
      },
    })
    .prefault('10s'),
  log_source_ips_enabled: notImplemented,
});

export const agentFileSchema = z.strictObject({
  server: serverSchema.prefault({}),
  metrics: metricsSchema.prefault({}),
  logs: logsSchema.optional(),
  traces: notImplemented,
  integrations: notImplemented,
  agent_management: notImplemented,
});

export type AgentFile = z.output<typeof agentFileSchema>;
export type ScrapeConfigFile = z.output<typeof scrapeConfigSchema>;
export type RemoteWriteFile = z.output<typeof remoteWriteSchema>;
