/** What a discoverer announced, kept per source as a consumer keeps it. */
import type { DiscoveredGroup, Discoverer } from '../../../src/sources/discovery/types.js';

export interface Collected {
  /** The current group of each source (an empty group removes it). */
  readonly groups: Map<string, DiscoveredGroup>;
  readonly updates: number;
  /** Resolves when `check` holds, polling every 20 ms; rejects after `withinMs`. */
  until(
    check: (groups: Map<string, DiscoveredGroup>) => boolean,
    withinMs: number,
  ): Promise<number>;
}

export async function collect(discoverer: Discoverer): Promise<Collected> {
  const groups = new Map<string, DiscoveredGroup>();
  let updates = 0;
  await discoverer.start((update) => {
    updates++;
    for (const g of update) {
      if (g.targets.length === 0) groups.delete(g.source);
      else groups.set(g.source, g);
    }
  });
  return {
    groups,
    get updates() {
      return updates;
    },
    async until(check, withinMs) {
      const began = Date.now();
      while (!check(groups)) {
        if (Date.now() - began > withinMs)
          throw new Error(
            `not within ${withinMs} ms; groups: ${JSON.stringify([...groups.values()])}`,
          );
        await new Promise((r) => setTimeout(r, 20));
      }
      return Date.now() - began;
    },
  };
}

/** The addresses of one source's group, sorted. */
export function addresses(groups: Map<string, DiscoveredGroup>, source: string): string[] {
  return (groups.get(source)?.targets ?? []).map((t) => t.__address__ ?? '').sort();
}
