import { createECDH, createHmac, createPrivateKey, type KeyObject } from 'node:crypto';
import { ALGORITHM_V4A } from './constants.js';
import { SignetError } from '../../errors.js';

/** Order of the P-256 group, minus 2: the largest value the derivation accepts. */
const P256_N_MINUS_2 =
  BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551') - 2n;

export interface SigV4aKeyPair {
  readonly privateKey: KeyObject;
  /** Uncompressed public point coordinates, 32-byte big-endian each. */
  readonly x: Buffer;
  readonly y: Buffer;
}

const MAX_CACHED_KEYS = 16;
const cache = new Map<string, SigV4aKeyPair>();

function toBase64Url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/**
 * Derives the SigV4a ECDSA P-256 key pair from an access key pair, with the
 * counter-mode HMAC-SHA256 KDF AWS uses (NIST SP 800-108): fixed input
 * `00000001 || "AWS4-ECDSA-P256-SHA256" || 00 || accessKeyId || counter || 00000100`,
 * key `"AWS4A" + secret`; a candidate above n−2 bumps the counter, else d = candidate + 1.
 */
export function deriveSigV4aKeyPair(accessKeyId: string, secretAccessKey: string): SigV4aKeyPair {
  const cacheKey = accessKeyId + '\n' + secretAccessKey;
  const cached = cache.get(cacheKey);
  if (cached) return cached;

  const hmacKey = Buffer.from('AWS4A' + secretAccessKey, 'utf8');
  const label = Buffer.from(ALGORITHM_V4A, 'utf8');
  const keyId = Buffer.from(accessKeyId, 'utf8');
  for (let counter = 1; counter <= 254; counter++) {
    const fixedInput = Buffer.concat([
      Buffer.from([0, 0, 0, 1]),
      label,
      Buffer.from([0]),
      keyId,
      Buffer.from([counter]),
      Buffer.from([0, 0, 1, 0]),
    ]);
    const candidate = createHmac('sha256', hmacKey).update(fixedInput).digest();
    const value = BigInt('0x' + candidate.toString('hex'));
    if (value > P256_N_MINUS_2) continue;
    const d = Buffer.from((value + 1n).toString(16).padStart(64, '0'), 'hex');
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey(); // 0x04 || X || Y
    const pair: SigV4aKeyPair = {
      x: point.subarray(1, 33),
      y: point.subarray(33, 65),
      privateKey: createPrivateKey({
        format: 'jwk',
        key: {
          kty: 'EC',
          crv: 'P-256',
          d: toBase64Url(d),
          x: toBase64Url(point.subarray(1, 33)),
          y: toBase64Url(point.subarray(33, 65)),
        },
      }),
    };
    if (cache.size >= MAX_CACHED_KEYS) cache.clear();
    cache.set(cacheKey, pair);
    return pair;
  }
  // Each try fails with probability ~2^-32; 254 failures do not happen with real keys.
  throw new SignetError('Could not derive a SigV4a key from these credentials', {
    hint: 'use other credentials, or SigV4 instead of SigV4a',
  });
}
