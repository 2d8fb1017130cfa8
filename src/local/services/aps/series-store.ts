/**
 * The samples AMP accepted, per workspace, per series. A series is identified
 * by its sorted label set; its samples are kept sorted by timestamp so reads
 * can binary-search.
 */

/** A label set sorted by name, names unique; `__name__` included. */
export type Labels = readonly (readonly [name: string, value: string])[];

/** A stored value: a float, or null for a staleness marker. */
export type StoredValue = number | null;

export interface Series {
  readonly labels: Labels;
  /** Milliseconds, ascending, no repeats. */
  readonly timestamps: number[];
  /** Parallel to `timestamps`. */
  readonly values: StoredValue[];
}

export interface SampleInput {
  readonly timestamp: number;
  readonly value: StoredValue;
}

/**
 * What remote write brought to a workspace. Because a repeated timestamp
 * overwrites, the stored samples cannot show a sample delivered twice; these
 * counts can (`GET /_signet/aps/stats`).
 */
export interface WriteCounts {
  /** Samples in accepted remote-write requests. */
  samplesReceived: number;
  /** Of those, samples whose series already had a sample at that timestamp. */
  samplesRepeated: number;
}

export class SeriesStore {
  private readonly workspaces = new Map<string, Map<string, Series>>();
  private readonly counts = new Map<string, WriteCounts>();

  /**
   * Adds samples to a series, creating it; a repeated timestamp overwrites
   * (last write wins). Returns how many samples repeated a stored timestamp.
   */
  append(workspaceId: string, labels: Labels, samples: readonly SampleInput[]): number {
    if (samples.length === 0) return 0;
    let workspace = this.workspaces.get(workspaceId);
    if (!workspace) {
      workspace = new Map();
      this.workspaces.set(workspaceId, workspace);
    }
    const key = seriesKey(labels);
    let series = workspace.get(key);
    if (!series) {
      series = { labels, timestamps: [], values: [] };
      workspace.set(key, series);
    }
    let repeated = 0;
    for (const sample of samples) if (insertSample(series, sample)) repeated++;
    return repeated;
  }

  /** Adds to a workspace's write counts (remote write calls it; a restore does not). */
  count(workspaceId: string, received: number, repeated: number): void {
    const counts = this.writeCounts(workspaceId);
    counts.samplesReceived += received;
    counts.samplesRepeated += repeated;
  }

  /** A workspace's write counts, live (zero for a workspace never written to). */
  writeCounts(workspaceId: string): WriteCounts {
    let counts = this.counts.get(workspaceId);
    if (!counts) {
      counts = { samplesReceived: 0, samplesRepeated: 0 };
      this.counts.set(workspaceId, counts);
    }
    return counts;
  }

  /** Every series of a workspace (none for a workspace never written to). */
  series(workspaceId: string): Iterable<Series> {
    return this.workspaces.get(workspaceId)?.values() ?? [];
  }

  workspaceIds(): Iterable<string> {
    return this.workspaces.keys();
  }

  countedWorkspaceIds(): Iterable<string> {
    return this.counts.keys();
  }
}

/** A string that equals another series' key exactly when the label sets are equal. */
export function seriesKey(labels: Labels): string {
  return JSON.stringify(labels);
}

/** Stores one sample; true when it overwrote one at the same timestamp. */
function insertSample(series: Series, sample: SampleInput): boolean {
  const { timestamps, values } = series;
  const last = timestamps[timestamps.length - 1];
  // The common case: samples arrive in time order.
  if (last === undefined || sample.timestamp > last) {
    timestamps.push(sample.timestamp);
    values.push(sample.value);
    return false;
  }
  const index = lastIndexAtOrBefore(timestamps, sample.timestamp);
  if (index >= 0 && timestamps[index] === sample.timestamp) {
    values[index] = sample.value;
    return true;
  }
  timestamps.splice(index + 1, 0, sample.timestamp);
  values.splice(index + 1, 0, sample.value);
  return false;
}

/** The index of the last timestamp ≤ `t`, or -1. */
export function lastIndexAtOrBefore(timestamps: readonly number[], t: number): number {
  let low = 0;
  let high = timestamps.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((timestamps[middle] ?? Infinity) <= t) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** Whether the series has a sample (a staleness marker counts) in [start, end]. */
export function hasSampleIn(series: Series, start: number, end: number): boolean {
  const index = lastIndexAtOrBefore(series.timestamps, end);
  return index >= 0 && (series.timestamps[index] ?? -Infinity) >= start;
}

/**
 * The value an instant vector selector sees at `t`: the latest sample in
 * (t - lookback, t], unless that sample is a staleness marker.
 */
export function valueAt(series: Series, t: number, lookbackMs: number): number | undefined {
  const index = lastIndexAtOrBefore(series.timestamps, t);
  if (index < 0) return undefined;
  const timestamp = series.timestamps[index] ?? -Infinity;
  if (timestamp <= t - lookbackMs) return undefined;
  return series.values[index] ?? undefined;
}

/** Prometheus's label-set order: pairwise by name, then value; a prefix sorts first. */
export function compareLabels(a: Labels, b: Labels): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const [aName, aValue] = a[i] ?? ['', ''];
    const [bName, bValue] = b[i] ?? ['', ''];
    if (aName !== bName) return aName < bName ? -1 : 1;
    if (aValue !== bValue) return aValue < bValue ? -1 : 1;
  }
  return a.length - b.length;
}

/** The value of one label, '' when absent (as Prometheus matchers see it). */
export function labelValue(labels: Labels, name: string): string {
  for (const [labelName, value] of labels) if (labelName === name) return value;
  return '';
}
