/**
 * The Prometheus HTTP API read endpoints AMP serves: query, query_range,
 * series, labels and label values, over the series store.
 */
import type { LocalRequest, LocalResponse } from '../../service.js';
import { badData, formatTimestamp, formatValue, labelsObject, success } from './format.js';
import { matchesAll } from './matcher.js';
import type { Matcher } from './matcher.js';
import { BadData, MAX_TIME, MIN_TIME, durationParam, requestParams, timeParam } from './params.js';
import type { Route } from './routes.js';
import { SelectorError, parseSelector } from './selector.js';
import { compareLabels, hasSampleIn, labelValue, valueAt } from './series-store.js';
import type { Series, SeriesStore } from './series-store.js';

/** How far back an instant selector looks for a sample: Prometheus's default 5m. */
export const LOOKBACK_MS = 5 * 60_000;
/** Prometheus's cap on points per series in a range query. */
const MAX_POINTS = 11_000;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

type ReadKind = Exclude<Route['kind'], 'remote_write'>;

export function queryApi(
  kind: ReadKind,
  route: Route,
  request: LocalRequest,
  store: SeriesStore,
): LocalResponse {
  try {
    const params = requestParams(request);
    const series = store.series(route.workspaceId);
    switch (kind) {
      case 'query':
        return success(instantQuery(params, series, request.now));
      case 'query_range':
        return success(rangeQuery(params, series));
      case 'series':
        return success(seriesQuery(params, series));
      case 'labels':
        return success(labelNames(params, series));
      case 'label_values':
        return success(labelValues(route.labelName ?? '', params, series));
    }
  } catch (error) {
    if (error instanceof BadData) return badData(error.message);
    throw error;
  }
}

function instantQuery(params: URLSearchParams, all: Iterable<Series>, now: number) {
  const matchers = selectorParam(params.get('query') ?? '', 'query');
  const t = timeParam(params, 'time', now);
  const result = select(all, matchers).flatMap((series) => {
    const value = valueAt(series, t, LOOKBACK_MS);
    if (value === undefined) return [];
    return [
      { metric: labelsObject(series.labels), value: [formatTimestamp(t), formatValue(value)] },
    ];
  });
  return { resultType: 'vector', result };
}

function rangeQuery(params: URLSearchParams, all: Iterable<Series>) {
  const start = timeParam(params, 'start');
  const end = timeParam(params, 'end');
  if (end < start) throw new BadData('end timestamp must not be before start time');
  const step = durationParam(params, 'step');
  if (step <= 0) {
    throw new BadData(
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
  }
  if ((end - start) / step > MAX_POINTS) {
    throw new BadData(
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  }
  const matchers = selectorParam(params.get('query') ?? '', 'query');
  const result = select(all, matchers).flatMap((series) => {
    const values: [number, string][] = [];
    for (let t = start; t <= end; t += step) {
      const value = valueAt(series, t, LOOKBACK_MS);
      if (value !== undefined) values.push([formatTimestamp(t), formatValue(value)]);
    }
    return values.length === 0 ? [] : [{ metric: labelsObject(series.labels), values }];
  });
  return { resultType: 'matrix', result };
}

function seriesQuery(params: URLSearchParams, all: Iterable<Series>) {
  const selectors = matchParams(params);
  if (selectors.length === 0) throw new BadData('no match[] parameter provided');
  return inRange(params, all, selectors).map((series) => labelsObject(series.labels));
}

function labelNames(params: URLSearchParams, all: Iterable<Series>): string[] {
  const names = new Set<string>();
  for (const series of inRange(params, all, matchParams(params))) {
    for (const [name] of series.labels) names.add(name);
  }
  return [...names].sort(compareStrings);
}

function labelValues(name: string, params: URLSearchParams, all: Iterable<Series>): string[] {
  if (!LABEL_NAME.test(name)) throw new BadData(`invalid label name: ${JSON.stringify(name)}`);
  const values = new Set<string>();
  for (const series of inRange(params, all, matchParams(params))) {
    const value = labelValue(series.labels, name);
    if (value !== '') values.add(value);
  }
  return [...values].sort(compareStrings);
}

/**
 * The series, sorted, that any of `selectors` selects (all series when there
 * are none) and that have a sample between the optional start and end.
 */
function inRange(
  params: URLSearchParams,
  all: Iterable<Series>,
  selectors: readonly Matcher[][],
): Series[] {
  const start = timeParam(params, 'start', MIN_TIME);
  const end = timeParam(params, 'end', MAX_TIME);
  if (end < start) throw new BadData('end timestamp must not be before start time');
  return [...all]
    .filter(
      (series) => selectors.length === 0 || selectors.some((m) => matchesAll(m, series.labels)),
    )
    .filter((series) => hasSampleIn(series, start, end))
    .sort((a, b) => compareLabels(a.labels, b.labels));
}

function select(all: Iterable<Series>, matchers: readonly Matcher[]): Series[] {
  return [...all]
    .filter((series) => matchesAll(matchers, series.labels))
    .sort((a, b) => compareLabels(a.labels, b.labels));
}

function matchParams(params: URLSearchParams): Matcher[][] {
  return params.getAll('match[]').map((text) => selectorParam(text, 'match[]'));
}

/** Parses a selector, as a bad_data error worded like Prometheus's parse errors. */
function selectorParam(text: string, name: string): Matcher[] {
  try {
    return parseSelector(text);
  } catch (error) {
    if (!(error instanceof SelectorError)) throw error;
    const where = error.syntax ? `1:${error.position}: parse error: ` : '';
    throw new BadData(`invalid parameter ${JSON.stringify(name)}: ${where}${error.message}`);
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
