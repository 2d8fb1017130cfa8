/**
 * Runs the scrape jobs of one metrics instance: turns discovered groups into
 * targets, and starts, keeps or stops a loop per target as discovery changes.
 */
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { LogCallback } from '../../log.js';
import type { AwsClient } from '../../aws/http/aws-client.js';
import { getLabel, type Labels } from '../../model/labels.js';
import type { MetricMetadata } from '../../model/metadata.js';
import { compileRelabelConfigs, relabel, type RelabelRule } from '../../process/relabel/index.js';
import type { SampleAppender } from './appender.js';
import { FileDiscovery } from './file-sd.js';
import { jobHttp, type JobHttp } from './http-client.js';
import { startKubernetesSd } from './kubernetes-sd.js';
import { startPolledSd } from './polled-sd.js';
import { ScrapeLoop, type LoopObserver, type TargetStatus } from './loop.js';
import type { ScrapeJobOptions, ScrapeOptions } from './options.js';
import {
  discoveredLabels,
  isTarget,
  populateTarget,
  type DroppedTarget,
  type JobDefaults,
  type Target,
  type TargetGroup,
} from './targets.js';

export interface ManagerOptions {
  readonly instance: ScrapeOptions;
  readonly appender: SampleAppender;
  /**
   * The signing client for a job with sigv4/aws_auth, built by the caller
   * (credentials are shared) over the job's dispatcher (its TLS and proxy).
   */
  readonly awsClientFor: (
    job: ScrapeJobOptions,
    target: Target,
    dispatcher: Dispatcher,
  ) => AwsClient | undefined;
  readonly userAgent: string;
  readonly log: LogCallback;
  readonly observers?: ScrapeObservers | undefined;
}

/** Where timings go as they happen, in seconds. */
export interface ScrapeObservers {
  /** The actual intervals of a target scraped every `intervalMs`. */
  interval(intervalMs: number): (seconds: number) => void;
  /** How long applying a discovery change to a job's targets took. */
  sync(job: string): (seconds: number) => void;
}

/** What this manager counted since it started, for the self-metrics. */
export interface ScrapeCounts {
  /** Scrape pools (jobs) created: prometheus_target_scrape_pools_total. */
  readonly poolsCreated: number;
  /** Target syncs (discovery changes applied) by job name: prometheus_target_scrape_pool_sync_total. */
  readonly syncs: ReadonlyMap<string, number>;
  readonly sampleLimitExceeded: number;
  readonly bodySizeLimitExceeded: number;
  /** Files of file_sd_configs that could not be read or parsed: prometheus_sd_file_read_errors_total. */
  readonly fileSdReadErrors: number;
  /** Failed lists and watches of kubernetes_sd_configs: prometheus_sd_kubernetes_failures_total. */
  readonly kubernetesSdFailures: number;
  /** DNS lookups of dns_sd_configs: prometheus_sd_dns_lookups_total. */
  readonly dnsSdLookups: number;
  /** Of those, the failed ones: prometheus_sd_dns_lookup_failures_total. */
  readonly dnsSdLookupFailures: number;
  /** Failed refreshes of http_sd_configs: prometheus_sd_http_failures_total. */
  readonly httpSdFailures: number;
}

/** One scrape pool (a job) now. */
export interface PoolReport {
  readonly job: string;
  /** Targets scraped. */
  readonly targets: number;
  /** Targets discovered, before relabeling and the host filter. */
  readonly discovered: number;
}

interface JobState {
  readonly job: ScrapeJobOptions;
  readonly defaults: JobDefaults;
  readonly relabel: readonly RelabelRule[];
  readonly metricRelabel: readonly RelabelRule[];
  readonly http: JobHttp;
  readonly loops: Map<string, ScrapeLoop>;
  /** Per target key, the labels discovery gave it. */
  readonly discovered: Map<string, Labels>;
  /** The dropped targets' reasons last logged, to log again only when they change. */
  droppedSummary: string;
  readonly groups: Map<string, TargetGroup[]>;
  dropped: DroppedTarget[];
  discovery: { stop(): unknown }[];
}

export interface TargetReport extends TargetStatus {
  readonly job: string;
  readonly url: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The labels discovery gave, before relabeling (Prometheus's discoveredLabels). */
  readonly discoveredLabels: Readonly<Record<string, string>>;
}

export interface DroppedReport {
  readonly job: string;
  readonly discoveredLabels: Readonly<Record<string, string>>;
  /** Why: the relabel rule that dropped it, no address, host_filter… */
  readonly reason: string;
}

const asRecord = (labels: Labels): Record<string, string> =>
  Object.fromEntries(labels.map((l) => [l.name, l.value]));

/** The labels Grafana Agent's host filter reads after `__address__` (its HostFilterLabelMatchers). */
const HOST_LABELS = [
  '__meta_consul_node',
  '__meta_dockerswarm_node_id',
  '__meta_dockerswarm_node_hostname',
  '__meta_dockerswarm_node_address',
  '__meta_kubernetes_pod_node_name',
  '__meta_kubernetes_node_name',
  '__host__',
];

/** A label value names this host: its host part (a port cut off) is localhost, 127.0.0.1 or the hostname. */
function namesHost(value: string, host: string): boolean {
  const bracketed = /^\[(.*)\](?::[^:]*)?$/.exec(value);
  const name = bracketed
    ? bracketed[1]!
    : value.split(':').length === 2
      ? value.slice(0, value.indexOf(':'))
      : value;
  const h = name.toLowerCase();
  return h === 'localhost' || h === '127.0.0.1' || h === host;
}

/**
 * Grafana Agent's host_filter: a target stays if its `__address__`, or any
 * non-empty label of HOST_LABELS, names this host ($HOSTNAME, else the
 * machine's name), judged after host_filter_relabel_configs. A target those
 * rules drop or leave without an address is kept, as Grafana Agent keeps it.
 */
function matchesHost(discovered: Labels, rules: readonly RelabelRule[]): boolean {
  const host = (process.env.HOSTNAME || hostname()).toLowerCase();
  const labels = relabel(discovered, rules);
  const address = labels && getLabel(labels, '__address__');
  if (!labels || !address || namesHost(address, host)) return true;
  return HOST_LABELS.some((name) => {
    const value = getLabel(labels, name);
    return value !== undefined && value !== '' && namesHost(value, host);
  });
}

export class ScrapeManager {
  private readonly jobs: JobState[];
  private readonly hostFilterRelabel: readonly RelabelRule[];
  private readonly observers = new Map<number, LoopObserver>();
  private readonly c = {
    syncs: new Map<string, number>(),
    sampleLimitExceeded: 0,
    bodySizeLimitExceeded: 0,
    fileSdReadErrors: 0,
    kubernetesSdFailures: 0,
    dnsSdLookups: 0,
    dnsSdLookupFailures: 0,
    httpSdFailures: 0,
  };

  constructor(private readonly o: ManagerOptions) {
    this.hostFilterRelabel = compileRelabelConfigs(
      o.instance.hostFilterRelabelConfigs,
      `${o.instance.path}.host_filter_relabel_configs`,
    );
    this.jobs = o.instance.jobs.map((job) => ({
      job,
      defaults: {
        jobName: job.file.job_name,
        scheme: job.file.scheme,
        metricsPath: job.file.metrics_path,
        intervalMs: job.intervalMs,
        timeoutMs: job.timeoutMs,
        params: job.file.params,
      },
      relabel: compileRelabelConfigs(job.file.relabel_configs, `${job.path}.relabel_configs`),
      metricRelabel: compileRelabelConfigs(
        job.file.metric_relabel_configs,
        `${job.path}.metric_relabel_configs`,
      ),
      http: jobHttp(job.file, job.path),
      loops: new Map(),
      discovered: new Map(),
      droppedSummary: '',
      groups: new Map(),
      dropped: [],
      discovery: [],
    }));
  }

  start(): void {
    for (const state of this.jobs) {
      const statics = state.job.file.static_configs.map((sc, i) => ({
        targets: sc.targets,
        labels: sc.labels,
        source: `static_configs[${i}]`,
      }));
      state.groups.set('static', statics);
      state.job.file.file_sd_configs.forEach((fsd, i) => {
        const discovery = new FileDiscovery({
          files: fsd.files,
          refreshIntervalMs: fsd.refresh_interval,
          onChange: (groups) => {
            state.groups.set(`file:${i}`, groups);
            this.sync(state);
          },
          onError: (file, message) => {
            this.c.fileSdReadErrors++;
            this.o.log(
              'warn',
              `${state.job.path}.file_sd_configs[${i}]: ${file}: ${message}; keeping its last good targets`,
            );
          },
        });
        state.discovery.push(discovery);
        discovery.start();
      });
      state.job.file.kubernetes_sd_configs.forEach((ksd, i) => {
        const path = `${state.job.path}.kubernetes_sd_configs[${i}]`;
        const discovery = startKubernetesSd(ksd, path, this.o.log, {
          onChange: (groups) => {
            state.groups.set(`kubernetes:${i}`, groups);
            this.sync(state);
          },
          onFailure: () => this.c.kubernetesSdFailures++,
        });
        state.discovery.push(discovery);
      });
      const polled = startPolledSd(state.job, this.o.userAgent, this.o.log, {
        onChange: (key, groups) => {
          state.groups.set(key, groups);
          this.sync(state);
        },
        onDnsLookup: (failed) => {
          this.c.dnsSdLookups++;
          if (failed) this.c.dnsSdLookupFailures++;
        },
        onHttpFailure: () => this.c.httpSdFailures++,
      });
      state.discovery.push(...polled);
      this.sync(state);
    }
  }

  private sync(state: JobState): void {
    const began = performance.now();
    const name = state.job.file.job_name;
    this.c.syncs.set(name, (this.c.syncs.get(name) ?? 0) + 1);
    const wanted = new Map<string, Target>();
    const dropped: DroppedTarget[] = [];
    state.discovered.clear();
    for (const group of [...state.groups.values()].flat()) {
      for (const address of group.targets) {
        const discovered = discoveredLabels(address, group, state.defaults);
        const t = populateTarget(discovered, state.relabel, state.defaults);
        if (!isTarget(t)) dropped.push(t);
        else if (this.o.instance.hostFilter && !matchesHost(discovered, this.hostFilterRelabel))
          dropped.push({ discovered, reason: 'host_filter: not this host' });
        else {
          wanted.set(t.key, t);
          state.discovered.set(t.key, discovered);
        }
      }
    }
    state.dropped = dropped;
    this.logDropped(state);
    for (const [key, loop] of state.loops) {
      if (!wanted.has(key)) {
        state.loops.delete(key);
        void loop.stop();
      }
    }
    for (const [key, target] of wanted) {
      if (state.loops.has(key)) continue;
      const sc = state.job.file;
      const loop = new ScrapeLoop({
        target,
        appender: this.o.appender,
        fetch: {
          bodySizeLimit: sc.body_size_limit,
          http: state.http,
          aws: this.o.awsClientFor(state.job, target, state.http.dispatcher),
          userAgent: this.o.userAgent,
        },
        honorLabels: sc.honor_labels,
        honorTimestamps: sc.honor_timestamps,
        sampleLimit: sc.sample_limit,
        limits: {
          labelLimit: sc.label_limit,
          nameLengthLimit: sc.label_name_length_limit,
          valueLengthLimit: sc.label_value_length_limit,
        },
        metricRelabel: state.metricRelabel,
        observer: this.observer(target.intervalMs),
        onHealthChange: (status) => {
          const job = sc.job_name;
          if (status.health === 'down')
            this.o.log('warn', `target ${target.url} (job ${job}) is down: ${status.lastError}`);
          else this.o.log('info', `target ${target.url} (job ${job}) is up again`);
        },
      });
      state.loops.set(key, loop);
      loop.start();
    }
    this.o.observers?.sync(name)((performance.now() - began) / 1000);
  }

  /** One observer per interval: loops of the same interval share its summary. */
  private observer(intervalMs: number): LoopObserver {
    let observer = this.observers.get(intervalMs);
    if (!observer) {
      const interval = this.o.observers?.interval(intervalMs);
      observer = {
        interval: (seconds) => interval?.(seconds),
        exceeded: (limit) => {
          if (limit === 'sample') this.c.sampleLimitExceeded++;
          else this.c.bodySizeLimitExceeded++;
        },
      };
      this.observers.set(intervalMs, observer);
    }
    return observer;
  }

  get counts(): ScrapeCounts {
    return { poolsCreated: this.jobs.length, ...this.c };
  }

  pools(): PoolReport[] {
    return this.jobs.map((state) => ({
      job: state.job.file.job_name,
      targets: state.loops.size,
      discovered: [...state.groups.values()].flat().reduce((n, g) => n + g.targets.length, 0),
    }));
  }

  targets(): TargetReport[] {
    return this.jobs.flatMap((state) =>
      [...state.loops.entries()].map(([key, loop]) => ({
        job: state.job.file.job_name,
        url: loop.target.url,
        labels: asRecord(loop.target.labels),
        discoveredLabels: asRecord(state.discovered.get(key) ?? []),
        ...loop.status(),
      })),
    );
  }

  /** Targets discovery found but relabeling, a missing address or host_filter dropped. */
  dropped(): DroppedReport[] {
    return this.jobs.flatMap((state) =>
      state.dropped.map((d) => ({
        job: state.job.file.job_name,
        discoveredLabels: asRecord(d.discovered),
        reason: d.reason,
      })),
    );
  }

  /** Says why targets are dropped each time the reasons change, so zero targets is never silent. */
  private logDropped(state: JobState): void {
    const counts = new Map<string, number>();
    for (const d of state.dropped) counts.set(d.reason, (counts.get(d.reason) ?? 0) + 1);
    const summary = [...counts].map(([reason, n]) => `${n} × ${reason}`).join('; ');
    if (summary === state.droppedSummary) return;
    state.droppedSummary = summary;
    const job = state.job.file.job_name;
    if (summary === '') this.o.log('info', `job ${job}: no targets dropped any more`);
    else
      this.o.log(
        'warn',
        `job ${job}: ${state.dropped.length} of its discovered targets are dropped: ${summary}`,
      );
  }

  /** Every active target's metadata, each distinct entry once (as Prometheus's metadata watcher collects it). */
  metadata(): MetricMetadata[] {
    const distinct = new Map<string, MetricMetadata>();
    for (const state of this.jobs)
      for (const loop of state.loops.values())
        for (const m of loop.metadata())
          distinct.set(`${m.family}\xff${m.type}\xff${m.help}\xff${m.unit}`, m);
    return [...distinct.values()];
  }

  droppedTargets(): number {
    return this.jobs.reduce((n, s) => n + s.dropped.length, 0);
  }

  /** Stops every loop; `markStale: false` when a reload restarts the same targets. */
  async stop(markStale = true): Promise<void> {
    await Promise.all(this.jobs.flatMap((state) => state.discovery.map((d) => d.stop())));
    await Promise.all(
      this.jobs.flatMap((s) => [...s.loops.values()].map((l) => l.stop(markStale))),
    );
    for (const state of this.jobs) state.loops.clear();
    // The jobs' connection pools go with them: an idle keep-alive or HTTP/2
    // session would otherwise keep the process alive after a stop.
    await Promise.all(this.jobs.map((s) => s.http.dispatcher.destroy()));
  }
}
