/**
 * What the scraper is given: plain options, not the configuration schema's
 * types, so sources stay independent of how a file spells them. The field
 * names are Prometheus's scrape_config keys, which the config loader already
 * validated and defaulted; the metrics pipeline passes its jobs as they are.
 */
import type { HttpClientKeys } from '../../net/http-dispatcher.js';
import type { DnsSdSettings } from '../discovery/dns/index.js';
import type { HttpSdSettings } from '../discovery/http/index.js';
import type { KubernetesSdSettings } from '../discovery/kubernetes/index.js';

/** How a job reaches its targets (Prometheus's HTTP client settings). */
export interface ScrapeHttpSettings extends HttpClientKeys {
  readonly basic_auth?:
    | {
        readonly username: string;
        readonly password?: string | undefined;
        readonly password_file?: string | undefined;
      }
    | undefined;
  readonly authorization?:
    | {
        readonly type: string;
        readonly credentials?: string | undefined;
        readonly credentials_file?: string | undefined;
      }
    | undefined;
  readonly bearer_token?: string | undefined;
  readonly bearer_token_file?: string | undefined;
}

/** One scrape job's settings, by Prometheus's scrape_config key. */
export interface ScrapeSettings extends ScrapeHttpSettings {
  readonly job_name: string;
  readonly metrics_path: string;
  readonly params: Readonly<Record<string, readonly string[]>>;
  readonly scheme: 'http' | 'https';
  readonly honor_labels: boolean;
  readonly honor_timestamps: boolean;
  readonly sample_limit: number;
  readonly label_limit: number;
  readonly label_name_length_limit: number;
  readonly label_value_length_limit: number;
  readonly body_size_limit: number;
  readonly static_configs: readonly {
    readonly targets: readonly string[];
    readonly labels: Readonly<Record<string, string>>;
  }[];
  readonly file_sd_configs: readonly {
    readonly files: readonly string[];
    readonly refresh_interval: number;
  }[];
  readonly kubernetes_sd_configs: readonly KubernetesSdSettings[];
  readonly dns_sd_configs: readonly DnsSdSettings[];
  readonly http_sd_configs: readonly HttpSdSettings[];
  readonly relabel_configs: readonly unknown[];
  readonly metric_relabel_configs: readonly unknown[];
}

export interface ScrapeJobOptions {
  /** The job's settings (`scrape_configs[]` entry). */
  readonly file: ScrapeSettings;
  /** Where it is configured, for messages: `metrics.configs[0].scrape_configs[1]`. */
  readonly path: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Present when targets are signed (SigV4); the caller builds the client. */
  readonly aws?: unknown;
}

/** The scrape side of one metrics pipeline. */
export interface ScrapeOptions {
  readonly path: string;
  readonly jobs: readonly ScrapeJobOptions[];
  readonly hostFilter: boolean;
  /** Applied to a target's discovered labels before host_filter judges them. */
  readonly hostFilterRelabelConfigs: readonly unknown[];
}
