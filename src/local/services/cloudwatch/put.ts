/**
 * PutMetricData: the documented limits, then each datum reduced to a
 * statistic set and stored under its metric.
 *
 * Limits, from the PutMetricData API reference
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html,
 * also in @aws-sdk/client-cloudwatch's PutMetricDataCommand docs): "Each
 * request is also limited to no more than 1000 different metrics (across both
 * the MetricData and EntityMetricData properties)"; "Values must be in the
 * range of -2^360 to 2^360. In addition, special values (for example, NaN,
 * +Infinity, -Infinity) are not supported"; up to 30 dimensions per metric;
 * up to 150 values per metric with Values/Counts; time stamps "as much as two
 * weeks before the current date, and as much as 2 hours after". The 1 MB
 * body limit is enforced by the service objects (see index.ts).
 */
import {
  invalidCombination,
  invalidValue,
  missing,
  type DatumInput,
  type DimensionInput,
  type PutMetricDataInput,
} from './model.js';
import {
  metricKey,
  sortDimensions,
  type CloudWatchContext,
  type Dimension,
  type Point,
} from './state.js';

export const MAX_DATUMS = 1000;
export const MAX_DIMENSIONS = 30;
export const MAX_VALUES = 150;
export const MAX_ABS_VALUE = 2 ** 360;
const TWO_WEEKS_MS = 14 * 24 * 3600 * 1000;
const TWO_HOURS_MS = 2 * 3600 * 1000;

export const UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
];

function checkValue(value: number, parameter: string): number {
  if (!Number.isFinite(value) || Math.abs(value) > MAX_ABS_VALUE) {
    throw invalidValue(`The value ${value} for parameter ${parameter} is invalid.`);
  }
  return value;
}

function checkText(value: string | undefined, parameter: string, max: number): string {
  if (value === undefined || value === '') throw missing(parameter);
  if (value.length > max) {
    throw invalidValue(`The parameter ${parameter} must be shorter than ${max + 1} characters.`);
  }
  return value;
}

export function checkNamespace(namespace: string | undefined): string {
  const ns = checkText(namespace, 'Namespace', 255);
  // AWS/ is reserved for AWS's own metrics; a leading colon is outside the model's pattern.
  if (ns.startsWith('AWS/') || ns.startsWith(':')) {
    throw invalidValue(`The value ${ns} for parameter Namespace is invalid.`);
  }
  return ns;
}

export function checkDimensions(dimensions: readonly DimensionInput[], path: string): Dimension[] {
  if (dimensions.length > MAX_DIMENSIONS) {
    throw invalidValue(
      `The collection ${path} must not have a size greater than ${MAX_DIMENSIONS}.`,
    );
  }
  return dimensions.map((d, i) => ({
    Name: checkText(d.name, `${path}.member.${i + 1}.Name`, 255),
    Value: checkText(d.value, `${path}.member.${i + 1}.Value`, 1024),
  }));
}

/** A datum's values as [count, sum, min, max], after its own checks. */
function statistics(datum: DatumInput): [number, number, number, number] {
  const p = datum.path;
  const given = [
    datum.value !== undefined && 'Value',
    datum.statisticValues !== undefined && 'StatisticValues',
    datum.values !== undefined && 'Values',
  ].filter((x): x is string => x !== false);
  if (given.length > 1) {
    throw invalidCombination(
      `The parameters ${p}.${given[0]} and ${p}.${given[1]} are mutually exclusive and you have specified both.`,
    );
  }
  if (datum.value !== undefined) {
    const v = checkValue(datum.value, `${p}.Value`);
    return [1, v, v, v];
  }
  const set = datum.statisticValues;
  if (set !== undefined) {
    const part = (value: number | undefined, name: string) => {
      if (value === undefined) throw missing(`${p}.StatisticValues.${name}`);
      return checkValue(value, `${p}.StatisticValues.${name}`);
    };
    return [
      part(set.sampleCount, 'SampleCount'),
      part(set.sum, 'Sum'),
      part(set.minimum, 'Minimum'),
      part(set.maximum, 'Maximum'),
    ];
  }
  if (datum.values !== undefined) {
    if (datum.values.length > MAX_VALUES) {
      throw invalidValue(
        `The collection ${p}.Values must not have a size greater than ${MAX_VALUES}.`,
      );
    }
    const counts = datum.counts ?? datum.values.map(() => 1);
    if (counts.length !== datum.values.length) {
      throw invalidCombination(
        `The parameters ${p}.Values and ${p}.Counts must be of the same size.`,
      );
    }
    let [count, sum, min, max] = [0, 0, Infinity, -Infinity];
    datum.values.forEach((raw, i) => {
      const v = checkValue(raw, `${p}.Values.member.${i + 1}`);
      const c = checkValue(counts[i] ?? 1, `${p}.Counts.member.${i + 1}`);
      count += c;
      sum += v * c;
      min = Math.min(min, v);
      max = Math.max(max, v);
    });
    if (datum.values.length > 0) return [count, sum, min, max];
  }
  // The model makes every value field optional, but a datum without one carries nothing to store.
  throw missing(`${p}.Value`);
}

interface CheckedDatum {
  readonly name: string;
  readonly dimensions: Dimension[];
  readonly point: Point;
}

function checkDatum(datum: DatumInput, now: number): CheckedDatum {
  const p = datum.path;
  const name = checkText(datum.metricName, `${p}.MetricName`, 255);
  const dimensions = checkDimensions(datum.dimensions, `${p}.Dimensions`);
  const unit = datum.unit ?? '';
  if (unit !== '' && !UNITS.includes(unit)) {
    throw invalidValue(`The value ${unit} for parameter ${p}.Unit is invalid.`);
  }
  if (
    datum.storageResolution !== undefined &&
    datum.storageResolution !== 1 &&
    datum.storageResolution !== 60
  ) {
    throw invalidValue(
      `The value ${datum.storageResolution} for parameter ${p}.StorageResolution is invalid.`,
    );
  }
  const time = datum.timestamp ?? now;
  if (Number.isNaN(time))
    throw invalidValue(`The parameter ${p}.Timestamp is not a valid time stamp.`);
  if (time < now - TWO_WEEKS_MS) {
    throw invalidValue(
      `The parameter ${p}.Timestamp must specify a time no more than two weeks in the past.`,
    );
  }
  if (time > now + TWO_HOURS_MS) {
    throw invalidValue(
      `The parameter ${p}.Timestamp must specify a time no more than two hours in the future.`,
    );
  }
  const [count, sum, min, max] = statistics(datum);
  return { name, dimensions, point: [time, count, sum, min, max, unit] };
}

/** Checks the whole request first: AWS stores nothing from a request it refuses. */
export function putMetricData(
  ctx: CloudWatchContext,
  input: PutMetricDataInput,
  account: string,
  region: string,
  now: number,
): void {
  const namespace = checkNamespace(input.namespace);
  if (input.data.length === 0) throw missing('MetricData');
  if (input.data.length > MAX_DATUMS) {
    throw invalidValue(
      `The collection MetricData must not have a size greater than ${MAX_DATUMS}.`,
    );
  }
  const checked = input.data.map((datum) => checkDatum(datum, now));
  for (const { name, dimensions, point } of checked) {
    const id = { account, region, namespace, name, dimensions };
    const key = metricKey(id);
    const metric = (ctx.state.metrics[key] ??= {
      ...id,
      dimensions: sortDimensions(dimensions),
      points: [],
    });
    metric.points.push(point);
  }
  ctx.save();
}
