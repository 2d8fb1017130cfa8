/**
 * Prometheus's HTTP SD response (discovery/http/http.go Refresh, and
 * targetgroup.Group's JSON): a JSON array of `{ targets: [...], labels: {...} }`,
 * served as application/json. Each group's source is `<url>:<index>` and it
 * gets `__meta_url`; anything else is an error that keeps the last good list.
 */
import type { DiscoveredGroup } from '../types.js';

export const URL_LABEL = '__meta_url';

/** Prometheus 2.42's matchContentType, after trimming: JSON, optionally with charset utf-8. */
const JSON_CONTENT_TYPE = /^application\/json(;\s*charset=("utf-8"|utf-8))?$/i;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class HttpSdResponseError extends Error {}

export function sourceOf(url: string, index: number): string {
  return `${url}:${index}`;
}

export function checkContentType(contentType: string | undefined): void {
  if (!JSON_CONTENT_TYPE.test((contentType ?? '').trim()))
    throw new HttpSdResponseError(`unsupported content type ${JSON.stringify(contentType ?? '')}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The groups of one response body; throws naming what is wrong. */
export function parseHttpSd(body: string, url: string): DiscoveredGroup[] {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    throw new HttpSdResponseError(`the body is not JSON: ${(error as Error).message}`);
  }
  if (data === null) return []; // Go decodes null into an empty list
  if (!Array.isArray(data))
    throw new HttpSdResponseError('the body must be a JSON array of target groups');
  return data.map((group: unknown, i) => {
    if (group === null) throw new HttpSdResponseError('nil target group item found');
    if (!isRecord(group)) throw new HttpSdResponseError(`[${i}] must be an object with targets`);
    // Go's decoder matches keys regardless of case and, as Prometheus sets it, refuses others.
    const field = (name: string): unknown =>
      Object.entries(group).find(([k]) => k.toLowerCase() === name)?.[1];
    const unknown = Object.keys(group).find(
      (k) => !['targets', 'labels'].includes(k.toLowerCase()),
    );
    if (unknown !== undefined)
      throw new HttpSdResponseError(`[${i}]: unknown field ${JSON.stringify(unknown)}`);
    const targets = field('targets') ?? [];
    if (!Array.isArray(targets) || targets.some((t) => typeof t !== 'string'))
      throw new HttpSdResponseError(`[${i}].targets must be a list of host:port strings`);
    const labels = field('labels') ?? {};
    if (!isRecord(labels))
      throw new HttpSdResponseError(`[${i}].labels must map label names to strings`);
    for (const [name, value] of Object.entries(labels)) {
      if (!LABEL_NAME.test(name))
        throw new HttpSdResponseError(`[${i}].labels: "${name}" is not a valid label name`);
      if (typeof value !== 'string')
        throw new HttpSdResponseError(`[${i}].labels.${name} must be a string`);
    }
    return {
      source: sourceOf(url, i),
      targets: (targets as string[]).map((address) => ({ __address__: address })),
      labels: { ...(labels as Record<string, string>), [URL_LABEL]: url },
    };
  });
}
