import { createHmac } from 'node:crypto';
import { KEY_TYPE_IDENTIFIER } from './constants.js';

const MAX_CACHED_KEYS = 64;
const cache = new Map<string, Buffer>();

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * The SigV4 signing key: HMAC chain over date, region, service. It changes once
 * a day per scope, so it is cached and a signature costs one HMAC.
 */
export function sigV4SigningKey(
  secret: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const cacheKey = secret + '\n' + date + '\n' + region + '\n' + service;
  let key = cache.get(cacheKey);
  if (key === undefined) {
    const kDate = hmac('AWS4' + secret, date);
    key = hmac(hmac(hmac(kDate, region), service), KEY_TYPE_IDENTIFIER);
    if (cache.size >= MAX_CACHED_KEYS) cache.clear();
    cache.set(cacheKey, key);
  }
  return key;
}

export function hmacHex(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data, 'utf8').digest('hex');
}
