/**
 * A counter, gauge or histogram whose series carry each log entry's own
 * labels — which differ from target to target, so prom-client's fixed
 * `labelNames` cannot hold them. It plugs into a prom-client Registry as a
 * metric of its own (name, help, type, get), so `/metrics` exposes it with
 * the agent's other metrics. As Promtail's metric vectors do, a series not
 * updated for `max_idle_duration` is forgotten when the registry is read.
 */
import type { Metric, Registry } from 'prom-client';

export type LogMetricType = 'counter' | 'gauge' | 'histogram';

interface Series {
  readonly labels: Readonly<Record<string, string>>;
  value: number;
  /** Histogram only: per bucket (not cumulative), then the count of all observations. */
  readonly bucketCounts: number[] | undefined;
  count: number;
  lastModMs: number;
}

interface ExposedValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

const LEGACY_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Promtail's cleanLabels: `__`-prefixed names are internal; names the text format cannot carry are left out. */
function exportedLabels(
  labels: Readonly<Record<string, string>>,
): [string, Record<string, string>] {
  const names = Object.keys(labels)
    .filter((n) => !n.startsWith('__') && LEGACY_NAME.test(n))
    .sort();
  const out: Record<string, string> = {};
  let key = '';
  for (const n of names) {
    out[n] = labels[n]!;
    key += `${n}\u0000${labels[n]}\u0000`;
  }
  return [key, out];
}

export class LogMetric {
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: LogMetricType,
    /** Upper bounds, ascending, without +Inf (histograms). */
    readonly buckets: readonly number[],
    /** Settable: the latest configuration (a reload) decides how long idle series live. */
    public maxIdleMs: number,
    public now: () => number,
  ) {}

  /**
   * The metric `name` in `registry`: the one already there (another target,
   * or the configuration before a reload), or a new one. Throws when the name
   * is taken by something else.
   */
  static in(registry: Registry, init: ConstructorParameters<typeof LogMetric>): LogMetric {
    const [name, , type] = init;
    const existing = registry.getSingleMetric(name) as unknown;
    if (existing instanceof LogMetric) {
      if (existing.type !== type)
        throw new Error(`${name} is already a ${existing.type}, defined by another metrics stage`);
      existing.maxIdleMs = init[4];
      existing.now = init[5];
      return existing;
    }
    if (existing !== undefined)
      throw new Error(`${name} is already one of the agent's own metrics`);
    const metric = new LogMetric(...init);
    registry.registerMetric(metric as unknown as Metric);
    return metric;
  }

  private seriesFor(labels: Readonly<Record<string, string>>): Series {
    const [key, exported] = exportedLabels(labels);
    let s = this.series.get(key);
    if (s === undefined) {
      s = {
        labels: exported,
        value: 0,
        bucketCounts:
          this.type === 'histogram'
            ? new Array<number>(this.buckets.length + 1).fill(0)
            : undefined,
        count: 0,
        lastModMs: 0,
      };
      this.series.set(key, s);
    }
    s.lastModMs = this.now();
    return s;
  }

  /** Counter inc/add, gauge inc/dec/add/sub (a negative amount). */
  add(labels: Readonly<Record<string, string>>, amount: number): void {
    this.seriesFor(labels).value += amount;
  }

  set(labels: Readonly<Record<string, string>>, value: number): void {
    this.seriesFor(labels).value = value;
  }

  observe(labels: Readonly<Record<string, string>>, value: number): void {
    const s = this.seriesFor(labels);
    let i = 0;
    while (i < this.buckets.length && value > this.buckets[i]!) i++;
    s.bucketCounts![i]! += 1;
    s.count += 1;
    s.value += value;
  }

  /** For prom-client's Registry: every live series, idle ones pruned first. */
  get(): Promise<{
    name: string;
    help: string;
    type: LogMetricType;
    aggregator: string;
    values: ExposedValue[];
  }> {
    const now = this.now();
    const values: ExposedValue[] = [];
    for (const [key, s] of this.series) {
      if (now - s.lastModMs >= this.maxIdleMs) {
        this.series.delete(key);
        continue;
      }
      if (s.bucketCounts === undefined) {
        values.push({ labels: { ...s.labels }, value: s.value });
        continue;
      }
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += s.bucketCounts![i]!;
        values.push({
          metricName: `${this.name}_bucket`,
          labels: { ...s.labels, le },
          value: cumulative,
        });
      });
      values.push({
        metricName: `${this.name}_bucket`,
        labels: { ...s.labels, le: '+Inf' },
        value: s.count,
      });
      values.push({ metricName: `${this.name}_sum`, labels: { ...s.labels }, value: s.value });
      values.push({ metricName: `${this.name}_count`, labels: { ...s.labels }, value: s.count });
    }
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    });
  }

  reset(): void {
    this.series.clear();
  }
}
