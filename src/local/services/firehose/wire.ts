/**
 * Reading and answering the JSON 1.1 wire format that Firehose and Kinesis
 * share (the Kinesis service imports this file): the request body as an
 * object, blobs as base64, and AWS's "N validation errors detected" text for
 * constraint failures, so clients that branch on the code and message see
 * what the real services send.
 */
import { ServiceError, type LocalResponse } from '../../service.js';

import { isObject, type JsonObject } from '../json-body.js';

export { type JsonObject };

/** A member that must be a string if present. */
export function optionalString(obj: JsonObject, key: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ServiceError('SerializationException', `${key} must be a string`);
  }
  return value;
}

/** A member that must be an array of objects if present. */
export function optionalObjects(obj: JsonObject, key: string): JsonObject[] | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every(isObject)) {
    throw new ServiceError('SerializationException', `${key} must be a list of structures`);
  }
  return value;
}

export function optionalObject(obj: JsonObject, key: string): JsonObject | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value))
    throw new ServiceError('SerializationException', `${key} must be a structure`);
  return value;
}

export function optionalInteger(obj: JsonObject, key: string): number | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ServiceError('SerializationException', `${key} must be an integer`);
  }
  return value;
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A blob member: base64 text on the wire. Node's decoder skips bad characters, so check first. */
export function decodeBlob(value: unknown, path: string): Buffer | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !BASE64_RE.test(value)) {
    throw new ServiceError('SerializationException', `Value at '${path}' is not valid base64`);
  }
  return Buffer.from(value, 'base64');
}

/** How the Java services behind AWS print a blob in a validation message. */
export function describeBlob(data: Buffer): string {
  return `'java.nio.HeapByteBuffer[pos=0 lim=${data.length} cap=${data.length}]'`;
}

/** Collects constraint failures and throws them as one ValidationException, as AWS does. */
export class Violations {
  private readonly messages: string[] = [];

  /**
   * `value` is already rendered ('text', null, a blob description); undefined
   * leaves it out, as for a whole list, whose printed form would be huge.
   */
  add(value: string | undefined, path: string, constraint: string): void {
    const shown = value === undefined ? '' : ` ${value}`;
    this.messages.push(
      `Value${shown} at '${path}' failed to satisfy constraint: Member ${constraint}`,
    );
  }

  missing(path: string): void {
    this.add('null', path, 'must not be null');
  }

  throwIfAny(): void {
    const count = this.messages.length;
    if (count === 0) return;
    const noun = count === 1 ? 'error' : 'errors';
    throw new ServiceError(
      'ValidationException',
      `${count} validation ${noun} detected: ${this.messages.join('; ')}`,
    );
  }
}

/**
 * Checks a stream name's documented constraints: [a-zA-Z0-9_.-], 1 to
 * `maxLength` characters (64 for Firehose, 128 for Kinesis).
 */
export function checkStreamName(
  name: string | undefined,
  path: string,
  maxLength: number,
  violations: Violations,
): void {
  if (name === undefined) return violations.missing(path);
  if (name.length < 1)
    violations.add(`'${name}'`, path, 'must have length greater than or equal to 1');
  if (name.length > maxLength) {
    violations.add(`'${name}'`, path, `must have length less than or equal to ${maxLength}`);
  }
  if (!/^[a-zA-Z0-9_.-]+$/.test(name)) {
    violations.add(`'${name}'`, path, 'must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
  }
}

export function jsonResponse(body: unknown): LocalResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify(body),
  };
}
