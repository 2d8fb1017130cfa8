/**
 * `dns_sd_configs` and `http_sd_configs` of a scrape job: a polling
 * discoverer's updates kept per source (a name, `<url>:<index>`), so a
 * source that failed to refresh keeps its last good targets, and the whole
 * current set handed to the job on each update.
 */
import type { LogCallback } from '../../log.js';
import { DnsDiscoverer, type DnsSdSettings } from '../discovery/dns/index.js';
import { HttpDiscoverer, type HttpSdSettings } from '../discovery/http/index.js';
import type { Discoverer } from '../discovery/types.js';
import { scrapeGroups } from './kubernetes-sd.js';
import type { TargetGroup } from './targets.js';

function feed(
  discoverer: Discoverer,
  path: string,
  log: LogCallback,
  onChange: (groups: TargetGroup[]) => void,
): { stop(): unknown } {
  const bySource = new Map<string, TargetGroup[]>();
  discoverer
    .start((groups) => {
      for (const g of groups) {
        if (g.targets.length === 0) bySource.delete(g.source);
        else bySource.set(g.source, scrapeGroups(g));
      }
      onChange([...bySource.values()].flat());
    })
    .catch((error: unknown) => log('error', `${path}: ${String(error)}: no targets from it`));
  return discoverer;
}

export function startDnsSd(
  settings: DnsSdSettings,
  path: string,
  log: LogCallback,
  on: {
    readonly onChange: (groups: TargetGroup[]) => void;
    readonly onLookup: (failed: boolean) => void;
  },
): { stop(): unknown } {
  const discoverer = new DnsDiscoverer({ settings, path, log, onLookup: on.onLookup });
  return feed(discoverer, path, log, on.onChange);
}

export function startHttpSd(
  settings: HttpSdSettings,
  path: string,
  userAgent: string,
  log: LogCallback,
  on: { readonly onChange: (groups: TargetGroup[]) => void; readonly onFailure: () => void },
): { stop(): unknown } {
  const discoverer = new HttpDiscoverer({
    settings,
    path,
    userAgent,
    log,
    onFailure: on.onFailure,
  });
  return feed(discoverer, path, log, on.onChange);
}
