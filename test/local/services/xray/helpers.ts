/** Hand-made X-Ray requests for calling the local service directly. */
import type { LocalRequest, LocalService } from '../../../../src/local/service.js';
import { NOW } from '../firehose/helpers.js';

export { MemoryStore, NOW } from '../firehose/helpers.js';

export function xrayRequest(
  path: string,
  body: string | Buffer | object,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  extra: Partial<LocalRequest> = {},
): LocalRequest {
  const raw = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    method: 'POST',
    rawPath: path,
    path,
    query: new URLSearchParams(),
    headers,
    body: raw,
    host: 'xray.us-east-1.amazonaws.com',
    region: 'us-east-1',
    principal: undefined,
    now: NOW,
    requestId: 'req-1',
    ...extra,
  };
}

/** Routes and handles a request as the core would, answering status, headers and raw body. */
export async function send(service: LocalService, req: LocalRequest) {
  const operation = service.operation(req);
  if (operation === undefined) throw new Error('the service did not claim the request');
  const res = await service.handle(req, operation);
  const body = res.body === undefined ? Buffer.alloc(0) : Buffer.from(res.body);
  return { status: res.status, headers: res.headers ?? {}, body };
}

export async function sendJson(service: LocalService, path: string, body: object) {
  const res = await send(service, xrayRequest(path, body));
  return JSON.parse(res.body.toString()) as Record<string, unknown>;
}

/** A trace id whose time field is NOW, as the X-Ray SDKs make them. */
export const TRACE_ID = `1-${Math.floor(NOW / 1000).toString(16)}-0123456789abcdef01234567`;

export function segment(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'checkout',
    id: '70de5b6f19ff9a0a',
    trace_id: TRACE_ID,
    start_time: NOW / 1000,
    end_time: NOW / 1000 + 0.25,
    ...fields,
  };
}
