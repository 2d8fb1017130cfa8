/**
 * The JSON object a JSON-protocol request carries. Services differ only in the
 * code they answer malformed input with (SerializationException for JSON 1.1,
 * InvalidRequestException for X-Ray's REST-JSON).
 */
import { ServiceError } from '../service.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJsonObject(body: Buffer, errorCode: string): JsonObject {
  const text = body.toString('utf8').trim();
  // The SDKs send `{}` for an operation without input, but curl users may send nothing.
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ServiceError(errorCode, 'Malformed JSON in the request body');
  }
  if (!isObject(parsed))
    throw new ServiceError(errorCode, 'The request body must be a JSON object');
  return parsed;
}

/**
 * A body parser that parses each request body once: operation() parses it to
 * name the resource and handle() needs it again, and a batch can be megabytes.
 * The core hands handle() a copy of the request but the same body Buffer, so
 * the Buffer is the key.
 */
export function cachedJsonParser(errorCode: string): (body: Buffer) => JsonObject {
  const bodies = new WeakMap<Buffer, JsonObject>();
  return (body) => {
    let parsed = bodies.get(body);
    if (parsed === undefined) {
      parsed = parseJsonObject(body, errorCode);
      bodies.set(body, parsed);
    }
    return parsed;
  };
}
