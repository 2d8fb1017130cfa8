/**
 * Reads CloudWatch's query-protocol requests (older SDKs, the AWS CLI v1,
 * hand-made curl) into the protocol-neutral inputs of model.ts. Lists are
 * flattened as `Name.member.N`, structures as `Name.Member`, timestamps are
 * ISO 8601 and numbers are text.
 */
import type {
  DatumInput,
  DimensionInput,
  GetMetricDataInput,
  ListMetricsInput,
  MetricDataQueryInput,
  PutMetricDataInput,
} from './model.js';

/** The `prefix.member.N` prefixes present, in index order. */
export function members(params: URLSearchParams, prefix: string): string[] {
  const head = `${prefix}.member.`;
  const indices = new Set<number>();
  for (const key of params.keys()) {
    if (!key.startsWith(head)) continue;
    const n = Number(key.slice(head.length).split('.')[0]);
    if (Number.isInteger(n) && n >= 1) indices.add(n);
  }
  return [...indices].sort((a, b) => a - b).map((n) => `${head}${n}`);
}

function hasAny(params: URLSearchParams, prefix: string): boolean {
  for (const key of params.keys()) if (key.startsWith(`${prefix}.`)) return true;
  return false;
}

function str(params: URLSearchParams, key: string): string | undefined {
  return params.get(key) ?? undefined;
}

/** Text to a number; blank or malformed text becomes NaN, which the checks refuse. */
function num(params: URLSearchParams, key: string): number | undefined {
  const text = params.get(key);
  if (text === null) return undefined;
  return text.trim() === '' ? NaN : Number(text);
}

function time(params: URLSearchParams, key: string): number | undefined {
  const text = params.get(key);
  return text === null ? undefined : Date.parse(text);
}

function dimensions(params: URLSearchParams, prefix: string): DimensionInput[] {
  return members(params, prefix).map((m) => ({
    name: str(params, `${m}.Name`),
    value: str(params, `${m}.Value`),
  }));
}

function numbers(params: URLSearchParams, prefix: string): number[] | undefined {
  const list = members(params, prefix);
  return list.length === 0 ? undefined : list.map((m) => num(params, m) ?? NaN);
}

function datum(params: URLSearchParams, p: string): DatumInput {
  const set = `${p}.StatisticValues`;
  return {
    path: p,
    metricName: str(params, `${p}.MetricName`),
    dimensions: dimensions(params, `${p}.Dimensions`),
    timestamp: time(params, `${p}.Timestamp`),
    value: num(params, `${p}.Value`),
    statisticValues: hasAny(params, set)
      ? {
          sampleCount: num(params, `${set}.SampleCount`),
          sum: num(params, `${set}.Sum`),
          minimum: num(params, `${set}.Minimum`),
          maximum: num(params, `${set}.Maximum`),
        }
      : undefined,
    values: numbers(params, `${p}.Values`),
    counts: numbers(params, `${p}.Counts`),
    unit: str(params, `${p}.Unit`),
    storageResolution: num(params, `${p}.StorageResolution`),
  };
}

export function queryPutMetricData(params: URLSearchParams): PutMetricDataInput {
  const direct = members(params, 'MetricData').map((p) => datum(params, p));
  const entity = members(params, 'EntityMetricData').flatMap((e) =>
    members(params, `${e}.MetricData`).map((p) => datum(params, p)),
  );
  return { namespace: str(params, 'Namespace'), data: [...direct, ...entity] };
}

function query(params: URLSearchParams, p: string): MetricDataQueryInput {
  const stat = `${p}.MetricStat`;
  const metric = `${stat}.Metric`;
  const returnData = str(params, `${p}.ReturnData`);
  return {
    path: p,
    id: str(params, `${p}.Id`),
    label: str(params, `${p}.Label`),
    returnData: returnData === undefined ? undefined : returnData === 'true',
    expression: str(params, `${p}.Expression`),
    metricStat: hasAny(params, stat)
      ? {
          metric: hasAny(params, metric)
            ? {
                namespace: str(params, `${metric}.Namespace`),
                metricName: str(params, `${metric}.MetricName`),
                dimensions: dimensions(params, `${metric}.Dimensions`),
              }
            : undefined,
          period: num(params, `${stat}.Period`),
          stat: str(params, `${stat}.Stat`),
          unit: str(params, `${stat}.Unit`),
        }
      : undefined,
  };
}

export function queryGetMetricData(params: URLSearchParams): GetMetricDataInput {
  return {
    queries: members(params, 'MetricDataQueries').map((p) => query(params, p)),
    startTime: time(params, 'StartTime'),
    endTime: time(params, 'EndTime'),
    scanBy: str(params, 'ScanBy'),
  };
}

export function queryListMetrics(params: URLSearchParams): ListMetricsInput {
  return {
    namespace: str(params, 'Namespace'),
    metricName: str(params, 'MetricName'),
    dimensions: dimensions(params, 'Dimensions'),
    nextToken: str(params, 'NextToken'),
    recentlyActive: str(params, 'RecentlyActive'),
  };
}
