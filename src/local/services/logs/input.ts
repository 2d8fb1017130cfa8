/**
 * Reading a JSON 1.1 request body field by field. Wrong JSON types answer
 * SerializationException (the real service fails deserialisation first);
 * values outside the model's constraints answer InvalidParameterException
 * worded like AWS's own "1 validation error detected" messages, so clients
 * that log them read the same text as against AWS.
 */
import { ServiceError } from '../../service.js';

export type Body = Readonly<Record<string, unknown>>;

export interface StringRule {
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
  /** The pattern as the model spells it, for the message. */
  readonly patternText?: string;
}

export const LOG_GROUP_NAME: StringRule = {
  min: 1,
  max: 512,
  pattern: /^[.\-_/#A-Za-z0-9]+$/,
  patternText: '[\\.\\-_/#A-Za-z0-9]+',
};
export const LOG_STREAM_NAME: StringRule = {
  min: 1,
  max: 512,
  pattern: /^[^:*]*$/,
  patternText: '[^:*]*',
};
export const LOG_GROUP_IDENTIFIER: StringRule = {
  min: 1,
  max: 2048,
  pattern: /^[\w#+=/:,.@-]*$/,
  patternText: '[\\w#+=/:,.@-]*',
};
export const NEXT_TOKEN: StringRule = { min: 1 };

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as a JSON object; an empty body counts as `{}`, as AWS treats it. */
export function parseBody(raw: Buffer): Body {
  const text = raw.toString('utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ServiceError('SerializationException', 'The request body is not valid JSON.');
  }
  if (!isObject(value)) {
    throw new ServiceError('SerializationException', 'The request body must be a JSON object.');
  }
  return value;
}

/** Long values (a 1 MB message) are cut so the error stays readable. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.length > 256 ? `${text.slice(0, 256)}…` : text}'`;
}

export function invalid(field: string, value: unknown, constraint: string): ServiceError {
  return new ServiceError(
    'InvalidParameterException',
    `1 validation error detected: Value ${shown(value)} at '${field}' failed to satisfy constraint: Member must ${constraint}`,
  );
}

function wrongType(field: string, expected: string): ServiceError {
  return new ServiceError('SerializationException', `Expected ${expected} for '${field}'.`);
}

/** Checks a string against a rule; lengths count code points, as the model does. */
export function checkString(field: string, value: string, rule: StringRule): string {
  const length = [...value].length;
  if (rule.min !== undefined && length < rule.min) {
    throw invalid(field, value, `have length greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && length > rule.max) {
    throw invalid(field, value, `have length less than or equal to ${rule.max}`);
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw invalid(field, value, `satisfy regular expression pattern: ${rule.patternText ?? ''}`);
  }
  return value;
}

export function optString(body: Body, field: string, rule: StringRule = {}): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(field, 'a string');
  return checkString(field, value, rule);
}

export function reqString(body: Body, field: string, rule: StringRule = {}): string {
  const value = optString(body, field, rule);
  if (value === undefined) throw invalid(field, undefined, 'not be null');
  return value;
}

export function optInt(
  body: Body,
  field: string,
  range: { readonly min?: number; readonly max?: number } = {},
): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  return checkInt(field, value, range);
}

export function checkInt(
  field: string,
  value: unknown,
  range: { readonly min?: number; readonly max?: number },
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw wrongType(field, 'an integer');
  if (range.min !== undefined && value < range.min) {
    throw invalid(field, value, `have value greater than or equal to ${range.min}`);
  }
  if (range.max !== undefined && value > range.max) {
    throw invalid(field, value, `have value less than or equal to ${range.max}`);
  }
  return value;
}

export function optBool(body: Body, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw wrongType(field, 'a boolean');
  return value;
}

export function optEnum<T extends string>(
  body: Body,
  field: string,
  values: readonly T[],
): T | undefined {
  const value = optString(body, field);
  if (value === undefined) return undefined;
  const found = values.find((v) => v === value);
  if (found === undefined) {
    throw invalid(field, value, `satisfy enum value set: [${values.join(', ')}]`);
  }
  return found;
}

/** A list of strings, each checked against `item`, the list against `size`. */
export function optStringList(
  body: Body,
  field: string,
  item: StringRule,
  size: { readonly min: number; readonly max: number },
): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw wrongType(field, 'a list');
  if (value.length < size.min) {
    throw invalid(field, value, `have length greater than or equal to ${size.min}`);
  }
  if (value.length > size.max) {
    throw invalid(field, value, `have length less than or equal to ${size.max}`);
  }
  return value.map((entry: unknown, i) => {
    const name = `${field}.${i + 1}.member`;
    if (typeof entry !== 'string') throw wrongType(name, 'a string');
    return checkString(name, entry, item);
  });
}
