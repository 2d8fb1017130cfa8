/**
 * The hashmod action's number, as Prometheus computes it: MD5 of the joined
 * source values (UTF-8), the last 8 bytes of the digest read as a big-endian
 * uint64, modulo `modulus`. Prometheus kept "the last 8 bytes" when it
 * simplified this code so that sharding stays where older versions put it;
 * agreeing to the bit matters, since hashmod splits targets between agents.
 */
import { hash } from 'node:crypto';

// Below 2^21, (hi mod m)·2^32 + lo stays under 2^53: plain numbers are exact.
const NUMBER_SAFE_MODULUS = 2 ** 21;
const TWO_32 = 2 ** 32;

export function hashmod(value: string, modulus: number): number {
  const digest = hash('md5', value, 'buffer');
  if (modulus <= NUMBER_SAFE_MODULUS) {
    const hi = digest.readUInt32BE(8);
    const lo = digest.readUInt32BE(12);
    return ((hi % modulus) * TWO_32 + lo) % modulus;
  }
  return Number(digest.readBigUInt64BE(8) % BigInt(modulus));
}
