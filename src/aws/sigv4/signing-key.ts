import * as crypto from 'node:crypto';
import { KEY_TYPE_IDENTIFIER } from './constants.js';

type OneShotHash = (
  algorithm: string,
  data: string | Uint8Array,
  encoding: 'hex' | 'latin1',
) => string;
type Latin1Write = (this: Buffer, text: string, offset: number) => number;
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

// Buffer#latin1Write skips Buffer#write's argument juggling; fall back if it ever goes away.
const latin1Write: Latin1Write =
  (Buffer.prototype as unknown as { latin1Write?: Latin1Write }).latin1Write ??
  function (this: Buffer, text: string, offset: number) {
    return this.write(text, offset, 'latin1');
  };

const BLOCK = 64;
const MAX_CACHED_KEYS = 64;

/**
 * A SigV4 signing key, ready to HMAC with. The key changes once a day per
 * scope, so its HMAC pads are kept: with `crypto.hash` (Node ≥ 20.12) an HMAC
 * is then two one-shot hashes into reused buffers, about half the cost of
 * `createHmac`, which builds a keyed native context on every call.
 */
export class SigningKey {
  private inner: Buffer;
  private readonly outer: Buffer;

  constructor(readonly key: Buffer) {
    this.inner = Buffer.alloc(BLOCK + 256, 0x36);
    this.outer = Buffer.alloc(BLOCK + 32, 0x5c);
    for (let i = 0; i < key.length; i++) {
      this.inner[i]! ^= key[i]!;
      this.outer[i]! ^= key[i]!;
    }
  }

  /** Hex HMAC-SHA256 of an ASCII string (a string to sign always is). */
  hmacHex(data: string): string {
    if (oneShot === undefined)
      return crypto.createHmac('sha256', this.key).update(data, 'utf8').digest('hex');
    const length = BLOCK + data.length;
    if (this.inner.length !== length) {
      // Strings to sign of one scope all have the same length: this runs once per key.
      const resized = Buffer.alloc(length);
      this.inner.copy(resized, 0, 0, BLOCK);
      this.inner = resized;
    }
    latin1Write.call(this.inner, data, BLOCK);
    latin1Write.call(this.outer, oneShot('sha256', this.inner, 'latin1'), BLOCK);
    return oneShot('sha256', this.outer, 'hex');
  }
}

const cache = new Map<string, SigningKey>();

function hmac(key: string | Buffer, data: string): Buffer {
  return crypto.createHmac('sha256', key).update(data, 'utf8').digest();
}

/** The SigV4 signing key: the HMAC chain over date, region, service; cached per scope and secret. */
export function sigV4SigningKey(
  secret: string,
  date: string,
  region: string,
  service: string,
): SigningKey {
  const cacheKey = secret + '\n' + date + '\n' + region + '\n' + service;
  let key = cache.get(cacheKey);
  if (key === undefined) {
    const kDate = hmac('AWS4' + secret, date);
    key = new SigningKey(hmac(hmac(hmac(kDate, region), service), KEY_TYPE_IDENTIFIER));
    if (cache.size >= MAX_CACHED_KEYS) cache.clear();
    cache.set(cacheKey, key);
  }
  return key;
}
