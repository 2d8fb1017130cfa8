/**
 * What the local CloudWatch keeps: every metric (namespace, name, dimension
 * set) per account and region, with its data points reduced to statistic sets,
 * which is all Sum/Average/Minimum/Maximum/SampleCount need. JSON-serializable
 * so `--data-dir` can persist it.
 */
import { z } from 'zod';
import type { ServiceStore } from '../../service.js';
import { loadSavedState } from '../../store.js';

export const STORE_NAME = 'cloudwatch';

const dimensionSchema = z.object({ Name: z.string(), Value: z.string() });

/** One data point: [time ms, sample count, sum, minimum, maximum, unit ('' for none)]. */
const pointSchema = z.tuple([
  z.number(),
  z.number(),
  z.number(),
  z.number(),
  z.number(),
  z.string(),
]);

const metricSchema = z.object({
  account: z.string(),
  region: z.string(),
  namespace: z.string(),
  name: z.string(),
  /** Sorted by name: CloudWatch treats dimension order as insignificant. */
  dimensions: z.array(dimensionSchema),
  points: z.array(pointSchema),
});

const stateSchema = z.object({
  version: z.literal(1),
  metrics: z.record(z.string(), metricSchema),
});

export type Dimension = z.infer<typeof dimensionSchema>;
export type Point = z.infer<typeof pointSchema>;
export type StoredMetric = z.infer<typeof metricSchema>;
export type CloudWatchState = z.infer<typeof stateSchema>;

export interface MetricId {
  readonly account: string;
  readonly region: string;
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: readonly Dimension[];
}

export function sortDimensions(dimensions: readonly Dimension[]): Dimension[] {
  return [...dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

/** The key a metric is stored under: its identity, with dimensions in a fixed order. */
export function metricKey(id: MetricId): string {
  const dims = sortDimensions(id.dimensions).map((d) => [d.Name, d.Value]);
  return JSON.stringify([id.account, id.region, id.namespace, id.name, dims]);
}

/** Loads saved state (see loadSavedState). */
export function loadState(store: ServiceStore): CloudWatchState {
  return loadSavedState(store, STORE_NAME, stateSchema, () => ({ version: 1, metrics: {} }));
}

export interface CloudWatchContext {
  readonly state: CloudWatchState;
  save(): void;
}
