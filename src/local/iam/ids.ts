/**
 * Identifiers in the shapes AWS uses: stable ids derived from ARNs (so a
 * restart reports the same UserId), and random temporary keys and tokens.
 */
import { createHash, randomBytes } from 'node:crypto';

/** IAM ids and access key ids draw on base32's letters and digits 2-7. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE32[(bytes[i % bytes.length] ?? 0) % 32];
  return out;
}

/** `AIDA…` for users, `AROA…` for roles, `AIPA…` for instance profiles: the prefix and 17 characters, as IAM's unique ids have. */
export function stableId(prefix: 'AIDA' | 'AROA' | 'AIPA', arn: string): string {
  return prefix + base32(createHash('sha256').update(arn).digest(), 17);
}

/** A temporary access key id: `ASIA` and 16 characters, 20 in all like AWS's. */
export function temporaryAccessKeyId(): string {
  return 'ASIA' + base32(randomBytes(16), 16);
}

/** 40 characters of base64, the length and alphabet of AWS secret keys. */
export function randomSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/**
 * An opaque session token. Base64 with `+`, `/` and `=` on purpose: real tokens
 * carry them too, and clients that forget to encode them should fail here.
 */
export function randomSessionToken(): string {
  return randomBytes(120).toString('base64');
}
