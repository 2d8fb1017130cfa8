/**
 * Reads STS's query-protocol parameters: from the form body of a POST (what
 * the SDKs send) or from the query string of a GET, as STS accepts both.
 */
import type { LocalRequest } from '../../service.js';

export const STS_VERSION = '2011-06-15';

export type StsRequestParts = Pick<LocalRequest, 'method' | 'path' | 'query' | 'body' | 'headers'>;

/** Only a form body holds parameters; a JSON-protocol body that happens to contain `Action=` does not. */
export function isForm(req: Pick<LocalRequest, 'method' | 'headers'>): boolean {
  const type = req.headers['content-type'] ?? '';
  return (
    req.method === 'POST' && type.toLowerCase().startsWith('application/x-www-form-urlencoded')
  );
}

export function stsParams(req: StsRequestParts): URLSearchParams {
  if (!isForm(req)) return req.query;
  const params = new URLSearchParams(req.body.toString('utf8'));
  // A POST may still carry some parameters in its query string; the body wins.
  for (const [key, value] of req.query) if (!params.has(key)) params.set(key, value);
  return params;
}
