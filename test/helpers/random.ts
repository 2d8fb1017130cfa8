/** A small seeded PRNG (mulberry32) so a failing random case can be replayed from its seed. */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** A string of `length` items drawn from `alphabet` (an array so astral characters stay whole). */
  string(alphabet: readonly string[], maxLength: number, minLength = 0): string {
    const length = minLength + this.int(maxLength - minLength + 1);
    let out = '';
    for (let i = 0; i < length; i++) out += this.pick(alphabet);
    return out;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }
}

/** The seed to use: `SIGNET_SEED` from the environment when replaying, else a fixed default. */
export function seedFromEnv(fallback: number): number {
  const fromEnv = process.env.SIGNET_SEED;
  return fromEnv === undefined || fromEnv === '' ? fallback : Number(fromEnv);
}
