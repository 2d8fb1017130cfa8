/**
 * What a failed push means for its batch, by Promtail's rule on top of the
 * shared classification, and the `reason` a dropped batch is counted under.
 */
import type { Verdict } from '../shared/verdict.js';
import type { LokiDropReason } from './metrics.js';

/**
 * Promtail retries only 429, 5xx and network errors. A refusal the shared
 * classification would hold for a person to fix (401, 403, 404), or retry
 * (408), is dropped, as Promtail drops it. AWS's throttling (a 400
 * ThrottlingException from a signing front) is a 429 by another name and
 * stays retried.
 */
export function narrowToPromtail(verdict: Verdict): Verdict {
  if (verdict.action === 'drop' || verdict.action === 'refresh-and-retry') return verdict;
  const status = verdict.status;
  if (status === undefined || status === 429 || status >= 500) return verdict;
  if (verdict.action === 'retry' && verdict.cause.startsWith('AWS ')) return verdict;
  return { ...verdict, action: 'drop', dropReason: 'invalid', splittable: false };
}

/** Promtail's `reason` label for a dropped batch. */
export function lokiDropReason(verdict: Verdict): LokiDropReason {
  if (verdict.status === 429) {
    return /stream limit|streams? limit|max(imum)? active stream/i.test(verdict.message)
      ? 'stream_limited'
      : 'rate_limited';
  }
  return 'ingester_error';
}
