import { sign as ecdsaSign } from 'node:crypto';
import { amzDateOf } from './signing-time.js';
import {
  ALGORITHM_QUERY_PARAM,
  ALGORITHM_V4,
  ALGORITHM_V4A,
  AMZ_DATE_HEADER,
  AMZ_DATE_QUERY_PARAM,
  AUTHORIZATION_HEADER,
  CONTENT_SHA256_HEADER,
  CREDENTIAL_QUERY_PARAM,
  EXPIRES_QUERY_PARAM,
  HOST_HEADER,
  KEY_TYPE_IDENTIFIER,
  MAX_PRESIGN_EXPIRES_SECONDS,
  REGION_SET_HEADER,
  REGION_SET_QUERY_PARAM,
  SIGNATURE_QUERY_PARAM,
  SIGNED_HEADERS_QUERY_PARAM,
  TOKEN_HEADER,
  TOKEN_QUERY_PARAM,
  UNSIGNED_PAYLOAD,
} from './constants.js';
import {
  canonicalHeaderValue,
  collectHeaders,
  headerSelection,
  type CollectedHeaders,
  type HeaderSelection,
} from './canonical-headers.js';
import { canonicalQueryString, encodeQuery, type EncodedPair } from './canonical-query.js';
import { canonicalUri } from './canonical-uri.js';
import { payloadHash, sha256Hex } from './payload-hash.js';
import { sigV4SigningKey, type SigningKey } from './signing-key.js';
import { deriveSigV4aKeyPair } from './sigv4a-key.js';
import { SigningError } from './signing-error.js';
import { uriEncode } from './uri-encode.js';
import type {
  AwsCredentials,
  Clock,
  PresignOverrides,
  SignableRequest,
  SignedRequest,
  SignerOptions,
  SignOverrides,
  SigningAlgorithm,
} from './types.js';

const PRESIGN_PARAMS: ReadonlySet<string> = new Set([
  ALGORITHM_QUERY_PARAM,
  CREDENTIAL_QUERY_PARAM,
  AMZ_DATE_QUERY_PARAM,
  EXPIRES_QUERY_PARAM,
  SIGNED_HEADERS_QUERY_PARAM,
  TOKEN_QUERY_PARAM,
  REGION_SET_QUERY_PARAM,
  SIGNATURE_QUERY_PARAM,
]);

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/** What both signing forms compute before the signature. */
interface Prepared {
  readonly amzDate: string;
  readonly scope: string;
  readonly host: string;
  readonly collected: CollectedHeaders;
  readonly payloadHash: string;
}

/**
 * Signs requests with SigV4 (HMAC-SHA256) or SigV4a (ECDSA P-256) for one
 * service and region. Signing is synchronous: credentials are resolved by the
 * caller, and the per-day signing key is cached, so a signature costs the
 * payload hash, the canonical-request hash and one HMAC.
 */
export class SigV4Signer {
  readonly service: string;
  readonly region: string;
  readonly algorithm: SigningAlgorithm;
  private readonly regionSet: string;
  private readonly clock: Clock;
  private readonly doubleEncode: boolean;
  private readonly normalize: boolean;
  private readonly applyChecksum: boolean;
  private readonly isS3: boolean;
  private readonly selection: HeaderSelection;
  private readonly owned: ReadonlySet<string>;
  // The last signing key and scope: nearly every signature reuses them.
  private lastKey: SigningKey | undefined;
  private lastKeySecret = '';
  private lastKeyDate = '';
  private lastScopeDate = '';
  private lastScope = '';

  constructor(options: SignerOptions) {
    if (!options.service)
      throw new SigningError('No signing service given', {
        hint: 'set the service, e.g. "aps" or "s3"',
      });
    if (!options.region)
      throw new SigningError('No signing region given', {
        hint: 'set the region, e.g. "us-east-1"',
      });
    // The scope goes into the string to sign, which the HMAC takes as ASCII.
    if (!PRINTABLE_ASCII.test(options.service) || !PRINTABLE_ASCII.test(options.region)) {
      throw new SigningError(
        `The signing service and region must be plain ASCII names, got '${options.service}' and '${options.region}'`,
        { hint: 'use AWS names such as "aps" and "us-east-1"' },
      );
    }
    this.service = options.service;
    this.region = options.region;
    this.algorithm = options.algorithm === 'sigv4a' ? ALGORITHM_V4A : ALGORITHM_V4;
    this.regionSet = (options.regionSet ?? [options.region]).join(',');
    this.clock = options.clock ?? Date.now;
    this.isS3 = options.service === 's3';
    this.doubleEncode = options.uriEscapePath ?? !this.isS3;
    this.normalize = options.normalizePath ?? !this.isS3;
    this.applyChecksum = options.applyChecksum ?? this.isS3;
    this.selection = headerSelection(
      options.headerPolicy,
      options.signHeaders,
      options.unsignedHeaders,
    );
    const owned = [AUTHORIZATION_HEADER, AMZ_DATE_HEADER, TOKEN_HEADER];
    if (this.algorithm === ALGORITHM_V4A) owned.push(REGION_SET_HEADER);
    this.owned = new Set(owned);
  }

  /** Signs with an `Authorization` header. */
  sign(
    request: SignableRequest,
    credentials: AwsCredentials,
    overrides: SignOverrides = {},
  ): SignedRequest {
    const p = this.prepare(request, credentials, overrides, overrides.payloadHash);
    const { outgoing, signed } = p.collected;
    if (this.applyChecksum && !signed.has(CONTENT_SHA256_HEADER)) {
      outgoing[CONTENT_SHA256_HEADER] = p.payloadHash;
      signed.set(CONTENT_SHA256_HEADER, p.payloadHash);
    }
    outgoing[AMZ_DATE_HEADER] = p.amzDate;
    signed.set(AMZ_DATE_HEADER, p.amzDate);
    const token = credentials.sessionToken;
    if (token) {
      outgoing[TOKEN_HEADER] = token;
      if (overrides.signSessionToken !== false)
        signed.set(TOKEN_HEADER, canonicalHeaderValue(token));
    }
    if (this.algorithm === ALGORITHM_V4A) {
      outgoing[REGION_SET_HEADER] = this.regionSet;
      signed.set(REGION_SET_HEADER, this.regionSet);
    }
    const pairs = encodeQuery(request.query);
    const query = canonicalQueryString(pairs);
    const headers = signed.canonical();
    const canonicalRequest = this.canonicalRequest(
      request,
      query,
      headers.block,
      headers.list,
      p.payloadHash,
    );
    const { stringToSign, signature } = this.signString(canonicalRequest, p, credentials);
    outgoing[AUTHORIZATION_HEADER] =
      `${this.algorithm} Credential=${credentials.accessKeyId}/${p.scope}, SignedHeaders=${headers.list}, Signature=${signature}`;
    return this.result(request, p, query, canonicalRequest, stringToSign, signature, headers.list);
  }

  /** Signs into the query string: a presigned URL valid for `expiresIn` seconds. */
  presign(
    request: SignableRequest,
    credentials: AwsCredentials,
    overrides: PresignOverrides = {},
  ): SignedRequest {
    const expiresIn = overrides.expiresIn ?? 3600;
    if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGN_EXPIRES_SECONDS) {
      throw new SigningError(`A presigned URL cannot be valid for ${expiresIn} seconds`, {
        hint: `choose a whole number of seconds from 1 to ${MAX_PRESIGN_EXPIRES_SECONDS} (7 days)`,
      });
    }
    // S3 presigned URLs carry no payload hash: the body is unknown when the URL is made.
    const p = this.prepare(
      request,
      credentials,
      overrides,
      overrides.payloadHash ?? (this.isS3 ? UNSIGNED_PAYLOAD : undefined),
    );
    const headers = p.collected.signed.canonical();
    const pairs = encodeQuery(request.query).filter((pair) => !PRESIGN_PARAMS.has(pair.key));
    const add = (key: string, value: string) => pairs.push({ key, value: uriEncode(value) });
    add(ALGORITHM_QUERY_PARAM, this.algorithm);
    add(CREDENTIAL_QUERY_PARAM, `${credentials.accessKeyId}/${p.scope}`);
    add(AMZ_DATE_QUERY_PARAM, p.amzDate);
    add(EXPIRES_QUERY_PARAM, String(expiresIn));
    add(SIGNED_HEADERS_QUERY_PARAM, headers.list);
    const token = credentials.sessionToken;
    const signToken = overrides.signSessionToken !== false;
    if (token && signToken) add(TOKEN_QUERY_PARAM, token);
    if (this.algorithm === ALGORITHM_V4A) add(REGION_SET_QUERY_PARAM, this.regionSet);
    const signedQuery = canonicalQueryString(pairs);
    const canonicalRequest = this.canonicalRequest(
      request,
      signedQuery,
      headers.block,
      headers.list,
      p.payloadHash,
    );
    const { stringToSign, signature } = this.signString(canonicalRequest, p, credentials);
    const extra: EncodedPair[] = [];
    if (token && !signToken) extra.push({ key: TOKEN_QUERY_PARAM, value: uriEncode(token) });
    extra.push({ key: SIGNATURE_QUERY_PARAM, value: signature });
    const query = signedQuery + extra.map((e) => `&${e.key}=${e.value}`).join('');
    return this.result(request, p, query, canonicalRequest, stringToSign, signature, headers.list);
  }

  private prepare(
    request: SignableRequest,
    credentials: AwsCredentials,
    overrides: SignOverrides,
    forcedPayloadHash: string | undefined,
  ): Prepared {
    if (!credentials.accessKeyId || !credentials.secretAccessKey) {
      throw new SigningError(
        'Credentials are incomplete: an access key id and a secret access key are both needed',
        {
          hint: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure another credential source',
        },
      );
    }
    const amzDate = amzDateOf(overrides.signingDate, this.clock);
    const scope = this.scopeOf(amzDate.slice(0, 8));
    const collected = collectHeaders(request.headers, this.selection, this.owned);
    const host = collected.host ?? request.host;
    if (!host) {
      throw new SigningError('The request has no host to sign', {
        hint: 'give a full URL or a Host header',
      });
    }
    if (collected.host === undefined) {
      collected.outgoing[HOST_HEADER] = host;
      collected.signed.set(HOST_HEADER, canonicalHeaderValue(host));
    }
    const hash =
      forcedPayloadHash ??
      (overrides.unsignedPayload ? UNSIGNED_PAYLOAD : undefined) ??
      collected.signed.get(CONTENT_SHA256_HEADER) ??
      payloadHash(request.body);
    return { amzDate, scope, host, collected, payloadHash: hash };
  }

  private scopeOf(date: string): string {
    if (date !== this.lastScopeDate) {
      this.lastScope =
        this.algorithm === ALGORITHM_V4A
          ? `${date}/${this.service}/${KEY_TYPE_IDENTIFIER}`
          : `${date}/${this.region}/${this.service}/${KEY_TYPE_IDENTIFIER}`;
      this.lastScopeDate = date;
    }
    return this.lastScope;
  }

  private signingKey(secret: string, date: string): SigningKey {
    if (this.lastKey === undefined || secret !== this.lastKeySecret || date !== this.lastKeyDate) {
      this.lastKey = sigV4SigningKey(secret, date, this.region, this.service);
      this.lastKeySecret = secret;
      this.lastKeyDate = date;
    }
    return this.lastKey;
  }

  private canonicalRequest(
    request: SignableRequest,
    query: string,
    headerBlock: string,
    signedHeaders: string,
    hash: string,
  ): string {
    const uri = canonicalUri(request.path, this.normalize, this.doubleEncode);
    return `${request.method}\n${uri}\n${query}\n${headerBlock}\n${signedHeaders}\n${hash}`;
  }

  private signString(
    canonicalRequest: string,
    p: Prepared,
    credentials: AwsCredentials,
  ): { stringToSign: string; signature: string } {
    const stringToSign = `${this.algorithm}\n${p.amzDate}\n${p.scope}\n${sha256Hex(canonicalRequest)}`;
    if (this.algorithm === ALGORITHM_V4A) {
      const { privateKey } = deriveSigV4aKeyPair(
        credentials.accessKeyId,
        credentials.secretAccessKey,
      );
      return {
        stringToSign,
        signature: ecdsaSign('sha256', Buffer.from(stringToSign, 'utf8'), privateKey).toString(
          'hex',
        ),
      };
    }
    const key = this.signingKey(credentials.secretAccessKey, p.amzDate.slice(0, 8));
    return { stringToSign, signature: key.hmacHex(stringToSign) };
  }

  private result(
    request: SignableRequest,
    p: Prepared,
    query: string,
    canonicalRequest: string,
    stringToSign: string,
    signature: string,
    signedHeaders: string,
  ): SignedRequest {
    return {
      method: request.method,
      host: p.host,
      path: request.path === '' ? '/' : request.path,
      query,
      headers: p.collected.outgoing,
      body: request.body,
      algorithm: this.algorithm,
      canonicalRequest,
      stringToSign,
      signature,
      signedHeaders,
      credentialScope: p.scope,
    };
  }
}
