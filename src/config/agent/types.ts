/** The agent's configuration after validation: what `signet run` builds pipelines from. */
import type { AwsAuth } from '../aws-auth.js';
import type { LogsClientFile, LogsInstanceFile, LogsScrapeConfigFile } from './logs-schema.js';
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
  /** `logs.configs[]`; empty when there is no `logs:` block. */
  readonly logs: readonly LogsInstance[];
}

/** A logs client (`clients[]`): a Loki push endpoint, signed when it has `sigv4`/`aws_auth`. */
export interface LogsClientTarget {
  readonly file: LogsClientFile;
  readonly path: string;
  /** `name`, or the URL's host and path (`cwlogs://<region>/<group>`), unique per logs config. */
  readonly name: string;
  readonly aws: AwsAuth | undefined;
  /** Set for a CloudWatch Logs client: where it sends (the block's keys over the URL's). */
  readonly cloudwatchLogs?: { readonly region: string | undefined; readonly logGroupName: string };
  /** Set for an S3 client: the bucket and prefix (the block's over the `s3://` URL's). */
  readonly s3?: { readonly bucket: string; readonly prefix: string | undefined };
}

export interface LogsJob {
  readonly file: LogsScrapeConfigFile;
  /** Key path, e.g. `logs.configs[0].scrape_configs[1]`. */
  readonly path: string;
}

/** One `logs.configs[]` entry: a pipeline that tails files and sends their lines to its clients. */
export interface LogsInstance {
  readonly name: string;
  readonly path: string;
  readonly jobs: readonly LogsJob[];
  /** Its own `clients`, or `logs.global.clients` when it has none. */
  readonly clients: readonly LogsClientTarget[];
  readonly positionsFile: string;
  readonly positionsSyncMs: number;
  readonly ignoreInvalidPositions: boolean;
  readonly targetSyncMs: number;
  readonly limits: LogsInstanceFile['limits_config'];
  /** Where the logs WAL lives, when `wal_config` or an AWS client (by default) turns it on. */
  readonly walDirectory: string | undefined;
  readonly pollMinMs: number;
  readonly pollMaxMs: number;
}
