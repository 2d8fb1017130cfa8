/**
 * `kubernetes_sd_configs` of a scrape job: Kubernetes discovery's groups
 * (one per object, each target its own label set) turned into the scrape
 * side's groups of addresses with shared labels, one per target, so the
 * target's own labels (container, port) win over its object's as in
 * Prometheus. A target without `__address__` cannot be scraped and is left out.
 */
import { SignetError } from '../../errors.js';
import type { LogCallback } from '../../log.js';
import { KubernetesDiscoverer } from '../discovery/kubernetes/index.js';
import type { KubernetesSdSettings } from '../discovery/kubernetes/index.js';
import type { DiscoveredGroup } from '../discovery/types.js';
import type { TargetGroup } from './targets.js';

export function scrapeGroups(group: DiscoveredGroup): TargetGroup[] {
  return group.targets.flatMap((target, i) => {
    const { __address__: address, ...own } = target;
    if (address === undefined) return [];
    return [
      { targets: [address], labels: { ...group.labels, ...own }, source: `${group.source}[${i}]` },
    ];
  });
}

/**
 * How long changes are gathered before the job's targets are synced again: a
 * busy cluster sends a watch event per pod change, and each sync relabels
 * every target of the job (Prometheus gathers for 5 seconds).
 */
const SYNC_GATHER_MS = 250;

/**
 * Starts discovery for one entry; `onChange` gets the entry's whole current
 * set, at once for the first, then at most every SYNC_GATHER_MS.
 */
export function startKubernetesSd(
  settings: KubernetesSdSettings,
  path: string,
  log: LogCallback,
  on: {
    readonly onChange: (groups: TargetGroup[]) => void;
    /** A list or watch failed (it is retried): prometheus_sd_kubernetes_failures_total. */
    readonly onFailure: () => void;
  },
): { stop(): Promise<void> } {
  const bySource = new Map<string, TargetGroup[]>();
  let timer: NodeJS.Timeout | undefined;
  let first = true;
  const flush = (): void => {
    timer = undefined;
    on.onChange([...bySource.values()].flat());
  };
  const discoverer = new KubernetesDiscoverer({
    settings,
    path,
    onError: (message) => {
      on.onFailure();
      log('warn', `${path}: ${message}; retrying`);
    },
  });
  discoverer
    .start((groups) => {
      for (const g of groups) {
        if (g.targets.length === 0) bySource.delete(g.source);
        else bySource.set(g.source, scrapeGroups(g));
      }
      if (first) {
        first = false;
        flush();
      } else timer ??= setTimeout(flush, SYNC_GATHER_MS);
    })
    .catch((error: unknown) => {
      const message =
        error instanceof SignetError
          ? error.toUserString()
          : error instanceof Error
            ? error.message
            : String(error);
      log('error', `${message}: no targets from ${path}`);
    });
  return {
    stop: async () => {
      clearTimeout(timer);
      await discoverer.stop();
    },
  };
}
