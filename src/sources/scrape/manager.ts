/**
 * Runs the scrape jobs of one metrics instance: turns discovered groups into
 * targets, and starts, keeps or stops a loop per target as discovery changes.
 */
import { hostname } from 'node:os';
import type { LogCallback } from '../../log.js';
import type { AwsClient } from '../../aws/http/aws-client.js';
import { getLabel, type Labels } from '../../model/labels.js';
import type { MetricMetadata } from '../../model/metadata.js';
import { compileRelabelConfigs, relabel, type RelabelRule } from '../../process/relabel/index.js';
import type { SampleAppender } from './appender.js';
import { FileDiscovery } from './file-sd.js';
import { jobHttp, type JobHttp } from './http-client.js';
import { ScrapeLoop, type TargetStatus } from './loop.js';
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
  /** The signing client for a job with sigv4/aws_auth, built by the caller (credentials are shared). */
  readonly awsClientFor: (job: ScrapeJobOptions, target: Target) => AwsClient | undefined;
  readonly userAgent: string;
  readonly log: LogCallback;
}

interface JobState {
  readonly job: ScrapeJobOptions;
  readonly defaults: JobDefaults;
  readonly relabel: readonly RelabelRule[];
  readonly metricRelabel: readonly RelabelRule[];
  readonly http: JobHttp;
  readonly loops: Map<string, ScrapeLoop>;
  readonly groups: Map<string, TargetGroup[]>;
  dropped: DroppedTarget[];
  discovery: FileDiscovery[];
}

export interface TargetReport extends TargetStatus {
  readonly job: string;
  readonly url: string;
  readonly labels: Readonly<Record<string, string>>;
}

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
      http: jobHttp(job.file),
      loops: new Map(),
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
          onError: (file, message) =>
            this.o.log(
              'warn',
              `${state.job.path}.file_sd_configs[${i}]: ${file}: ${message}; keeping its last good targets`,
            ),
        });
        state.discovery.push(discovery);
        discovery.start();
      });
      this.sync(state);
    }
  }

  private sync(state: JobState): void {
    const wanted = new Map<string, Target>();
    const dropped: DroppedTarget[] = [];
    for (const group of [...state.groups.values()].flat()) {
      for (const address of group.targets) {
        const discovered = discoveredLabels(address, group, state.defaults);
        const t = populateTarget(discovered, state.relabel, state.defaults);
        if (!isTarget(t)) dropped.push(t);
        else if (this.o.instance.hostFilter && !matchesHost(discovered, this.hostFilterRelabel))
          dropped.push({ discovered, reason: 'host_filter: not this host' });
        else wanted.set(t.key, t);
      }
    }
    state.dropped = dropped;
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
          aws: this.o.awsClientFor(state.job, target),
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
      });
      state.loops.set(key, loop);
      loop.start();
    }
  }

  targets(): TargetReport[] {
    return this.jobs.flatMap((state) =>
      [...state.loops.values()].map((loop) => ({
        job: state.job.file.job_name,
        url: loop.target.url,
        labels: Object.fromEntries(loop.target.labels.map((l) => [l.name, l.value])),
        ...loop.status(),
      })),
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
    for (const state of this.jobs) for (const d of state.discovery) d.stop();
    await Promise.all(
      this.jobs.flatMap((s) => [...s.loops.values()].map((l) => l.stop(markStale))),
    );
    for (const state of this.jobs) state.loops.clear();
  }
}
