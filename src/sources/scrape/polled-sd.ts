/**
 * `dns_sd_configs` and `http_sd_configs` of a scrape job: a polling
 * discoverer's updates kept per source (a name, `<url>:<index>`), so a
 * source that failed to refresh keeps its last good targets, and the whole
 * current set handed to the job on each update.
 */
import type { LogCallback } from '../../log.js';
import { DnsDiscoverer } from '../discovery/dns/index.js';
import { HttpDiscoverer } from '../discovery/http/index.js';
import type { Discoverer } from '../discovery/types.js';
import { scrapeGroups } from './kubernetes-sd.js';
import type { ScrapeJobOptions } from './options.js';
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

/**
 * Starts every dns_sd_configs and http_sd_configs entry of a job; `onChange`
 * gets an entry's whole current set under its key (`dns:0`, `http:1`).
 */
export function startPolledSd(
  job: ScrapeJobOptions,
  userAgent: string,
  log: LogCallback,
  on: {
    readonly onChange: (key: string, groups: TargetGroup[]) => void;
    /** prometheus_sd_dns_lookups_total and prometheus_sd_dns_lookup_failures_total. */
    readonly onDnsLookup: (failed: boolean) => void;
    /** prometheus_sd_http_failures_total. */
    readonly onHttpFailure: () => void;
  },
): { stop(): unknown }[] {
  const dns = job.file.dns_sd_configs.map((settings, i) => {
    const path = `${job.path}.dns_sd_configs[${i}]`;
    const discoverer = new DnsDiscoverer({ settings, path, log, onLookup: on.onDnsLookup });
    return feed(discoverer, path, log, (groups) => on.onChange(`dns:${i}`, groups));
  });
  const http = job.file.http_sd_configs.map((settings, i) => {
    const path = `${job.path}.http_sd_configs[${i}]`;
    const discoverer = new HttpDiscoverer({
      settings,
      path,
      userAgent,
      log,
      onFailure: on.onHttpFailure,
    });
    return feed(discoverer, path, log, (groups) => on.onChange(`http:${i}`, groups));
  });
  return [...dns, ...http];
}
