/**
 * Option checks more than one sink makes in the same words. Each takes the
 * sink's own error class, so a caller still catches LokiOptionsError or
 * RecordSinkOptionsError as before.
 */
import type { SignetError } from '../../errors.js';

/** A sink's options error class (a SignetError with a hint). */
export type SinkOptionsErrorClass = new (message: string, options: { hint: string }) => SignetError;

/** `value`, or `fallback` when absent; anything but a finite number above zero is refused at `path`. */
export function positiveOption(
  value: number | undefined,
  fallback: number,
  path: string,
  OptionsError: SinkOptionsErrorClass,
): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new OptionsError(`${path} must be positive, got ${value}`, {
      hint: 'give a duration such as 1s or a size such as 1MiB above zero',
    });
  }
  return value;
}
