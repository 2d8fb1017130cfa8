/**
 * Requests signed and URLs presigned by @smithy/signature-v4 — the AWS SDK's
 * own signer, never Signet's — so a test of `signet local`'s verification does
 * not share a bug with Signet's signer. For S3 it signs as the SDK and
 * @aws-sdk/s3-request-presigner do: the path is not escaped again, and a
 * presigned URL signs `UNSIGNED-PAYLOAD` without carrying it in the query.
 */
import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { DEMO_CREDENTIALS } from './local-stack.js';

export interface SmithySigning {
  readonly service: string;
  readonly region?: string;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  readonly signingDate?: Date;
}

function signer(s: SmithySigning): SignatureV4 {
  return new SignatureV4({
    service: s.service,
    region: s.region ?? 'us-east-1',
    credentials: s.credentials ?? DEMO_CREDENTIALS,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: s.service !== 's3',
    applyChecksum: false,
  });
}

/** The request smithy signs for `url`; `host` overrides the URL's (virtual-host tests). */
function toHttpRequest(
  method: string,
  url: URL,
  headers: Record<string, string>,
  host?: string,
): HttpRequest {
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  return new HttpRequest({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers: { host: host ?? url.host, ...headers },
  });
}

/** Headers for a header-signed request (the body's SHA-256 in `x-amz-content-sha256` for S3). */
export async function smithySignedHeaders(
  s: SmithySigning,
  method: string,
  url: string,
  options: { body?: Buffer; headers?: Record<string, string>; host?: string } = {},
): Promise<Record<string, string>> {
  const body = options.body ?? Buffer.alloc(0);
  const headers = { ...options.headers };
  if (s.service === 's3')
    headers['x-amz-content-sha256'] = createHash('sha256').update(body).digest('hex');
  const request = toHttpRequest(method, new URL(url), headers, options.host);
  request.body = body.length > 0 ? body : undefined;
  const signed = await signer(s).sign(request, { signingDate: s.signingDate ?? new Date() });
  return signed.headers;
}

/** A presigned URL for `url`, valid `expiresIn` seconds from `signingDate`. */
export async function smithyPresign(
  s: SmithySigning,
  method: string,
  url: string,
  expiresIn: number,
): Promise<string> {
  const target = new URL(url);
  const request = toHttpRequest(method, target, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' });
  const presigned = await signer(s).presign(request, {
    signingDate: s.signingDate ?? new Date(),
    expiresIn,
    unsignableHeaders: new Set(['x-amz-content-sha256']),
    unhoistableHeaders: new Set(['x-amz-content-sha256']),
  });
  const out = new URL(target.origin + target.pathname);
  for (const [k, v] of Object.entries(presigned.query ?? {})) {
    for (const item of Array.isArray(v) ? v : [v])
      if (item !== null) out.searchParams.append(k, item);
  }
  return out.toString();
}
