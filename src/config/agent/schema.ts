/**
 * Grafana Agent static-mode YAML, as far as Signet runs it. Every object is
 * strict, so a misspelt key is an error with "did you mean"; keys Signet knows
 * but does not implement yet are refused saying what would be missing, or
 * warned about under --allow-unimplemented (see unimplemented.ts).
 */
import { z } from 'zod';
import { kubernetesSdConfigSchema } from './kubernetes-sd-schema.js';
import { byteSize, duration, labelSet, notImplemented } from './values.js';

const awsBlock = z.record(z.string(), z.unknown()).nullable();

const basicAuth = z.strictObject({
  username: z.string(),
  password: z.string().optional(),
  password_file: z.string().optional(),
});

const authorization = z
  .strictObject({
    // Sent as `Authorization: <type> <credentials>`; Prometheus refuses Basic here.
    type: z
      .string()
      .default('Bearer')
      .refine((type) => type.toLowerCase() !== 'basic', {
        message: 'authorization type cannot be set to "basic", use "basic_auth" instead',
        params: { hint: 'write basic_auth: { username: …, password: … } instead' },
      }),
    credentials: z.string().optional(),
    credentials_file: z.string().optional(),
    /** Seen in guides for API Gateway; accepted with a warning saying where it belongs. */
    sigv4: awsBlock.optional(),
  })
  .refine((a) => a.credentials === undefined || a.credentials_file === undefined, {
    message: 'sets both credentials and credentials_file',
    path: ['credentials_file'],
    params: { hint: 'keep one of them' },
  });

const tlsConfig = z
  .strictObject({
    ca_file: z.string().optional(),
    ca: z.string().optional(),
    cert_file: z.string().optional(),
    key_file: z.string().optional(),
    server_name: z.string().optional(),
    insecure_skip_verify: z.boolean().default(false),
    min_version: notImplemented,
  })
  .superRefine((tls, ctx) => {
    if (tls.ca_file !== undefined && tls.ca !== undefined)
      ctx.issues.push({
        code: 'custom',
        input: tls,
        path: ['ca'],
        message: 'is set together with ca_file',
        params: { hint: 'keep one of them' },
      });
    const [has, missing] =
      tls.cert_file !== undefined ? ['cert_file', 'key_file'] : ['key_file', 'cert_file'];
    if ((tls.cert_file === undefined) !== (tls.key_file === undefined))
      ctx.issues.push({
        code: 'custom',
        input: tls,
        path: [has],
        message: `is set without ${missing}`,
        params: { hint: 'a client certificate needs both cert_file and key_file' },
      });
  });

/** Prometheus's proxies are http or https URLs (socks5 is not offered here). */
const proxyUrl = z
  .string()
  .url()
  .refine((url) => /^https?:$/.test(new URL(url).protocol), {
    message: 'must be an http:// or https:// URL',
    params: { hint: 'write the proxy as http://host:port' },
  });

/** What every HTTP client block shares (scrape and remote_write). */
const httpClient = {
  basic_auth: basicAuth.optional(),
  authorization: authorization.optional(),
  bearer_token: z.string().optional(),
  bearer_token_file: z.string().optional(),
  tls_config: tlsConfig.optional(),
  proxy_url: proxyUrl.optional(),
  sigv4: awsBlock.optional(),
  aws_auth: awsBlock.optional(),
  follow_redirects: z.boolean().default(true),
  // Prometheus's defaults differ: true for scrapes, false for remote_write (set below).
  enable_http2: z.boolean().default(true),
  oauth2: notImplemented,
  no_proxy: notImplemented,
  proxy_from_environment: notImplemented,
  proxy_connect_header: notImplemented,
};

const staticConfig = z.strictObject({
  targets: z.array(z.string()).default([]),
  labels: labelSet.default({}),
});

const fileSdConfig = z.strictObject({
  files: z.array(z.string()).min(1),
  refresh_interval: duration.prefault('5m'),
});

const relabelList = z.array(z.unknown()).default([]);

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
  relabel_configs: relabelList,
  metric_relabel_configs: relabelList,
  ...httpClient,
  target_limit: notImplemented,
  keep_dropped_targets: notImplemented,
  scrape_classic_histograms: notImplemented,
  native_histogram_bucket_limit: notImplemented,
  ec2_sd_configs: notImplemented,
  consul_sd_configs: notImplemented,
  dns_sd_configs: notImplemented,
  http_sd_configs: notImplemented,
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
  logs: notImplemented,
  traces: notImplemented,
  integrations: notImplemented,
  agent_management: notImplemented,
});

export type AgentFile = z.output<typeof agentFileSchema>;
export type ScrapeConfigFile = z.output<typeof scrapeConfigSchema>;
export type RemoteWriteFile = z.output<typeof remoteWriteSchema>;
