/**
 * CloudWatch requests as the operations see them, whichever protocol they
 * arrived in: the JSON and query readers both produce these shapes, so the
 * checks and the answers are computed once. Errors are raised with the query
 * API's codes (InvalidParameterValue…); the JSON service renames them to its
 * exception names (see JSON_ERROR_CODES).
 */
import { ServiceError } from '../../service.js';

export interface DimensionInput {
  readonly name: string | undefined;
  readonly value: string | undefined;
}

export interface StatisticSetInput {
  readonly sampleCount: number | undefined;
  readonly sum: number | undefined;
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
}

export interface DatumInput {
  /** Where the datum sits in query terms (`MetricData.member.3`), for error messages. */
  readonly path: string;
  readonly metricName: string | undefined;
  readonly dimensions: readonly DimensionInput[];
  /** Ms since the epoch. */
  readonly timestamp: number | undefined;
  /** NaN and the infinities arrive as numbers here; the checks refuse them. */
  readonly value: number | undefined;
  readonly statisticValues: StatisticSetInput | undefined;
  readonly values: readonly number[] | undefined;
  readonly counts: readonly number[] | undefined;
  readonly unit: string | undefined;
  readonly storageResolution: number | undefined;
}

export interface PutMetricDataInput {
  readonly namespace: string | undefined;
  /** MetricData and every EntityMetricData's MetricData, in order. */
  readonly data: readonly DatumInput[];
}

export interface MetricInput {
  readonly namespace: string | undefined;
  readonly metricName: string | undefined;
  readonly dimensions: readonly DimensionInput[];
}

export interface MetricDataQueryInput {
  readonly path: string;
  readonly id: string | undefined;
  readonly label: string | undefined;
  readonly returnData: boolean | undefined;
  readonly expression: string | undefined;
  readonly metricStat:
    | {
        readonly metric: MetricInput | undefined;
        readonly period: number | undefined;
        readonly stat: string | undefined;
        readonly unit: string | undefined;
      }
    | undefined;
}

export interface GetMetricDataInput {
  readonly queries: readonly MetricDataQueryInput[];
  readonly startTime: number | undefined;
  readonly endTime: number | undefined;
  readonly scanBy: string | undefined;
}

export interface ListMetricsInput {
  readonly namespace: string | undefined;
  readonly metricName: string | undefined;
  readonly dimensions: readonly DimensionInput[];
  readonly nextToken: string | undefined;
  readonly recentlyActive: string | undefined;
}

/** What an operation answers, rendered as JSON or query XML by the service it came through. */
export interface MetricDataResultOutput {
  readonly id: string;
  readonly label: string;
  /** Ms since the epoch, in the order asked for. */
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

export interface ListedMetric {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: readonly { readonly Name: string; readonly Value: string }[];
}

export const invalidValue = (message: string) => new ServiceError('InvalidParameterValue', message);
export const missing = (parameter: string) =>
  new ServiceError('MissingParameter', `The parameter ${parameter} is required.`);
export const invalidCombination = (message: string) =>
  new ServiceError('InvalidParameterCombination', message);

/** The JSON protocol's names for the query API's error codes (from the API model's awsQueryError traits). */
export const JSON_ERROR_CODES: Readonly<Record<string, string>> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  MissingParameter: 'MissingRequiredParameterException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  InvalidNextToken: 'InvalidNextToken',
};
