/**
 * Promtail's `logentry_dropped_lines_total{reason}`: every stage that drops an
 * entry (drop, match with `action: drop`, sampling, limit with `drop: true`)
 * counts it under its `drop_counter_reason`. One counter per registry, found
 * again by every stage and target that needs it.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

export const DROPPED_LINES_TOTAL = 'logentry_dropped_lines_total';
export const DROPPED_LINES_BY_LABEL_TOTAL = 'logentry_dropped_lines_by_label_total';
const HELP = 'A count of all log lines dropped as a result of a pipeline stage';

function counterIn<L extends string>(
  registry: Registry,
  name: string,
  labelNames: readonly L[],
): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing;
  return new Counter<L>({ name, help: HELP, labelNames, registers: [registry] });
}

/** `logentry_dropped_lines_total{reason}` in `registry`. */
export function droppedLinesCounter(registry: Registry): Counter<'reason'> {
  return counterIn(registry, DROPPED_LINES_TOTAL, ['reason']);
}

/** `logentry_dropped_lines_by_label_total{label_name,label_value}`: the limit stage's per-label drops. */
export function droppedLinesByLabelCounter(
  registry: Registry,
): Counter<'label_name' | 'label_value'> {
  return counterIn(registry, DROPPED_LINES_BY_LABEL_TOTAL, ['label_name', 'label_value']);
}

/**
 * Promtail's `logentry_pipeline_duration_seconds{job_name}`: what a `match`
 * with `pipeline_name` spends in its nested stages per entry, labelled with
 * that name (Promtail's buckets, 5µs to 25ms).
 */
export function pipelineDuration(registry: Registry): Histogram<'job_name'> {
  const name = 'logentry_pipeline_duration_seconds';
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Histogram) return existing;
  return new Histogram({
    name,
    help: 'Label and metric extraction pipeline processing time, in seconds',
    labelNames: ['job_name'],
    buckets: [5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2],
    registers: [registry],
  });
}
