/**
 * Reading metrics back: GetMetricData for MetricStat queries (Sum, Average,
 * Minimum, Maximum, SampleCount over aligned periods) and ListMetrics.
 * Metric math and percentiles are refused with a clear message rather than
 * answered wrongly.
 */
import { ServiceError } from '../../service.js';
import {
  invalidCombination,
  invalidValue,
  missing,
  type GetMetricDataInput,
  type ListedMetric,
  type ListMetricsInput,
  type MetricDataQueryInput,
  type MetricDataResultOutput,
} from './model.js';
import { checkDimensions, UNITS } from './put.js';
import { metricKey, type CloudWatchContext, type Point, type StoredMetric } from './state.js';

/** GetMetricData's documented ceiling on MetricDataQueries. */
export const MAX_QUERIES = 500;
/** ListMetrics answers at most 500 metrics a page. */
const LIST_PAGE = 500;
const STATS = ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'];
const ID_RE = /^[a-z][a-zA-Z0-9_]*$/;

interface Bucket {
  count: number;
  sum: number;
  min: number;
  max: number;
}

function statOf(bucket: Bucket, stat: string): number {
  switch (stat) {
    case 'Sum':
      return bucket.sum;
    case 'Average':
      return bucket.sum / bucket.count;
    case 'Minimum':
      return bucket.min;
    case 'Maximum':
      return bucket.max;
    default:
      return bucket.count;
  }
}

/** Periods CloudWatch accepts: high-resolution 1, 5, 10, 20, 30, or any multiple of 60. */
function checkPeriod(period: number | undefined, path: string): number {
  if (period === undefined) throw missing(`${path}.Period`);
  if (
    !Number.isInteger(period) ||
    period < 1 ||
    (period >= 60 ? period % 60 !== 0 : ![1, 5, 10, 20, 30].includes(period))
  ) {
    throw invalidValue(
      `The parameter ${path}.Period must be 1, 5, 10, 20, 30, or a multiple of 60.`,
    );
  }
  return period;
}

function answer(
  ctx: CloudWatchContext,
  query: MetricDataQueryInput,
  range: { start: number; end: number; ascending: boolean },
  scope: { account: string; region: string },
): MetricDataResultOutput | undefined {
  const p = query.path;
  const id = query.id;
  if (id === undefined) throw missing(`${p}.Id`);
  if (!ID_RE.test(id)) {
    throw invalidValue(
      `The value ${id} for parameter ${p}.Id is invalid: it must start with a lower-case letter and hold only letters, digits and _.`,
    );
  }
  if (query.expression !== undefined && query.metricStat !== undefined) {
    throw invalidCombination(
      `The parameters ${p}.Expression and ${p}.MetricStat are mutually exclusive and you have specified both.`,
    );
  }
  if (query.expression !== undefined) {
    throw invalidValue(
      `${p}.Expression: metric math is not supported by signet local; use MetricStat.`,
    );
  }
  const stat = query.metricStat;
  if (stat === undefined) throw missing(`${p}.MetricStat`);
  const metric = stat.metric;
  if (metric?.namespace === undefined) throw missing(`${p}.MetricStat.Metric.Namespace`);
  if (metric.metricName === undefined) throw missing(`${p}.MetricStat.Metric.MetricName`);
  const period = checkPeriod(stat.period, `${p}.MetricStat`);
  if (stat.stat === undefined) throw missing(`${p}.MetricStat.Stat`);
  if (!STATS.includes(stat.stat)) {
    throw invalidValue(
      `The value ${stat.stat} for parameter ${p}.MetricStat.Stat is not supported by signet local: use ${STATS.join(', ')}.`,
    );
  }
  if (stat.unit !== undefined && !UNITS.includes(stat.unit)) {
    throw invalidValue(`The value ${stat.unit} for parameter ${p}.MetricStat.Unit is invalid.`);
  }
  const dimensions = checkDimensions(metric.dimensions, `${p}.MetricStat.Metric.Dimensions`);
  if (query.returnData === false) return undefined;

  const key = metricKey({
    ...scope,
    namespace: metric.namespace,
    name: metric.metricName,
    dimensions,
  });
  const points: readonly Point[] = ctx.state.metrics[key]?.points ?? [];
  const size = period * 1000;
  const buckets = new Map<number, Bucket>();
  for (const [t, count, sum, min, max, unit] of points) {
    if (t < range.start || t >= range.end) continue;
    if (stat.unit !== undefined && unit !== stat.unit) continue;
    // Periods are aligned to the epoch, as CloudWatch aligns them.
    const at = Math.floor(t / size) * size;
    const b = buckets.get(at);
    if (b === undefined) buckets.set(at, { count, sum, min, max });
    else {
      b.count += count;
      b.sum += sum;
      b.min = Math.min(b.min, min);
      b.max = Math.max(b.max, max);
    }
  }
  const times = [...buckets.keys()].sort((a, b) => (range.ascending ? a - b : b - a));
  return {
    id,
    label: query.label ?? metric.metricName,
    timestamps: times,
    values: times.map((t) =>
      statOf(buckets.get(t) ?? { count: 0, sum: 0, min: 0, max: 0 }, stat.stat ?? 'Sum'),
    ),
  };
}

export function getMetricData(
  ctx: CloudWatchContext,
  input: GetMetricDataInput,
  account: string,
  region: string,
): MetricDataResultOutput[] {
  if (input.startTime === undefined) throw missing('StartTime');
  if (input.endTime === undefined) throw missing('EndTime');
  if (Number.isNaN(input.startTime) || Number.isNaN(input.endTime)) {
    throw invalidValue('StartTime and EndTime must be valid time stamps.');
  }
  if (input.startTime >= input.endTime) {
    throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
  }
  if (input.queries.length === 0) throw missing('MetricDataQueries');
  if (input.queries.length > MAX_QUERIES) {
    throw invalidValue(
      `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`,
    );
  }
  const scanBy = input.scanBy ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
    throw invalidValue(`The value ${scanBy} for parameter ScanBy is invalid.`);
  }
  const ids = input.queries.map((q) => q.id);
  if (new Set(ids).size !== ids.length)
    throw invalidValue('The values of MetricDataQueries.member.N.Id must be unique.');
  const range = {
    start: input.startTime,
    end: input.endTime,
    ascending: scanBy === 'TimestampAscending',
  };
  return input.queries.flatMap((q) => answer(ctx, q, range, { account, region }) ?? []);
}

function matches(metric: StoredMetric, input: ListMetricsInput, now: number): boolean {
  if (input.namespace !== undefined && metric.namespace !== input.namespace) return false;
  if (input.metricName !== undefined && metric.name !== input.metricName) return false;
  for (const filter of input.dimensions) {
    const found = metric.dimensions.find((d) => d.Name === filter.name);
    if (found === undefined || (filter.value !== undefined && found.Value !== filter.value))
      return false;
  }
  // RecentlyActive's only value, PT3H: data points in the last three hours.
  return (
    input.recentlyActive === undefined || metric.points.some(([t]) => t >= now - 3 * 3600 * 1000)
  );
}

export function listMetrics(
  ctx: CloudWatchContext,
  input: ListMetricsInput,
  account: string,
  region: string,
  now: number,
): { metrics: ListedMetric[]; nextToken: string | undefined } {
  if (input.recentlyActive !== undefined && input.recentlyActive !== 'PT3H') {
    throw invalidValue(
      `The value ${input.recentlyActive} for parameter RecentlyActive is invalid.`,
    );
  }
  input.dimensions.forEach((d, i) => {
    if (d.name === undefined) throw missing(`Dimensions.member.${i + 1}.Name`);
  });
  const offset =
    input.nextToken === undefined ? 0 : Number(Buffer.from(input.nextToken, 'base64').toString());
  if (!Number.isInteger(offset) || offset < 0) {
    throw new ServiceError('InvalidNextToken', 'The NextToken is invalid.');
  }
  const all = Object.values(ctx.state.metrics)
    .filter((m) => m.account === account && m.region === region && matches(m, input, now))
    .map((m) => ({ namespace: m.namespace, name: m.name, dimensions: m.dimensions }));
  const page = all.slice(offset, offset + LIST_PAGE);
  const next =
    offset + LIST_PAGE < all.length
      ? Buffer.from(String(offset + LIST_PAGE)).toString('base64')
      : undefined;
  return { metrics: page, nextToken: next };
}
