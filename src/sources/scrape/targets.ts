/**
 * Scrape targets from `static_configs` and `file_sd_configs`, turned into
 * final target labels as Prometheus does (scrape/target.go's PopulateLabels):
 * discovered labels plus the job's defaults, `relabel_configs`, then `instance`
 * defaulted to `__address__` and every `__`-prefixed label dropped.
 */
import { createHash } from 'node:crypto';
import { relabel, type RelabelRule } from '../../process/relabel/index.js';
import { getLabel, normalizeLabels, type Label, type Labels } from '../../model/labels.js';

/** A group of targets with shared labels, as discovery yields them. */
export interface TargetGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Where the group came from, e.g. `static_configs[0]` or a file path. */
  readonly source: string;
}

export interface JobDefaults {
  readonly jobName: string;
  readonly scheme: string;
  readonly metricsPath: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly params: Readonly<Record<string, readonly string[]>>;
}

export interface Target {
  /** Final labels attached to every sample (job, instance, static and relabeled labels). */
  readonly labels: Labels;
  /** The URL to scrape, with `params` and `__param_*` applied. */
  readonly url: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Stable identity for diffing target sets across discovery updates. */
  readonly key: string;
}

export interface DroppedTarget {
  readonly discovered: Labels;
  readonly reason: string;
}

function seconds(ms: number): string {
  return `${ms / 1000}s`;
}

function parseSeconds(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

/** Labels of one discovered target before relabeling, with the job's defaults. */
export function discoveredLabels(address: string, group: TargetGroup, job: JobDefaults): Label[] {
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(group.labels)) map.set(k, v);
  map.set('__address__', address);
  const defaults: [string, string][] = [
    ['job', job.jobName],
    ['__scheme__', job.scheme],
    ['__metrics_path__', job.metricsPath],
    ['__scrape_interval__', seconds(job.intervalMs)],
    ['__scrape_timeout__', seconds(job.timeoutMs)],
  ];
  for (const [k, v] of defaults) if (!map.has(k)) map.set(k, v);
  for (const [name, values] of Object.entries(job.params)) {
    const key = `__param_${name}`;
    if (!map.has(key) && values[0] !== undefined) map.set(key, values[0]);
  }
  return normalizeLabels([...map].map(([name, value]) => ({ name, value })));
}

function hostPort(address: string, scheme: string): string {
  // An address without a port gets the scheme's default, as Prometheus adds it.
  if (/:\d+$/.test(address) || /^\[.*\]:\d+$/.test(address)) return address;
  return `${address}:${scheme === 'https' ? 443 : 80}`;
}

/** Applies relabel_configs and derives the scrape URL; a reason when the target is dropped. */
export function populateTarget(
  discovered: Labels,
  rules: readonly RelabelRule[],
  job: JobDefaults,
): Target | DroppedTarget {
  const relabeled = relabel(discovered, rules);
  if (!relabeled) return { discovered, reason: 'dropped by relabel_configs' };
  const address = getLabel(relabeled, '__address__');
  if (!address) return { discovered, reason: 'no __address__ after relabeling' };
  const scheme = getLabel(relabeled, '__scheme__') ?? job.scheme;
  if (scheme !== 'http' && scheme !== 'https')
    return { discovered, reason: `__scheme__ '${scheme}' is neither http nor https` };
  if (/[/?#@]/.test(address))
    return { discovered, reason: `__address__ '${address}' is not host:port` };
  const intervalMs =
    parseSeconds(getLabel(relabeled, '__scrape_interval__') ?? '') ?? job.intervalMs;
  const timeoutMs = parseSeconds(getLabel(relabeled, '__scrape_timeout__') ?? '') ?? job.timeoutMs;
  if (timeoutMs > intervalMs)
    return { discovered, reason: 'scrape timeout is greater than the scrape interval' };
  const path = getLabel(relabeled, '__metrics_path__') ?? job.metricsPath;
  const query = new URLSearchParams();
  for (const [name, values] of Object.entries(job.params))
    for (const v of values) query.append(name, v);
  for (const l of relabeled) {
    if (l.name.startsWith('__param_')) query.set(l.name.slice('__param_'.length), l.value);
  }
  const qs = query.toString();
  const url = `${scheme}://${hostPort(address, scheme)}${path.startsWith('/') ? '' : '/'}${path}${qs ? `?${qs}` : ''}`;
  const final = relabeled.filter((l) => !l.name.startsWith('__'));
  if (!final.some((l) => l.name === 'instance')) final.push({ name: 'instance', value: address });
  const labels = normalizeLabels(final);
  const key = createHash('sha1')
    .update(url)
    .update(JSON.stringify(labels))
    .digest('hex')
    .slice(0, 16);
  return { labels, url, intervalMs, timeoutMs, key };
}

export function isTarget(t: Target | DroppedTarget): t is Target {
  return 'url' in t;
}

/**
 * Where in its interval a target is scraped: spread by a hash of its identity,
 * so a thousand targets do not all fire at the same instant (Prometheus's offset).
 */
export function scrapeOffsetMs(target: Target, now: number): number {
  const hash = Number.parseInt(target.key.slice(0, 12), 16);
  const base = now - (now % target.intervalMs);
  let offset = (hash % target.intervalMs) + base - now;
  if (offset < 0) offset += target.intervalMs;
  return offset;
}
