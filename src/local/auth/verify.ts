/**
 * Verifies a request's SigV4 signature as one regional AWS endpoint does. The
 * signature is recomputed with @smithy/signature-v4 — an implementation
 * independent of Signet's own signer — so the local endpoints can catch a bug
 * in Signet's signer instead of sharing it.
 */
import { createHash } from 'node:crypto';
import { SignatureV4, getSigningKey } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import type { Principal, Protocol } from '../service.js';
import { authError } from './auth-error.js';
import {
  amzDateToMs,
  parseAuthorizationHeader,
  parsePresignedQuery,
  type SignatureParts,
} from './authorization.js';

/** AWS refuses requests signed more than 15 minutes away from its clock. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** A key the server knows, as the identity store hands it out. */
export interface KnownKey {
  readonly secretAccessKey: string;
  readonly principal: Principal;
}

export type TokenVerdict = 'ok' | 'missing' | 'invalid' | 'expired';

/** Where verification looks keys up; the identity store implements it. */
export interface KeyDirectory<K extends KnownKey> {
  lookup(accessKeyId: string): K | undefined;
  checkToken(key: K, presentedToken: string | undefined, now: number): TokenVerdict;
}

/** The request as it came off the socket. */
export interface RawRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly query: URLSearchParams;
  /** node:http's rawHeaders: name, value, name, value… */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

export interface Expectation {
  readonly service: string;
  readonly region: string;
  readonly protocol: Protocol;
}

export interface Verified<K extends KnownKey> {
  readonly key: K;
  readonly parts: SignatureParts;
  readonly presigned: boolean;
  readonly signingKey: Buffer;
  readonly scope: string;
}

/** Headers by lower-case name, repeats joined with commas as SigV4 joins them. */
function headerValues(rawHeaders: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!.trim();
    const previous = values.get(name);
    values.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  return values;
}

/** Decoded query parameters for smithy, repeated keys as arrays; `+` stays a plus as AWS reads it. */
function queryForSmithy(
  query: URLSearchParams,
  presigned: boolean,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of query) {
    if (presigned && key === 'X-Amz-Signature') continue;
    const existing = out[key];
    out[key] =
      existing === undefined
        ? value
        : Array.isArray(existing)
          ? [...existing, value]
          : [existing, value];
  }
  return out;
}

/** URLSearchParams reads `+` as a space; SigV4 does not. */
export function parseRawQuery(rawQuery: string): URLSearchParams {
  return new URLSearchParams(rawQuery.replace(/\+/g, '%2B'));
}

/**
 * Checks the signature, scope, clock window, key and token of a request.
 * Throws the ServiceError AWS would answer with, in the service's protocol.
 */
export async function verifyRequest<K extends KnownKey>(
  raw: RawRequest,
  expect: Expectation,
  keys: KeyDirectory<K>,
  now: number,
): Promise<Verified<K>> {
  const fail = (failure: Parameters<typeof authError>[1], message: string) =>
    authError(expect.protocol, failure, message);
  const headers = headerValues(raw.rawHeaders);
  const presigned = raw.query.has('X-Amz-Algorithm') && !headers.has('authorization');
  const authorization = headers.get('authorization');
  if (!presigned && authorization === undefined) {
    throw fail(
      'missing',
      expect.protocol === 'rest-xml' ? 'Access Denied' : 'Missing Authentication Token',
    );
  }
  const parsed = presigned
    ? parsePresignedQuery(raw.query)
    : parseAuthorizationHeader(
        authorization!,
        headers.get('x-amz-date'),
        headers.get('x-amz-security-token'),
      );
  if (typeof parsed === 'string') throw fail('malformed', parsed);
  const parts = parsed;

  if (parts.region !== expect.region) {
    throw fail(
      'wrong-region',
      `Credential should be scoped to a valid region. The authorization header is malformed; the region '${parts.region}' is wrong; expecting '${expect.region}'`,
    );
  }
  if (parts.service !== expect.service) {
    throw fail(
      'wrong-service',
      `Credential should be scoped to correct service: '${expect.service}'.`,
    );
  }
  const signedAt = amzDateToMs(parts.amzDate);
  if (Number.isNaN(signedAt))
    throw fail('malformed', `X-Amz-Date '${parts.amzDate}' is not in the form YYYYMMDDTHHMMSSZ.`);
  if (parts.date !== parts.amzDate.slice(0, 8)) {
    throw fail(
      'wrong-date',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parts.date}' != '${parts.amzDate.slice(0, 8)}'`,
    );
  }
  if (presigned) {
    if (now > signedAt + parts.expiresIn! * 1000)
      throw fail('presign-expired', 'Request has expired');
    if (signedAt - now > MAX_SKEW_MS) throw fail('skewed', 'Request is not yet valid');
  } else if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    const server = new Date(now).toISOString().replace(/[-:]|\.\d{3}/g, '');
    throw fail(
      'skewed',
      `Signature expired: ${parts.amzDate} is now earlier than ${server} (${server} - 15 min.)`.replace(
        'is now earlier',
        signedAt > now ? 'is now later' : 'is now earlier',
      ),
    );
  }

  const key = keys.lookup(parts.accessKeyId);
  if (key === undefined) {
    throw fail(
      'unknown-key',
      expect.protocol === 'rest-xml'
        ? 'The AWS Access Key Id you provided does not exist in our records.'
        : 'The security token included in the request is invalid.',
    );
  }
  const token = keys.checkToken(key, parts.sessionToken, now);
  if (token === 'expired')
    throw fail('expired-token', 'The security token included in the request is expired');
  if (token !== 'ok')
    throw fail('bad-token', 'The security token included in the request is invalid.');

  const bodyHash = createHash('sha256').update(raw.body).digest('hex');
  const claimedHash = headers.get('x-amz-content-sha256');
  if (claimedHash !== undefined && /^[0-9a-f]{64}$/.test(claimedHash) && claimedHash !== bodyHash) {
    throw fail(
      'content-hash',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }

  const expected = await smithySignature(
    raw,
    headers,
    parts,
    presigned,
    key.secretAccessKey,
    expect.service === 's3',
  );
  if (expected !== parts.signature) throw fail('mismatch', SIGNATURE_MISMATCH);

  const credentials = { accessKeyId: parts.accessKeyId, secretAccessKey: key.secretAccessKey };
  const signingKey = Buffer.from(
    await getSigningKey(
      Hash.bind(null, 'sha256'),
      credentials,
      parts.date,
      parts.region,
      parts.service,
    ),
  );
  return {
    key,
    parts,
    presigned,
    signingKey,
    scope: `${parts.date}/${parts.region}/${parts.service}/aws4_request`,
  };
}

async function smithySignature(
  raw: RawRequest,
  headers: Map<string, string>,
  parts: SignatureParts,
  presigned: boolean,
  secretAccessKey: string,
  isS3: boolean,
): Promise<string | undefined> {
  const signed: Record<string, string> = {};
  for (const name of parts.signedHeaders) {
    const value = headers.get(name);
    if (value === undefined) return undefined; // a signed header that did not arrive
    signed[name] = value;
  }
  const signedSet = new Set(parts.signedHeaders);
  const signer = new SignatureV4({
    service: parts.service,
    region: parts.region,
    credentials: {
      accessKeyId: parts.accessKeyId,
      secretAccessKey,
      sessionToken: parts.sessionToken,
    },
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: !isS3,
    applyChecksum: false,
  });
  const claimedHash = headers.get('x-amz-content-sha256');
  // S3 signs what x-amz-content-sha256 says (a hash, UNSIGNED-PAYLOAD, STREAMING-…); a presigned S3 URL signs UNSIGNED-PAYLOAD.
  const payloadHeader = isS3
    ? (claimedHash ?? (presigned ? UNSIGNED_PAYLOAD : undefined))
    : claimedHash;
  if (payloadHeader !== undefined && !signedSet.has('x-amz-content-sha256'))
    signed['x-amz-content-sha256'] = payloadHeader;
  const unsignable = signedSet.has('x-amz-content-sha256')
    ? new Set<string>()
    : new Set(['x-amz-content-sha256']);
  const request = new HttpRequest({
    method: raw.method,
    protocol: 'https:',
    hostname: signed.host ?? '',
    path: raw.rawPath,
    query: queryForSmithy(raw.query, presigned),
    headers: signed,
    body: raw.body.length > 0 ? raw.body : undefined,
  });
  const signingDate = new Date(amzDateToMs(parts.amzDate));
  if (presigned) {
    const out = await signer.presign(request, {
      signingDate,
      expiresIn: parts.expiresIn,
      unsignableHeaders: unsignable,
      signableHeaders: signedSet,
      unhoistableHeaders: new Set(Object.keys(signed)),
    });
    const signature = out.query?.['X-Amz-Signature'];
    return typeof signature === 'string' ? signature : undefined;
  }
  const out = await signer.sign(request, {
    signingDate,
    unsignableHeaders: unsignable,
    signableHeaders: signedSet,
  });
  return /Signature=([0-9a-f]{64})/.exec(String(out.headers.authorization))?.[1];
}
