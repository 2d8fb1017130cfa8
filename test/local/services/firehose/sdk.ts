/**
 * Lets a real AWS SDK v3 client talk to a LocalService in-process, so the
 * SDK's own serializers and parsers check the wire shapes, errors included
 * (rendered by the core's renderer). Signatures are not checked here; that
 * is the core's job.
 */
import { Readable } from 'node:stream';
import { HttpResponse, type HttpRequest } from '@smithy/protocol-http';
import { renderError } from '../../../../src/local/error-render.js';
import {
  ServiceError,
  type LocalRequest,
  type LocalService,
} from '../../../../src/local/service.js';
import { NOW } from './helpers.js';

export const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-checked-here' };

function bodyOf(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  // Copy the bytes: the SDK's JSON bodies are a Uint8Array subclass whose
  // valueOf() is a string, which Buffer.from(body) would convert instead.
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new Error(`unexpected SDK body type ${typeof body}`);
}

/** A requestHandler for an SDK client; `now` is the service's clock. */
export function inProcess(service: LocalService, now = () => NOW) {
  let counter = 0;
  return {
    async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(request.query ?? {})) {
        for (const item of Array.isArray(v) ? v : [v])
          if (typeof item === 'string') query.append(k, item);
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]),
      );
      counter += 1;
      const req: LocalRequest = {
        method: request.method,
        rawPath: request.path,
        path: decodeURIComponent(request.path),
        query,
        headers,
        body: bodyOf(request.body),
        host: request.hostname,
        region: 'us-east-1',
        principal: undefined,
        now: now(),
        requestId: `req-${counter}`,
      };
      let status: number;
      let responseHeaders: Readonly<Record<string, string>>;
      let body: string | Buffer;
      try {
        const operation = service.operation(req);
        if (operation === undefined)
          throw new ServiceError('UnknownOperationException', 'not claimed', 404);
        const res = await service.handle(req, operation);
        status = res.status;
        responseHeaders = res.headers ?? {};
        body = res.body ?? '';
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        const rendered = renderError(service.protocol, error, req.requestId, req.method);
        status = rendered.status;
        responseHeaders = rendered.headers ?? {};
        body = rendered.body ?? '';
      }
      return {
        response: new HttpResponse({
          statusCode: status,
          headers: { ...responseHeaders },
          body: Readable.from([Buffer.from(body)]),
        }),
      };
    },
    updateHttpClientConfig(): void {},
    httpHandlerConfigs: () => ({}),
  };
}
