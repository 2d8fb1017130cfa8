/**
 * Reads CloudWatch's JSON 1.0 requests (what current AWS SDKs send) into the
 * protocol-neutral inputs of model.ts. Timestamps are epoch seconds; doubles
 * may be the strings "NaN", "Infinity" and "-Infinity", as Smithy's JSON
 * protocols write them. A member of the wrong type is SerializationException.
 */
import { ServiceError } from '../../service.js';
import { isObject, parseJsonObject, type JsonObject } from '../json-body.js';
import type {
  DatumInput,
  DimensionInput,
  GetMetricDataInput,
  ListMetricsInput,
  MetricDataQueryInput,
  PutMetricDataInput,
} from './model.js';

function serialization(what: string): ServiceError {
  return new ServiceError('SerializationException', `${what} is not of the expected type`);
}

export function parseJsonBody(body: Buffer): JsonObject {
  return parseJsonObject(body, 'SerializationException');
}

function str(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw serialization(path);
  return value;
}

function num(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
  throw serialization(path);
}

function bool(value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw serialization(path);
  return value;
}

/** Epoch seconds to ms; a string is read as ISO 8601 for hand-written requests. */
function time(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value * 1000;
  if (typeof value === 'string') return Date.parse(value);
  throw serialization(path);
}

function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw serialization(path);
  return value;
}

function objects(value: unknown, path: string): JsonObject[] {
  const items = list(value, path);
  if (!items.every(isObject)) throw serialization(path);
  return items;
}

function obj(value: unknown, path: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw serialization(path);
  return value;
}

function numbers(value: unknown, path: string): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  return list(value, path).map((v, i) => num(v, `${path}.member.${i + 1}`) ?? NaN);
}

function dimensions(value: unknown, path: string): DimensionInput[] {
  return objects(value, path).map((d, i) => ({
    name: str(d['Name'], `${path}.member.${i + 1}.Name`),
    value: str(d['Value'], `${path}.member.${i + 1}.Value`),
  }));
}

function datum(d: JsonObject, path: string): DatumInput {
  const set = obj(d['StatisticValues'], `${path}.StatisticValues`);
  return {
    path,
    metricName: str(d['MetricName'], `${path}.MetricName`),
    dimensions: dimensions(d['Dimensions'], `${path}.Dimensions`),
    timestamp: time(d['Timestamp'], `${path}.Timestamp`),
    value: num(d['Value'], `${path}.Value`),
    statisticValues:
      set === undefined
        ? undefined
        : {
            sampleCount: num(set['SampleCount'], `${path}.StatisticValues.SampleCount`),
            sum: num(set['Sum'], `${path}.StatisticValues.Sum`),
            minimum: num(set['Minimum'], `${path}.StatisticValues.Minimum`),
            maximum: num(set['Maximum'], `${path}.StatisticValues.Maximum`),
          },
    values: numbers(d['Values'], `${path}.Values`),
    counts: numbers(d['Counts'], `${path}.Counts`),
    unit: str(d['Unit'], `${path}.Unit`),
    storageResolution: num(d['StorageResolution'], `${path}.StorageResolution`),
  };
}

export function jsonPutMetricData(body: JsonObject): PutMetricDataInput {
  const direct = objects(body['MetricData'], 'MetricData').map((d, i) =>
    datum(d, `MetricData.member.${i + 1}`),
  );
  const entity = objects(body['EntityMetricData'], 'EntityMetricData').flatMap((e, i) =>
    objects(e['MetricData'], `EntityMetricData.member.${i + 1}.MetricData`).map((d, j) =>
      datum(d, `EntityMetricData.member.${i + 1}.MetricData.member.${j + 1}`),
    ),
  );
  return { namespace: str(body['Namespace'], 'Namespace'), data: [...direct, ...entity] };
}

function query(q: JsonObject, path: string): MetricDataQueryInput {
  const stat = obj(q['MetricStat'], `${path}.MetricStat`);
  const metric = stat === undefined ? undefined : obj(stat['Metric'], `${path}.MetricStat.Metric`);
  return {
    path,
    id: str(q['Id'], `${path}.Id`),
    label: str(q['Label'], `${path}.Label`),
    returnData: bool(q['ReturnData'], `${path}.ReturnData`),
    expression: str(q['Expression'], `${path}.Expression`),
    metricStat:
      stat === undefined
        ? undefined
        : {
            metric:
              metric === undefined
                ? undefined
                : {
                    namespace: str(metric['Namespace'], `${path}.MetricStat.Metric.Namespace`),
                    metricName: str(metric['MetricName'], `${path}.MetricStat.Metric.MetricName`),
                    dimensions: dimensions(
                      metric['Dimensions'],
                      `${path}.MetricStat.Metric.Dimensions`,
                    ),
                  },
            period: num(stat['Period'], `${path}.MetricStat.Period`),
            stat: str(stat['Stat'], `${path}.MetricStat.Stat`),
            unit: str(stat['Unit'], `${path}.MetricStat.Unit`),
          },
  };
}

export function jsonGetMetricData(body: JsonObject): GetMetricDataInput {
  return {
    queries: objects(body['MetricDataQueries'], 'MetricDataQueries').map((q, i) =>
      query(q, `MetricDataQueries.member.${i + 1}`),
    ),
    startTime: time(body['StartTime'], 'StartTime'),
    endTime: time(body['EndTime'], 'EndTime'),
    scanBy: str(body['ScanBy'], 'ScanBy'),
  };
}

export function jsonListMetrics(body: JsonObject): ListMetricsInput {
  return {
    namespace: str(body['Namespace'], 'Namespace'),
    metricName: str(body['MetricName'], 'MetricName'),
    dimensions: dimensions(body['Dimensions'], 'Dimensions'),
    nextToken: str(body['NextToken'], 'NextToken'),
    recentlyActive: str(body['RecentlyActive'], 'RecentlyActive'),
  };
}
