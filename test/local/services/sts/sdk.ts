/**
 * Lets a real AWS SDK v3 client talk to a LocalService in-process: the SDK
 * builds and parses the wire format, so its (de)serialisers check that the
 * service's answers are shaped exactly as AWS's. Signatures are not verified
 * here (that is the core's job); the principal is given.
 */
import { Readable } from 'node:stream';
import { HttpResponse, type HttpRequest } from '@smithy/protocol-http';
import { renderError } from '../../../../src/local/error-render.js';
import { ServiceError, type LocalService, type Principal } from '../../../../src/local/service.js';
import { localRequest } from '../../iam/request.js';

export const SDK_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'not-checked-here',
};

export interface InProcessHandler {
  handle(request: HttpRequest): Promise<{ response: HttpResponse }>;
  updateHttpClientConfig(): void;
  httpHandlerConfigs(): Record<string, never>;
}

function query(request: HttpRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.query)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && v[0] !== undefined) out[k] = v[0];
  }
  return out;
}

export function inProcess(
  service: LocalService,
  principal: Principal | undefined,
  now: () => number,
): InProcessHandler {
  return {
    async handle(request) {
      const body = typeof request.body === 'string' ? request.body : '';
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]),
      );
      const req = localRequest({
        method: request.method,
        path: request.path,
        query: query(request),
        headers,
        body,
        principal,
        now: now(),
      });
      let status: number;
      let responseHeaders: Readonly<Record<string, string>> = {};
      let responseBody: string | Buffer = '';
      try {
        const operation = service.operation(req);
        if (!operation)
          throw new ServiceError(
            'UnknownOperation',
            `no operation for ${request.method} ${request.path}`,
            404,
          );
        const response = await service.handle(req, operation);
        ({ status } = response);
        responseHeaders = response.headers ?? {};
        responseBody = response.body ?? '';
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        const rendered = renderError(service.protocol, error, req.requestId, req.method);
        ({ status } = rendered);
        responseHeaders = rendered.headers ?? {};
        responseBody = rendered.body ?? '';
      }
      return {
        response: new HttpResponse({
          statusCode: status,
          headers: { ...responseHeaders },
          body: Readable.from([Buffer.from(responseBody)]),
        }),
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
}
