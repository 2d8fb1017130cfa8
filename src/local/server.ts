/**
 * The HTTP core of `signet local`: reads a request, finds the service it is
 * for, verifies its signature like AWS, checks the principal's policy, applies
 * injected faults, and renders every answer in the service's own shape.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseRawQuery, verifyRequest, type KeyDirectory, type KnownKey } from './auth/verify.js';
import { renderError } from './error-render.js';
import { faultError, recordFailures, type Faults } from './faults.js';
import type { RequestLog } from './request-log.js';
import { type LoggedRequest } from './request-log.js';
import {
  ServiceError,
  type LocalRequest,
  type LocalResponse,
  type LocalService,
  type Operation,
} from './service.js';

/** A request over HTTP/1.1 or HTTP/2 (node's compatibility API gives both one shape). */
export type CoreRequest = IncomingMessage | Http2ServerRequest;
export type CoreResponse = ServerResponse | Http2ServerResponse;

/** Largest body accepted: above AWS's own limits for the APIs served here. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface PolicyCheck<K extends KnownKey> {
  isAllowed(key: K, action: string, resource: string): boolean;
}

export interface CoreOptions<K extends KnownKey> {
  readonly region: string;
  readonly services: readonly LocalService[];
  readonly keys: KeyDirectory<K>;
  readonly policy: PolicyCheck<K>;
  /** Requests a signing service takes unsigned (STS AssumeRoleWithWebIdentity). */
  readonly isUnsigned?: (service: LocalService, request: LocalRequest) => boolean;
  readonly faults: Faults;
  readonly log: RequestLog;
  readonly clock: () => number;
  /**
   * Runs after a service has handled a request and before its answer goes
   * out: `--data-dir` writes what the request changed here, so whatever was
   * answered as accepted survives the process being killed.
   */
  readonly beforeAnswer?: () => void;
}

const ACCESS_DENIED: Record<string, [string, number]> = {
  'rest-xml': ['AccessDenied', 403],
  json: ['AccessDeniedException', 400],
  'rest-json': ['AccessDeniedException', 403],
  query: ['AccessDenied', 403],
  ec2: ['UnauthorizedOperation', 403],
};

async function readBody(req: CoreRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new ServiceError('RequestEntityTooLarge', 'Request body is too large', 413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The headers a signature can cover. Over HTTP/2, `:authority` stands for
 * `host`: SDK clients that speak HTTP/2 sign it by that name (and send no
 * `host`), and one that signs `host` without sending it means the authority.
 */
function signableHeaders(rawHeaders: readonly string[]): readonly string[] {
  const authority = rawHeaders.findIndex((name, i) => i % 2 === 0 && name === ':authority');
  const hasHost = rawHeaders.some((name, i) => i % 2 === 0 && name.toLowerCase() === 'host');
  return authority < 0 || hasHost
    ? rawHeaders
    : [...rawHeaders, 'host', rawHeaders[authority + 1]!];
}

function send(res: CoreResponse, response: LocalResponse): void {
  const body = response.body ?? '';
  const headers: Record<string, string> = { ...response.headers };
  // A HEAD answer states the length of the body it does not send (S3 HeadObject).
  const declared = Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
  if (!declared) headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(response.status, headers);
  res.end(body);
}

/** Handles one request end to end; returns what the request log records. */
export async function handle<K extends KnownKey>(
  core: CoreOptions<K>,
  req: CoreRequest,
  res: CoreResponse,
  control: (request: LocalRequest) => Promise<LocalResponse | undefined>,
): Promise<void> {
  const requestId = randomUUID();
  const now = core.clock();
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const query = parseRawQuery(q === -1 ? '' : url.slice(q + 1));
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // Keep the raw path: the service will answer for it.
  }
  const entry: { -readonly [K in keyof LoggedRequest]: LoggedRequest[K] } = {
    time: new Date(now).toISOString(),
    requestId,
    method: req.method ?? 'GET',
    path: rawPath,
    httpVersion: req.httpVersion,
    service: '-',
    operation: undefined,
    principal: undefined,
    signature: 'unsigned',
    status: 0,
    errorCode: undefined,
    bytes: 0,
  };
  let service: LocalService | undefined;
  let response: LocalResponse;
  try {
    const body = await readBody(req);
    entry.bytes = body.length;
    const base: LocalRequest = {
      method: req.method ?? 'GET',
      rawPath,
      path,
      query,
      rawQuery: q === -1 ? '' : url.slice(q + 1),
      headers: req.headers,
      body,
      host: (req.headers.host ?? String(req.headers[':authority'] ?? '')).replace(/:\d+$/, ''),
      region: core.region,
      principal: undefined,
      now,
      requestId,
    };
    const controlled = await control(base);
    if (controlled) {
      send(res, controlled);
      return;
    }
    let operation: Operation | undefined;
    for (const candidate of core.services) {
      operation = candidate.operation(base);
      if (operation) {
        service = candidate;
        break;
      }
    }
    if (!service || !operation) {
      throw new ServiceError(
        'UnknownOperationException',
        `No local AWS service answers ${base.method} ${rawPath}`,
        404,
      );
    }
    entry.service = service.signingName || 'credentials';
    entry.operation = operation.name;
    let request = base;
    if (service.signingName !== '' && !(core.isUnsigned?.(service, base) ?? false)) {
      const verified = await verifyRequest(
        { method: base.method, rawPath, query, rawHeaders: signableHeaders(req.rawHeaders), body },
        { service: service.signingName, region: core.region, protocol: service.protocol },
        core.keys,
        now,
      ).catch((error: unknown) => {
        entry.signature = error instanceof ServiceError ? `rejected: ${error.code}` : 'rejected';
        throw error;
      });
      entry.signature = verified.presigned ? 'verified (presigned)' : 'verified';
      entry.principal = verified.key.principal.arn;
      request = {
        ...base,
        principal: verified.key.principal,
        signing: {
          seedSignature: verified.parts.signature,
          signingKey: verified.signingKey,
          amzDate: verified.parts.amzDate,
          scope: verified.scope,
        },
      };
      // The resource ARN names the caller's account, known only now.
      operation = service.operation(request) ?? operation;
      if (
        operation.action !== 'sts:GetCallerIdentity' &&
        !core.policy.isAllowed(verified.key, operation.action, operation.resource)
      ) {
        const [code, status] = ACCESS_DENIED[service.protocol]!;
        throw new ServiceError(
          code,
          `User: ${verified.key.principal.arn} is not authorized to perform: ${operation.action} on resource: ${operation.resource} because no identity-based policy allows the ${operation.action} action`,
          status,
        );
      }
    }
    const fault = core.faults.take(service.signingName, operation.name, now, [
      'throttle',
      'error',
      'latency',
      'reset',
    ]);
    if (fault?.kind === 'reset') {
      entry.errorCode = 'connection reset (fault)';
      core.log.add({ ...entry });
      if ('stream' in req) req.stream.session?.destroy();
      else req.socket.destroy();
      return;
    }
    if (fault?.kind === 'latency') await sleep(fault.latencyMs ?? 1000);
    if (fault && (fault.kind === 'throttle' || fault.kind === 'error'))
      throw faultError(service.signingName, fault);
    const partial = service.batchOperations?.has(operation.name)
      ? core.faults.take(service.signingName, operation.name, now, ['partial'])
      : undefined;
    if (partial) request = { ...request, failRecord: recordFailures(service.signingName, partial) };
    response = await service.handle(request, operation);
  } catch (error) {
    const serviceError =
      error instanceof ServiceError
        ? error
        : new ServiceError(
            'InternalFailure',
            `Internal error in signet local: ${error instanceof Error ? error.message : String(error)}`,
            500,
          );
    entry.errorCode = serviceError.code;
    response = renderError(
      service?.protocol ?? 'rest-json',
      serviceError,
      requestId,
      req.method ?? 'GET',
    );
  }
  // A failed request may have changed state too (a batch with some records refused).
  core.beforeAnswer?.();
  entry.status = response.status;
  core.log.add({ ...entry });
  send(res, { ...response, headers: { 'x-amzn-requestid': requestId, ...response.headers } });
}
