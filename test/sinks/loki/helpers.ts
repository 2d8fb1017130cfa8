/** A Loki client wired for tests: its own metrics registry, progress recorded, log lines kept. */
import { Registry } from 'prom-client';
import type { LogEntry } from '../../../src/model/log-entry.js';
import {
  LokiClient,
  createLokiClientMetrics,
  type LokiClientOptions,
} from '../../../src/sinks/loki/index.js';

export interface TestClient {
  readonly client: LokiClient<number>;
  readonly registry: Registry;
  /** Every progress token reported, in order. */
  readonly progress: number[];
  readonly lines: string[];
  /** The value of one sample of the registry, 0 when absent. */
  metric(this: void, name: string, labels?: Record<string, string>): Promise<number>;
}

export function testClient(options: LokiClientOptions): TestClient {
  const registry = new Registry();
  const progress: number[] = [];
  const lines: string[] = [];
  const client = new LokiClient<number>(
    { batchWaitMs: 20, backoff: { minPeriodMs: 10, maxPeriodMs: 40 }, ...options },
    {
      metrics: createLokiClientMetrics(registry),
      progress: { compare: (a, b) => a - b, onProgress: (t) => progress.push(t) },
      log: (level, message) => lines.push(`${level}: ${message}`),
    },
  );
  return {
    client,
    registry,
    progress,
    lines,
    metric: async (name, labels = {}) => {
      const json = await registry.getMetricsAsJSON();
      // A histogram's _count and _sum are values of the histogram, named by metricName.
      const values = json.flatMap((m) =>
        m.values.filter((v) => ((v as { metricName?: string }).metricName ?? m.name) === name),
      );
      return values
        .filter((v) =>
          Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l),
        )
        .reduce((sum, v) => sum + v.value, 0);
    },
  };
}

export function entry(
  line: string,
  labels: Record<string, string> = { job: 'test' },
  ms = 1_700_000_000_000,
): LogEntry {
  return { labels, line, timestampNs: BigInt(ms) * 1_000_000n + 123n };
}

/** Resolves once `check` holds, polling; fails after `ms`. */
export async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
