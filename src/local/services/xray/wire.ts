/**
 * X-Ray's REST-JSON bodies: a JSON object in, a JSON object out. Malformed
 * input is InvalidRequestException, X-Ray's code for a request it cannot use.
 */
import { ServiceError, type LocalResponse } from '../../service.js';

import { isObject, parseJsonObject, type JsonObject } from '../json-body.js';

export { isObject, type JsonObject };

/** The body as a JSON object; anything else is InvalidRequestException. */
export function parseBody(body: Buffer): JsonObject {
  return parseJsonObject(body, 'InvalidRequestException');
}

/** A list of strings the request must carry. */
export function requireStrings(body: JsonObject, key: string): string[] {
  const value = body[key];
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw new ServiceError('InvalidRequestException', `${key} must be a list of strings`);
  }
  return value;
}

export function jsonResponse(body: unknown): LocalResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}
