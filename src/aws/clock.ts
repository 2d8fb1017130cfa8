/**
 * The time Signet signs with. AWS refuses signatures more than 15 minutes from
 * its own clock, and a VM's clock can be far off; once a response shows how far,
 * every later signature uses the corrected time.
 */
import type { Clock } from './sigv4/types.js';

export class CorrectedClock {
  private offset = 0;
  private readonly base: Clock;
  /** Called once per new correction, e.g. to log it. */
  onCorrection: ((offsetMs: number) => void) | undefined;

  constructor(base: Clock = Date.now) {
    this.base = base;
  }

  /** Corrected milliseconds since the epoch; bound so it can be passed as a `Clock`. */
  readonly now = (): number => this.base() + this.offset;

  /** The local clock's uncorrected time. */
  localNow(): number {
    return this.base();
  }

  /** AWS's time minus the local clock's, in milliseconds. */
  get offsetMs(): number {
    return this.offset;
  }

  /**
   * Adopts the offset a server's `Date` shows. `Date` has whole seconds, so a
   * change under 2 s is noise and keeps the current correction.
   */
  correct(serverDate: Date, localNow: number = this.base()): number {
    const measured = serverDate.getTime() - localNow;
    if (Math.abs(measured - this.offset) >= 2000) {
      this.offset = measured;
      this.onCorrection?.(measured);
    }
    return this.offset;
  }
}

/** Reads an HTTP `Date` header; undefined when absent or unparseable. */
export function parseHttpDate(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
