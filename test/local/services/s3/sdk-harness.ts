/**
 * Just enough of the `signet local` core to put the S3 service behind HTTP
 * for @aws-sdk/client-s3: it reads requests, derives the signing material a
 * verified header signature would give (without verifying it: that is the
 * core's job) and renders ServiceErrors as S3 XML.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ServiceError,
  type LocalRequest,
  type LocalService,
} from '../../../../src/local/service.js';

export const CREDENTIALS = { accessKeyId: 'AKIDHARNESS', secretAccessKey: 'harness-secret' };
const AUTHORIZATION =
  /Credential=[^/]+\/((\d{8})\/([^/]+)\/([^/]+)\/aws4_request),.*Signature=([0-9a-f]{64})/;

const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data).digest();

function signingOf(req: IncomingMessage): LocalRequest['signing'] {
  const match = AUTHORIZATION.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const [, scope = '', date = '', region = '', service = '', seedSignature = ''] = match;
  const kDate = hmac(`AWS4${CREDENTIALS.secretAccessKey}`, date);
  const signingKey = hmac(hmac(hmac(kDate, region), service), 'aws4_request');
  return { seedSignature, signingKey, scope, amzDate: String(req.headers['x-amz-date'] ?? '') };
}

function toLocalRequest(req: IncomingMessage, body: Buffer): LocalRequest {
  const [rawPath = '/', search = ''] = (req.url ?? '/').split('?', 2);
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // Left encoded; the service answers InvalidURI.
  }
  return {
    method: req.method ?? 'GET',
    rawPath,
    path,
    query: new URLSearchParams(search),
    headers: req.headers,
    body,
    signing: signingOf(req),
    host: (req.headers.host ?? 'localhost').replace(/:\d+$/, ''),
    region: 'us-east-1',
    principal: {
      arn: 'arn:aws:iam::123456789012:user/harness',
      accountId: '123456789012',
      userId: 'AIDAHARNESS',
      accessKeyId: CREDENTIALS.accessKeyId,
    },
    now: Date.now(),
    requestId: 'harness-request',
  };
}

const escape = (text: string) =>
  text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c);

function renderError(res: ServerResponse, method: string, error: ServiceError): void {
  const extras = Object.entries(error.extra)
    .map(([name, value]) => `<${name}>${escape(value)}</${name}>`)
    .join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${escape(error.message)}</Message>${extras}<RequestId>harness-request</RequestId></Error>`;
  res.writeHead(error.status, { 'content-type': 'application/xml' });
  res.end(method === 'HEAD' ? undefined : xml);
}

export interface Harness {
  readonly url: string;
  readonly seen: { method: string; url: string; sha256: string; encoding: string }[];
  close(): Promise<void>;
}

export async function startHarness(service: LocalService): Promise<Harness> {
  const seen: Harness['seen'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = toLocalRequest(req, Buffer.concat(chunks));
      seen.push({
        method: request.method,
        url: req.url ?? '',
        sha256: String(req.headers['x-amz-content-sha256']),
        encoding: String(req.headers['content-encoding']),
      });
      Promise.resolve()
        .then(() => {
          const operation = service.operation(request);
          if (operation === undefined) throw new ServiceError('UnknownOperation', 'unclaimed', 404);
          return service.handle(request, operation);
        })
        .then(
          (response) => {
            res.writeHead(response.status, response.headers);
            res.end(response.body);
          },
          (error: unknown) => {
            if (error instanceof ServiceError) renderError(res, request.method, error);
            else {
              res.writeHead(500);
              res.end(String(error));
            }
          },
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
