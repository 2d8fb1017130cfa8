/** CreateLogGroup, DescribeLogGroups and PutRetentionPolicy. */
import { z } from 'zod';
import { ServiceError } from '../../service.js';
import { findGroup, type Context } from './context.js';
import {
  LOG_GROUP_IDENTIFIER,
  LOG_GROUP_NAME,
  NEXT_TOKEN,
  invalid,
  isObject,
  optEnum,
  optInt,
  optString,
  optStringList,
  reqString,
} from './input.js';
import { MAX_DESCRIBE_LIMIT, RETENTION_DAYS } from './limits.js';
import { decodeToken, encodeToken, pageOf } from './paging.js';
import { groupArn, groupFromIdentifier } from './scope.js';
import type { LogGroup } from './state.js';

const CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY', 'ESSENTIALS'] as const;

/** A KMS key ARN: `arn:<partition>:kms:<region>:<account>:key/<key-id>`. */
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

export function createLogGroup(ctx: Context): Record<string, unknown> {
  const name = reqString(ctx.body, 'logGroupName', LOG_GROUP_NAME);
  // The CreateLogGroup reference: "Log group names can't start with the string aws/".
  if (name.startsWith('aws/')) {
    throw new ServiceError(
      'InvalidParameterException',
      "Log group names can't start with the string aws/.",
    );
  }
  const kmsKeyId = optString(ctx.body, 'kmsKeyId', { max: 256 });
  // AWS takes the key's ARN only; a bare key id or an alias is "not found" (as Terraform users
  // report it: InvalidParameterException: The specified KMS Key Id could not be found.).
  if (kmsKeyId !== undefined && !KMS_KEY_ARN.test(kmsKeyId)) {
    throw new ServiceError(
      'InvalidParameterException',
      'The specified KMS Key Id could not be found.',
    );
  }
  const logGroupClass = optEnum(ctx.body, 'logGroupClass', CLASSES) ?? 'STANDARD';
  const tags = ctx.body['tags'];
  if (tags !== undefined && tags !== null && !isObject(tags)) {
    throw new ServiceError('SerializationException', "Expected a map for 'tags'.");
  }
  const groups = ctx.state.groups(ctx.scope);
  if (groups.has(name)) {
    throw new ServiceError(
      'ResourceAlreadyExistsException',
      'The specified log group already exists',
    );
  }
  groups.set(name, {
    name,
    creationTime: ctx.now,
    logGroupClass,
    kmsKeyId,
    retentionInDays: undefined,
    streams: new Map(),
  });
  ctx.save();
  return {};
}

export function putRetentionPolicy(ctx: Context): Record<string, unknown> {
  const name = reqString(ctx.body, 'logGroupName', LOG_GROUP_NAME);
  const days = optInt(ctx.body, 'retentionInDays');
  if (days === undefined) throw invalid('retentionInDays', undefined, 'not be null');
  if (!RETENTION_DAYS.includes(days)) {
    throw invalid(
      'retentionInDays',
      days,
      `satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
    );
  }
  findGroup(ctx, name).retentionInDays = days;
  ctx.save();
  return {};
}

const groupCursor = z.object({ after: z.string() });

export function describeLogGroups(ctx: Context): Record<string, unknown> {
  const prefix = optString(ctx.body, 'logGroupNamePrefix', LOG_GROUP_NAME);
  const pattern = optString(ctx.body, 'logGroupNamePattern', {
    max: 512,
    pattern: /^[.\-_/#A-Za-z0-9]*$/,
    patternText: '[\\.\\-_/#A-Za-z0-9]*',
  });
  if (prefix !== undefined && pattern !== undefined) {
    throw new ServiceError(
      'InvalidParameterException',
      'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
    );
  }
  const identifiers = optStringList(ctx.body, 'logGroupIdentifiers', LOG_GROUP_IDENTIFIER, {
    min: 1,
    max: 50,
  });
  if (identifiers !== undefined && (prefix !== undefined || pattern !== undefined)) {
    throw new ServiceError(
      'InvalidParameterException',
      'logGroupIdentifiers cannot be combined with logGroupNamePrefix or logGroupNamePattern.',
    );
  }
  const logGroupClass = optEnum(ctx.body, 'logGroupClass', CLASSES);
  const limit =
    optInt(ctx.body, 'limit', { min: 1, max: MAX_DESCRIBE_LIMIT }) ?? MAX_DESCRIBE_LIMIT;
  const token = optString(ctx.body, 'nextToken', NEXT_TOKEN);
  const cursor = token === undefined ? undefined : decodeToken(token, groupCursor).after;
  const wanted = identifiers && new Set(identifiers.map((i) => groupFromIdentifier(i, ctx.scope)));

  // "The results are ASCII-sorted by log group name": compare code units, not locale.
  const sorted = [...ctx.state.groups(ctx.scope).values()]
    .filter((g) => prefix === undefined || g.name.startsWith(prefix))
    .filter((g) => pattern === undefined || g.name.includes(pattern))
    .filter((g) => wanted === undefined || wanted.has(g.name))
    .filter((g) => logGroupClass === undefined || sameClass(g.logGroupClass, logGroupClass))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = pageOf(sorted, limit, cursor === undefined ? undefined : (g) => g.name > cursor);
  const last = page.items.at(-1);
  return {
    logGroups: page.items.map((g) => describeGroup(ctx, g, pattern !== undefined)),
    ...(page.more && last ? { nextToken: encodeToken({ after: last.name }) } : {}),
  };
}

/** DescribeLogGroups: asking for INFREQUENT_ACCESS or ESSENTIALS returns both classes. */
function sameClass(actual: string, asked: string): boolean {
  const reduced = ['INFREQUENT_ACCESS', 'ESSENTIALS'];
  return actual === asked || (reduced.includes(actual) && reduced.includes(asked));
}

/** With logGroupNamePattern, AWS returns only arn, creationTime and logGroupName. */
function describeGroup(ctx: Context, g: LogGroup, brief: boolean): Record<string, unknown> {
  const arn = groupArn(ctx.scope, g.name);
  if (brief) return { logGroupName: g.name, creationTime: g.creationTime, arn: `${arn}:*` };
  return {
    logGroupName: g.name,
    creationTime: g.creationTime,
    ...(g.retentionInDays === undefined ? {} : { retentionInDays: g.retentionInDays }),
    metricFilterCount: 0,
    arn: `${arn}:*`,
    storedBytes: 0,
    ...(g.kmsKeyId === undefined ? {} : { kmsKeyId: g.kmsKeyId }),
    logGroupClass: g.logGroupClass,
    logGroupArn: arn,
  };
}
