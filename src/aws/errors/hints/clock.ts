/**
 * A clock-skew hint: how far the local clock is from AWS's, in which
 * direction, or — when the clocks agree — that the request was signed long
 * before it was sent.
 */
import { formatDuration, SKEW_TOLERANCE_MS } from '../skew.js';
import type { HintInput } from './input.js';

const NTP =
  'keep the clock in sync with NTP (chrony, systemd-timesyncd, or the Amazon Time Sync Service at 169.254.169.123)';

function serverWords(input: HintInput): string {
  if (input.serverDate) return `server Date ${input.serverDate.toUTCString()}`;
  return `AWS's time ${input.serverTime!.toISOString()}`;
}

export function clockHint(input: HintInput): string {
  const { context, serverTime } = input;
  const local = context.localNow?.getTime();
  if (serverTime !== undefined && local !== undefined) {
    const ahead = local - serverTime.getTime();
    if (Math.abs(ahead) > SKEW_TOLERANCE_MS / 5) {
      return `Your clock is ${formatDuration(ahead)} ${ahead > 0 ? 'ahead of' : 'behind'} AWS's (${serverWords(input)}, local ${new Date(local).toISOString()}). Signet corrects for the difference and signs again; ${NTP}.`;
    }
    const signedAt = context.signedAt?.getTime();
    if (
      signedAt !== undefined &&
      Math.abs(serverTime.getTime() - signedAt) > SKEW_TOLERANCE_MS / 5
    ) {
      const late = serverTime.getTime() - signedAt;
      return `Your clock agrees with AWS's, but the request was signed ${formatDuration(late)} ${late > 0 ? 'before it reached AWS (it waited in a queue, or a retry re-sent an old signature)' : 'ahead of AWS’s time'}: Signet signs it again just before sending.`;
    }
  }
  if (serverTime !== undefined && context.signedAt !== undefined) {
    const ahead = context.signedAt.getTime() - serverTime.getTime();
    return `The request was signed for ${context.signedAt.toISOString()}, ${formatDuration(ahead)} ${ahead > 0 ? 'ahead of' : 'behind'} AWS's clock (${serverWords(input)}). Signet corrects for the difference and signs again; ${NTP}.`;
  }
  return `AWS says the request time is too far from its clock. Signet corrects its clock from AWS's answer and signs again; ${NTP}.`;
}
