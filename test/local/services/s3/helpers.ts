/**
 * Hand-made requests for the S3 service, called directly without the HTTP
 * core, and the signing material a header-signed request would carry.
 */
import { createHash, createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import {
  ServiceError,
  type LocalRequest,
  type LocalResponse,
  type LocalService,
  type ServiceStore,
} from '../../../../src/local/service.js';
import { createS3Service } from '../../../../src/local/services/s3/index.js';

export const NOW = Date.parse('2024-05-01T12:34:56.789Z');
export const ACCOUNT = '123456789012';

/** A store that keeps what was saved as JSON text, as one on disk would. */
export class MemoryStore implements ServiceStore {
  readonly saved = new Map<string, string>();
  saves = 0;

  load<T>(service: string): T | undefined {
    const text = this.saved.get(service);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  save(service: string, state: unknown): void {
    this.saves++;
    this.saved.set(service, JSON.stringify(state));
  }
}

export interface RequestInit {
  readonly method?: string;
  /** Path and query as sent, percent-encoded: `/bucket/key?list-type=2`. */
  readonly target: string;
  readonly host?: string;
  readonly headers?: IncomingHttpHeaders;
  readonly body?: string | Buffer;
  readonly account?: string;
  readonly region?: string;
  readonly signing?: LocalRequest['signing'];
}

function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath; // what the core passes for a path that does not decode is the service's problem
  }
}

export function request(init: RequestInit): LocalRequest {
  const [rawPath = '/', search = ''] = init.target.split('?', 2);
  const account = init.account ?? ACCOUNT;
  return {
    method: init.method ?? 'GET',
    rawPath,
    path: decodePath(rawPath),
    query: new URLSearchParams(search),
    headers: { host: init.host ?? 'localhost', ...init.headers },
    body: Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body ?? ''),
    signing: init.signing,
    host: init.host ?? 'localhost',
    region: init.region ?? 'us-east-1',
    principal: {
      arn: `arn:aws:iam::${account}:user/demo`,
      accountId: account,
      userId: 'AIDAEXAMPLE',
      accessKeyId: 'AKIDEXAMPLE',
    },
    now: NOW,
    requestId: 'req-1',
  };
}

/** Routes and handles a request as the core would (less signature and policy checks). */
export async function send(service: LocalService, init: RequestInit): Promise<LocalResponse> {
  const req = request(init);
  const operation = service.operation(req);
  assert.ok(operation, `S3 did not claim ${init.method ?? 'GET'} ${init.target}`);
  return service.handle(req, operation);
}

/** Sends a request that must fail, and returns its error. */
export async function sendError(service: LocalService, init: RequestInit): Promise<ServiceError> {
  try {
    const response = await send(service, init);
    assert.fail(`expected an error, got ${response.status}`);
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
}

export const text = (response: LocalResponse): string =>
  Buffer.isBuffer(response.body) ? response.body.toString('utf8') : (response.body ?? '');

export function newService(minPartSize?: number): { service: LocalService; store: MemoryStore } {
  const store = new MemoryStore();
  return { service: createS3Service(store, { minPartSize }), store };
}

/** A service with one bucket, `bucket`, already made. */
export async function serviceWithBucket(minPartSize?: number) {
  const made = newService(minPartSize);
  await send(made.service, { method: 'PUT', target: '/bucket' });
  return made;
}

export const sha256Hex = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('hex');

const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data).digest();

/** The signing material of a request signed on 2013-05-24 in us-east-1 for s3. */
export function signingMaterial(seedSignature: string) {
  const date = '20130524';
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${secret}`, date), 'us-east-1'), 's3'),
    'aws4_request',
  );
  return {
    seedSignature,
    signingKey,
    amzDate: '20130524T000000Z',
    scope: `${date}/us-east-1/s3/aws4_request`,
  };
}

const EMPTY_SHA256 = sha256Hex('');

/** An aws-chunked body with chunk signatures chained from the seed, as a signing client builds it. */
export function signedChunkedBody(
  chunks: readonly Buffer[],
  signing: ReturnType<typeof signingMaterial>,
): Buffer {
  let previous = signing.seedSignature;
  const parts: Buffer[] = [];
  for (const data of [...chunks, Buffer.alloc(0)]) {
    const stringToSign = [
      'AWS4-HMAC-SHA256-PAYLOAD',
      signing.amzDate,
      signing.scope,
      previous,
      EMPTY_SHA256,
      sha256Hex(data),
    ].join('\n');
    previous = createHmac('sha256', signing.signingKey).update(stringToSign).digest('hex');
    parts.push(Buffer.from(`${data.length.toString(16)};chunk-signature=${previous}\r\n`));
    parts.push(data, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** An unsigned aws-chunked body with trailing header lines, as new SDKs send PutObject. */
export function unsignedTrailerBody(chunks: readonly Buffer[], trailers: string[]): Buffer {
  const parts: Buffer[] = [];
  for (const data of chunks) {
    parts.push(Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`0\r\n${trailers.map((line) => `${line}\r\n`).join('')}\r\n`));
  return Buffer.concat(parts);
}
