/**
 * The JSON form of the series store, for `ServiceStore.save('aps', …)`. JSON
 * has no NaN or infinities, so those values (and staleness markers) are
 * written as strings.
 */
import { z } from 'zod';
import { SeriesStore } from './series-store.js';
import type { StoredValue } from './series-store.js';

const SavedValue = z.union([z.number(), z.enum(['NaN', '+Inf', '-Inf', 'stale'])]);
type SavedValue = z.infer<typeof SavedValue>;

const SavedSeries = z.object({
  /** Sorted [name, value] pairs; pairs, not an object, so no label name is special to JS. */
  labels: z.array(z.tuple([z.string(), z.string()])),
  /** [timestamp ms, value], ascending by timestamp. */
  samples: z.array(z.tuple([z.number(), SavedValue])),
});

const SavedCounts = z.object({
  samples_received: z.number().int().min(0),
  samples_repeated: z.number().int().min(0),
});

export const ApsState = z.object({
  version: z.literal(1),
  workspaces: z.record(z.string(), z.array(SavedSeries)),
  /** Remote-write counts per workspace; absent in state saved before they were kept. */
  counts: z.record(z.string(), SavedCounts).optional(),
});
export type ApsState = z.infer<typeof ApsState>;

export function toState(store: SeriesStore): ApsState {
  const workspaces: Record<string, z.infer<typeof SavedSeries>[]> = {};
  for (const workspaceId of store.workspaceIds()) {
    workspaces[workspaceId] = [...store.series(workspaceId)].map((series) => ({
      labels: series.labels.map(([name, value]) => [name, value]),
      samples: series.timestamps.map((timestamp, i) => [
        timestamp,
        encodeValue(series.values[i] ?? null),
      ]),
    }));
  }
  const counts: Record<string, z.infer<typeof SavedCounts>> = {};
  for (const workspaceId of store.countedWorkspaceIds()) {
    const { samplesReceived, samplesRepeated } = store.writeCounts(workspaceId);
    counts[workspaceId] = { samples_received: samplesReceived, samples_repeated: samplesRepeated };
  }
  return { version: 1, workspaces, counts };
}

/** Rebuilds the store from saved state; a malformed state is an error, not an empty store. */
export function fromState(saved: unknown): SeriesStore {
  const store = new SeriesStore();
  if (saved === undefined) return store;
  const parsed = ApsState.safeParse(saved);
  if (!parsed.success) {
    // Refusing beats silently starting empty and overwriting the saved samples.
    throw new Error(`aps: the saved state is malformed: ${z.prettifyError(parsed.error)}`);
  }
  for (const [workspaceId, seriesList] of Object.entries(parsed.data.workspaces)) {
    for (const series of seriesList) {
      const labels = [...series.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const samples = series.samples.map(([timestamp, value]) => ({
        timestamp,
        value: decodeValue(value),
      }));
      store.append(workspaceId, labels, samples);
    }
  }
  for (const [workspaceId, saved] of Object.entries(parsed.data.counts ?? {}))
    store.count(workspaceId, saved.samples_received, saved.samples_repeated);
  return store;
}

function encodeValue(value: StoredValue): SavedValue {
  if (value === null) return 'stale';
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return value;
}

function decodeValue(value: SavedValue): StoredValue {
  switch (value) {
    case 'stale':
      return null;
    case 'NaN':
      return NaN;
    case '+Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    default:
      return value;
  }
}
