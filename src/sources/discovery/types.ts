/**
 * Service discovery as Prometheus shapes it (discovery/targetgroup): each
 * discoverer keeps a set of groups, one per source (a file, a pod, a static
 * config), every target a label set with `__address__` and its `__meta_*`
 * labels, and the group's labels shared by all its targets. An update
 * replaces the groups of the sources it names; a group with no targets means
 * the source is gone. Scrape jobs and log targets consume the same groups.
 */

export interface DiscoveredGroup {
  /** Unique within its discoverer, stable across updates: `static_configs[0]`, a file, `pod/ns/name`. */
  readonly source: string;
  /** Each target's own labels (`__address__`, per-container `__meta_*`…). */
  readonly targets: readonly Readonly<Record<string, string>>[];
  /** Labels every target of the group has unless it sets its own. */
  readonly labels: Readonly<Record<string, string>>;
}

export interface Discoverer {
  /**
   * Starts discovering; `onUpdate` receives groups whose source changed (all
   * of them at first). Resolves once the first full set was delivered or
   * could not be had (the error was reported through `onError`).
   */
  start(onUpdate: (groups: readonly DiscoveredGroup[]) => void): Promise<void>;
  stop(): Promise<void> | void;
}

/** The labels of each target in a group: the group's, overridden by the target's own. */
export function targetLabels(group: DiscoveredGroup): Record<string, string>[] {
  return group.targets.map((target) => ({ ...group.labels, ...target }));
}
