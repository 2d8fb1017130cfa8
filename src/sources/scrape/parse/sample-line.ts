/**
 * What one sample line yields, and the line being handed to the sink right
 * now. The second is how the parser checks a label set only the first time
 * its series is seen: a cached series text was valid when it entered the
 * cache, and a new one reaches parseSeriesLabels, which then checks its
 * whole line with the format's strict scanner before building labels.
 */

/** Filled by a line scanner; one per parse, reused for every line so lines allocate nothing. */
export interface SampleLine {
  seriesEnd: number;
  value: number;
  hasTimestamp: boolean;
  /** Meaningful only when hasTimestamp; kept a number so the field stays unboxed. */
  timestampMs: number;
}

export function newSampleLine(): SampleLine {
  return { seriesEnd: 0, value: 0, hasTimestamp: false, timestampMs: 0 };
}

/**
 * Scans the sample line whose series starts at `seriesStart` with every check
 * of its format, throwing ExpositionError at the first fault; returns where
 * the series text ends.
 */
export type StrictLineCheck = (body: string, seriesStart: number) => number;

export interface ActiveLine {
  body: string;
  seriesStart: number;
  seriesText: string;
  check: StrictLineCheck | undefined;
}

/** The single active line (parsing is synchronous, so one slot is enough). */
export const active: ActiveLine = { body: '', seriesStart: 0, seriesText: '', check: undefined };
