/**
 * X-Ray's REST-JSON bodies: a JSON object in, a JSON object out. Malformed
 * input is InvalidRequestException, X-Ray's code for a request it cannot use.
 */
import { ServiceError, type LocalResponse } from '../../service.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseBody(body: Buffer): JsonObject {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ServiceError('InvalidRequestException', 'Malformed JSON in the request body');
  }
  if (!isObject(parsed)) {
    throw new ServiceError('InvalidRequestException', 'The request body must be a JSON object');
  }
  return parsed;
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
