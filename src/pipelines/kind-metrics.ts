/**
 * Counters for a pipeline kind's self-metrics, read from the running
 * pipelines at collection time (no work on the data path); gauges are
 * server/collected-metrics.ts's.
 *
 * Counters must behave as Prometheus's do: they live as long as the agent,
 * and a reload that replaces a pipeline by a new one (whose own counts start
 * at 0) must not send them back. PipelineCounters keeps, per label set, what
 * the retired pipelines had counted and adds the running ones' counts to it.
 */
import { Counter, type LabelValues, type Registry } from 'prom-client';

/** Hands one pipeline's count for a label set to a counter. */
export type Emit = (labels: LabelValues<string>, value: number) => void;

interface Family<P> {
  readonly labelNames: readonly string[];
  readonly read: (pipeline: P, emit: Emit) => void;
  /** Label-set key → what retired pipelines counted. */
  readonly retired: Map<string, { labels: LabelValues<string>; value: number }>;
}

/**
 * The counters of one pipeline kind, registered once for the agent's
 * lifetime. `retire(p)` is told when a pipeline has stopped; from then on its
 * final counts are part of every counter and the pipeline itself is no longer
 * read (nor held).
 */
export class PipelineCounters<P extends object> {
  private readonly families: Family<P>[] = [];
  private readonly retiredPipelines = new WeakSet<P>();

  constructor(
    private readonly registry: Registry,
    private readonly running: () => readonly P[],
  ) {}

  /** The running pipelines that are not retired yet (a stopped one may be listed until its successor starts). */
  live(): P[] {
    return this.running().filter((p) => !this.retiredPipelines.has(p));
  }

  /** A counter summing `read` over the live pipelines, plus what retired ones counted. */
  counter(
    name: string,
    help: string,
    labelNames: readonly string[],
    read: (pipeline: P, emit: Emit) => void,
  ): void {
    const family: Family<P> = { labelNames, read, retired: new Map() };
    this.families.push(family);
    const live = (): P[] => this.live();
    new Counter({
      name,
      help,
      labelNames: [...labelNames],
      registers: [this.registry],
      collect() {
        const totals = new Map<string, { labels: LabelValues<string>; value: number }>();
        for (const [key, t] of family.retired) totals.set(key, { ...t });
        for (const p of live()) read(p, (labels, value) => add(totals, labelNames, labels, value));
        this.reset();
        for (const { labels, value } of totals.values()) this.inc(labels, value);
      },
    });
  }

  /** `pipeline` has stopped: keep its final counts. Once per pipeline; later calls are ignored. */
  retire(pipeline: P): void {
    if (this.retiredPipelines.has(pipeline)) return;
    this.retiredPipelines.add(pipeline);
    for (const f of this.families)
      f.read(pipeline, (labels, value) => add(f.retired, f.labelNames, labels, value));
  }
}

function add(
  into: Map<string, { labels: LabelValues<string>; value: number }>,
  labelNames: readonly string[],
  labels: LabelValues<string>,
  value: number,
): void {
  // Never let a bad reading (NaN, a negative) poison a counter for good.
  if (!(value > 0)) value = 0;
  const key = labelNames.map((n) => String(labels[n] ?? '')).join('\xff');
  const t = into.get(key);
  if (t) t.value += value;
  else into.set(key, { labels, value });
}
