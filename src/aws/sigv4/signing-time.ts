import { formatAmzDate } from './amz-date.js';
import { SigningError } from './signing-error.js';
import type { Clock } from './types.js';

/** The `X-Amz-Date` to sign with: an explicit time if given, else the clock's. */
export function amzDateOf(signingDate: Date | number | undefined, clock: Clock): string {
  const ms =
    signingDate === undefined
      ? clock()
      : typeof signingDate === 'number'
        ? signingDate
        : signingDate.getTime();
  if (!Number.isFinite(ms)) {
    throw new SigningError('The signing time is not a valid date', {
      hint: 'pass a Date or epoch milliseconds',
    });
  }
  return formatAmzDate(ms);
}
