/**
 * DescribeInstances' NextToken: opaque to clients, and bound to the filters it
 * was issued for, so a token reused with other filters is refused as EC2 does
 * rather than silently paging through a different result.
 */
import { createHash } from 'node:crypto';
import { ServiceError } from '../../service.js';
import type { DescribeInstancesInput } from './params.js';

interface TokenBody {
  readonly offset: number;
  readonly query: string;
}

/** What the token is bound to: the filters, in order. */
function queryKey(input: DescribeInstancesInput): string {
  return createHash('sha256')
    .update(JSON.stringify(input.filters))
    .digest('base64url')
    .slice(0, 16);
}

export function encodeToken(input: DescribeInstancesInput, offset: number): string {
  const body: TokenBody = { offset, query: queryKey(input) };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The offset a token stands for (0 without a token). */
export function decodeToken(input: DescribeInstancesInput): number {
  if (input.nextToken === undefined) return 0;
  const invalid = new ServiceError(
    'InvalidParameterValue',
    `Invalid value '${input.nextToken}' for nextToken`,
  );
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(input.nextToken, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof body !== 'object' || body === null || !('offset' in body) || !('query' in body))
    throw invalid;
  const { offset, query } = body;
  if (
    typeof offset !== 'number' ||
    !Number.isInteger(offset) ||
    offset < 0 ||
    query !== queryKey(input)
  )
    throw invalid;
  return offset;
}
