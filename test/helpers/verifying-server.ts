/**
 * An HTTP server on 127.0.0.1 that checks every request's SigV4 signature
 * with @smithy/signature-v4 — never with Signet's signer — and answers 200
 * with what it received, or 403 `SignatureDoesNotMatch` like AWS.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  readonly verified: boolean;
}

export interface VerifyingServer {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const existing = query[key];
    query[key] =
      existing === undefined
        ? value
        : Array.isArray(existing)
          ? [...existing, value]
          : [existing, value];
  }
  return query;
}

async function verify(
  req: IncomingMessage,
  body: Buffer,
  secrets: ReadonlyMap<string, string>,
): Promise<string | undefined> {
  const match = AUTH.exec(req.headers.authorization ?? '');
  if (!match) return 'missing or malformed Authorization header';
  const [, accessKeyId, , region, service, signedHeaders, signature] = match as unknown as string[];
  const secretAccessKey = secrets.get(accessKeyId!);
  if (!secretAccessKey) return `unknown access key ${accessKeyId}`;
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const signingDate = new Date(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
  );
  const headers: Record<string, string> = {};
  for (const name of signedHeaders!.split(';')) headers[name] = String(req.headers[name] ?? '');
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const isS3 = service === 's3';
  const smithy = new SignatureV4({
    service: service!,
    region: region!,
    credentials: {
      accessKeyId: accessKeyId!,
      secretAccessKey,
      sessionToken: headers['x-amz-security-token'],
    },
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: !isS3,
    applyChecksum: false,
  });
  // Node's parser has already split the raw target; the path goes to smithy exactly as it came on the wire.
  const rawPath = (req.url ?? '/').split('?')[0]!;
  const expected = await smithy.sign(
    new HttpRequest({
      method: req.method,
      protocol: 'http:',
      hostname: headers.host,
      path: rawPath,
      query: parseQuery(url.search),
      headers,
      body: body.length ? body : undefined,
    }),
    { signingDate },
  );
  const expectedSignature = /Signature=([0-9a-f]+)/.exec(expected.headers.authorization ?? '')?.[1];
  return expectedSignature === signature
    ? undefined
    : 'The request signature we calculated does not match the signature you provided.';
}

/** What a verified request is answered with, when not the default JSON echo (e.g. a metrics page). */
export type VerifiedAnswer = (request: Received) => {
  readonly contentType: string;
  readonly body: string;
};

export async function startVerifyingServer(
  secrets: ReadonlyMap<string, string>,
  answer?: VerifiedAnswer,
): Promise<VerifyingServer> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      verify(req, body, secrets).then(
        (problem) => {
          const request: Received = {
            method: req.method ?? '',
            url: req.url ?? '',
            headers: req.headers,
            body,
            verified: problem === undefined,
          };
          received.push(request);
          if (problem) {
            res.writeHead(403, {
              'content-type': 'application/json',
              'x-amzn-errortype': 'SignatureDoesNotMatch',
            });
            res.end(JSON.stringify({ __type: 'SignatureDoesNotMatch', message: problem }));
          } else if (answer) {
            const { contentType, body: page } = answer(request);
            res.writeHead(200, { 'content-type': contentType }).end(page);
          } else {
            res.writeHead(200, { 'content-type': 'application/json', 'x-signet-test': 'yes' });
            res.end(
              JSON.stringify({
                ok: true,
                method: req.method,
                url: req.url,
                body: body.toString('utf8'),
              }),
            );
          }
        },
        (error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
