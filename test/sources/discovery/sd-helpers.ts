/** What a discoverer announced, kept per source as a consumer keeps it; DNS namespaces to run in. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/**
 * Why a runner cannot be run in a DNS namespace here (no prometheus when it
 * needs one, unprivileged namespaces not allowed), or undefined.
 */
export function namespaceUnavailable(needsPrometheus: boolean): string | undefined {
  if (needsPrometheus && spawnSync('prometheus', ['--version']).status !== 0)
    return 'prometheus is not installed';
  const ns = spawnSync('unshare', ['-rnm', 'true']);
  if (ns.status !== 0) return `unshare -rnm is not allowed here: ${ns.stderr.toString().trim()}`;
  return undefined;
}

/**
 * Runs a compiled runner script in a new user, mount and network namespace
 * (`unshare -rnm`: no root needed) whose loopback is up and whose
 * /etc/resolv.conf says `nameserver 127.0.0.1`, so the runner's DNS stand-in
 * on port 53 is what every resolver there asks (Prometheus included). The
 * runner gets a scratch directory and prints its findings as JSON.
 */
export function runInDnsNamespace(runner: string, timeoutMs: number): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'signet-sd-ns-'));
  try {
    writeFileSync(join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\n');
    const run = spawnSync(
      'unshare',
      [
        '-rnm',
        'sh',
        '-c',
        'PATH="$PATH:/usr/sbin:/sbin"; ip link set lo up && mount --bind "$1/resolv.conf" /etc/resolv.conf && exec "$2" "$3" "$1"',
        'sh',
        dir,
        process.execPath,
        runner,
      ],
      { encoding: 'utf8', timeout: timeoutMs },
    );
    if (run.status !== 0) throw new Error(`${runner} exited with ${run.status}: ${run.stderr}`);
    return JSON.parse(run.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
