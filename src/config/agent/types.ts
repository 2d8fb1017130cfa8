/** The agent's configuration after validation: what `signet run` builds pipelines from. */
import type { AwsAuth } from '../aws-auth.js';
import type { AgentFile, RemoteWriteFile, ScrapeConfigFile } from './schema.js';

export interface ScrapeJob {
  readonly file: ScrapeConfigFile;
  /** Key path, e.g. `metrics.configs[0].scrape_configs[1]`. */
  readonly path: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** A signed target (API Gateway with AWS_IAM): service defaults to execute-api. */
  readonly aws: AwsAuth | undefined;
}

export interface RemoteWriteTarget {
  readonly file: RemoteWriteFile;
  readonly path: string;
  /** `name`, or one derived from the URL as Prometheus does (a hash), unique per instance. */
  readonly name: string;
  readonly aws: AwsAuth | undefined;
}

export interface MetricsInstance {
  readonly name: string;
  readonly path: string;
  readonly jobs: readonly ScrapeJob[];
  readonly remoteWrite: readonly RemoteWriteTarget[];
  readonly hostFilter: boolean;
  /** Applied to a target's discovered labels before host_filter judges them (e.g. to set `__host__`). */
  readonly hostFilterRelabelConfigs: readonly unknown[];
}

export interface AgentConfig {
  readonly file: AgentFile;
  readonly source: string;
  readonly walDirectory: string;
  /** `metrics.global.remote_write`, which instances without their own inherit. */
  readonly globalRemoteWrite: readonly RemoteWriteTarget[];
  readonly instances: readonly MetricsInstance[];
}
