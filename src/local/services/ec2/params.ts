/**
 * DescribeInstances' parameters in EC2's query serialisation: `InstanceId.N`,
 * `Filter.N.Name` with `Filter.N.Value.M`, `MaxResults`, `NextToken`, `DryRun`.
 */
import { ServiceError, type LocalRequest } from '../../service.js';

export const EC2_VERSION = '2016-11-15';

export interface Filter {
  readonly name: string;
  readonly values: readonly string[];
}

export interface DescribeInstancesInput {
  readonly instanceIds: readonly string[];
  readonly filters: readonly Filter[];
  readonly maxResults?: number;
  readonly nextToken?: string;
  readonly dryRun: boolean;
}

/** The form body of a POST (what SDKs send), else the query string. */
export function ec2Params(
  req: Pick<LocalRequest, 'method' | 'query' | 'body' | 'headers'>,
): URLSearchParams {
  const type = req.headers['content-type'] ?? '';
  const form =
    req.method === 'POST' && type.toLowerCase().startsWith('application/x-www-form-urlencoded');
  return form ? new URLSearchParams(req.body.toString('utf8')) : req.query;
}

/** Values of `Prefix.N` keys in order of N, as EC2 numbers list members from 1. */
function numbered(params: URLSearchParams, pattern: RegExp): Map<number, string> {
  const out = new Map<number, string>();
  for (const [key, value] of params) {
    const m = pattern.exec(key);
    if (m) out.set(Number(m[1]), value);
  }
  return new Map([...out].sort(([a], [b]) => a - b));
}

function invalid(message: string): ServiceError {
  return new ServiceError('InvalidParameterValue', message);
}

function maxResults(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (!/^-?\d+$/.test(value)) throw invalid(`Invalid value '${value}' for maxResults`);
  const n = Number(value);
  if (n < 5)
    throw invalid(
      `Value ( ${n} ) for parameter maxResults is invalid. Expecting a value greater than 5.`,
    );
  if (n > 1000)
    throw invalid(
      `Value ( ${n} ) for parameter maxResults is invalid. Expecting a value less than 1000.`,
    );
  return n;
}

export function describeInstancesInput(params: URLSearchParams): DescribeInstancesInput {
  const instanceIds = [...numbered(params, /^InstanceId\.(\d+)$/).values()];
  const names = numbered(params, /^Filter\.(\d+)\.Name$/);
  const filters: Filter[] = [...names].map(([n, name]) => {
    const values = [...numbered(params, new RegExp(`^Filter\\.${n}\\.Value\\.(\\d+)$`)).values()];
    if (values.length === 0) throw invalid(`The filter '${name}' requires at least one value`);
    return { name, values };
  });
  const max = maxResults(params.get('MaxResults'));
  if (max !== undefined && instanceIds.length > 0) {
    throw new ServiceError(
      'InvalidParameterCombination',
      'The parameter instancesSet cannot be used with the parameter maxResults',
    );
  }
  const dryRun = params.get('DryRun');
  return {
    instanceIds,
    filters,
    ...(max === undefined ? {} : { maxResults: max }),
    ...(params.get('NextToken') === null ? {} : { nextToken: params.get('NextToken') ?? '' }),
    dryRun: dryRun === 'true',
  };
}
