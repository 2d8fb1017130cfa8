/**
 * A logs scrape config's targets, as Promtail's file target manager makes
 * them: discovered label sets (static_configs, file_sd_configs) relabeled,
 * those without `__path__` or meant for another host (`__host__`) dropped,
 * and the rest handed to the file tailing with their `__` labels removed —
 * except `__path__` and `__path_exclude__`, which say what to tail.
 */
import { hostname } from 'node:os';
import { labelsFromRecord, type Labels } from '../../model/labels.js';
import { relabel, type RelabelRule } from '../../process/relabel/index.js';
import { DnsDiscoverer } from '../../sources/discovery/dns/index.js';
import { KubernetesDiscoverer } from '../../sources/discovery/kubernetes/index.js';
import type { DiscoveredGroup } from '../../sources/discovery/types.js';
import { FileDiscovery } from '../../sources/scrape/file-sd.js';
import type { LogCallback } from '../../log.js';
import type { LogsScrapeConfigFile } from '../../config/agent/logs-schema.js';

export const PATH_LABEL = '__path__';
export const PATH_EXCLUDE_LABEL = '__path_exclude__';
export const HOST_LABEL = '__host__';

/** A target to tail: its labels (no `__` names) and what to tail. */
export interface LogTarget {
  readonly labels: Readonly<Record<string, string>>;
  readonly path: string;
  readonly pathExclude: string | undefined;
  readonly discovered: Readonly<Record<string, string>>;
}

export interface DroppedLogTarget {
  readonly discovered: Readonly<Record<string, string>>;
  readonly reason: string;
}

function record(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of labels) out[l.name] = l.value;
  return out;
}

/** Turns discovered groups into targets: pure, so it is tested on its own. */
export function logTargets(
  groups: Iterable<DiscoveredGroup>,
  rules: readonly RelabelRule[],
  host: string,
): { targets: LogTarget[]; dropped: DroppedLogTarget[] } {
  const targets: LogTarget[] = [];
  const dropped: DroppedLogTarget[] = [];
  for (const group of groups)
    for (const target of group.targets) {
      const discovered = { ...group.labels, ...target };
      const relabeled = relabel(labelsFromRecord(discovered), rules);
      if (relabeled === undefined) {
        dropped.push({ discovered, reason: 'dropped by relabel_configs' });
        continue;
      }
      const labels = record(relabeled);
      const path = labels[PATH_LABEL];
      if (path === undefined) {
        dropped.push({ discovered, reason: 'no __path__ label after relabeling' });
        continue;
      }
      const forHost = labels[HOST_LABEL];
      if (forHost !== undefined && forHost !== host) {
        dropped.push({ discovered, reason: `__host__ is ${forHost}, not this host (${host})` });
        continue;
      }
      const kept: Record<string, string> = {};
      for (const name in labels) if (!name.startsWith('__')) kept[name] = labels[name]!;
      targets.push({ labels: kept, path, pathExclude: labels[PATH_EXCLUDE_LABEL], discovered });
    }
  return { targets, dropped };
}

/**
 * How long Kubernetes changes are gathered before the targets are synced
 * again: a rollout sends an event per pod, and each sync expands every glob.
 */
const KUBERNETES_GATHER_MS = 250;

/**
 * Discovery for one logs scrape config: static groups at once, file_sd as
 * files change, Kubernetes pods as the API's watch reports them, DNS names
 * every refresh_interval (a failing name keeps its last good targets).
 */
export class LogTargetDiscovery {
  private readonly groups = new Map<string, readonly DiscoveredGroup[]>();
  private readonly discoveries: FileDiscovery[] = [];
  private readonly kubernetes: KubernetesDiscoverer[] = [];
  private readonly dns: DnsDiscoverer[] = [];
  private gathering: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly host = process.env.HOSTNAME || hostname();
  private last: { targets: LogTarget[]; dropped: DroppedLogTarget[] } = {
    targets: [],
    dropped: [],
  };

  constructor(
    private readonly o: {
      readonly job: LogsScrapeConfigFile;
      readonly path: string;
      readonly rules: readonly RelabelRule[];
      readonly log: LogCallback;
      readonly onTargets: (targets: readonly LogTarget[]) => void;
      /** A list or watch of kubernetes_sd_configs failed (it is retried). */
      readonly onKubernetesFailure?: () => void;
    },
  ) {}

  start(): void {
    const { job } = this.o;
    this.groups.set(
      'static',
      job.static_configs.map((sc, i) => ({
        source: `static_configs[${i}]`,
        // Promtail's static targets are nominal (`localhost`); each still makes a target.
        targets: (sc.targets.length > 0 ? sc.targets : ['localhost']).map((t) => ({
          __address__: t,
        })),
        labels: sc.labels,
      })),
    );
    job.file_sd_configs.forEach((fsd, i) => {
      const discovery = new FileDiscovery({
        files: fsd.files,
        refreshIntervalMs: fsd.refresh_interval,
        onChange: (groups) => {
          this.groups.set(
            `file:${i}`,
            groups.map((g) => ({
              source: g.source,
              targets: g.targets.map((t) => ({ __address__: t })),
              labels: g.labels,
            })),
          );
          this.sync();
        },
        onError: (file, message) =>
          this.o.log(
            'warn',
            `${this.o.path}.file_sd_configs[${i}]: ${file}: ${message}; keeping its last good targets`,
          ),
      });
      this.discoveries.push(discovery);
      discovery.start();
    });
    job.kubernetes_sd_configs.forEach((settings, i) => {
      const path = `${this.o.path}.kubernetes_sd_configs[${i}]`;
      const discoverer = new KubernetesDiscoverer({
        settings,
        path,
        onError: (message) => {
          this.o.onKubernetesFailure?.();
          this.o.log('warn', `${path}: ${message}; retrying`);
        },
      });
      this.kubernetes.push(discoverer);
      let first = true;
      discoverer
        .start((groups) => {
          this.merge(`kubernetes:${i}`, groups);
          if (first) {
            first = false;
            this.sync();
          } else this.gathering ??= setTimeout(() => this.gathered(), KUBERNETES_GATHER_MS);
        })
        .catch((error: unknown) =>
          this.o.log('error', `${path}: ${String(error)}: no targets from it`),
        );
    });
    job.dns_sd_configs.forEach((settings, i) => {
      const path = `${this.o.path}.dns_sd_configs[${i}]`;
      const discoverer = new DnsDiscoverer({ settings, path, log: this.o.log, onLookup: () => {} });
      this.dns.push(discoverer);
      discoverer
        .start((groups) => this.update(`dns:${i}`, groups))
        .catch((error: unknown) =>
          this.o.log('error', `${path}: ${String(error)}: no targets from it`),
        );
    });
    this.sync();
  }

  private gathered(): void {
    this.gathering = undefined;
    if (!this.stopped) this.sync();
  }

  /** Replaces the groups one discoverer (e.g. Kubernetes) found, by source. */
  update(discoverer: string, groups: readonly DiscoveredGroup[]): void {
    this.merge(discoverer, groups);
    this.sync();
  }

  private merge(discoverer: string, groups: readonly DiscoveredGroup[]): void {
    const current = new Map((this.groups.get(discoverer) ?? []).map((g) => [g.source, g]));
    for (const group of groups)
      if (group.targets.length === 0) current.delete(group.source);
      else current.set(group.source, group);
    this.groups.set(discoverer, [...current.values()]);
  }

  private sync(): void {
    this.last = logTargets([...this.groups.values()].flat(), this.o.rules, this.host);
    this.o.onTargets(this.last.targets);
  }

  get targets(): readonly LogTarget[] {
    return this.last.targets;
  }

  get dropped(): readonly DroppedLogTarget[] {
    return this.last.dropped;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.gathering) clearTimeout(this.gathering);
    for (const d of this.discoveries) d.stop();
    for (const d of this.dns) d.stop();
    await Promise.all(this.kubernetes.map((k) => k.stop()));
  }
}
