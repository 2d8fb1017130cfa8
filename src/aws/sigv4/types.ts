/** AWS credentials as the signer needs them; where they come from is not its concern. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  /** When temporary credentials stop working; the signer ignores it. */
  readonly expiration?: Date | undefined;
}

/** Milliseconds since the epoch; injectable so tests and skew correction control time. */
export type Clock = () => number;

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

/**
 * Query parameters, decoded (not percent-encoded). A key mapped to an array is
 * repeated; `null` is a key without a value (`?flag`), signed as `flag=`.
 */
export type QueryParams = Readonly<Record<string, QueryValue>>;

export type HeaderValue = string | number | readonly string[] | undefined;

/** Header names are case-insensitive; an array, or names differing only in case, repeat a header. */
export type HeaderMap = Readonly<Record<string, HeaderValue>>;

export type Body = string | Uint8Array;

/** A request to sign, as it will go on the wire. */
export interface SignableRequest {
  readonly method: string;
  /** `hostname[:port]`; a `host` header, if given, wins. */
  readonly host?: string;
  /** The path as sent on the wire (already percent-encoded where it must be). */
  readonly path: string;
  /** Decoded parameters, or a raw query string as on the wire (without `?`). */
  readonly query?: QueryParams | string;
  readonly headers?: HeaderMap;
  readonly body?: Body;
}

/**
 * Which headers go into the signature.
 * - `minimal` (default): `host`, `x-amz-*`, `content-type`, `content-encoding`,
 *   `content-md5` and the names in `signHeaders`; nothing that proxies, tracers
 *   or load balancers may rewrite.
 * - `all`: every header but hop-by-hop ones and `unsignedHeaders`.
 */
export type HeaderPolicy = 'minimal' | 'all';

export type SigningAlgorithm = 'AWS4-HMAC-SHA256' | 'AWS4-ECDSA-P256-SHA256';

export interface SignerOptions {
  /** Signing name of the service (`aps`, `s3`, `logs`, `execute-api`…). */
  readonly service: string;
  /** SigV4: the scope's region. SigV4a: the region set, unless `regionSet` is given. */
  readonly region: string;
  /** `sigv4` (HMAC) by default; `sigv4a` signs with ECDSA for a set of regions. */
  readonly algorithm?: 'sigv4' | 'sigv4a';
  /** SigV4a: the regions the signature is good for (`*` for all). */
  readonly regionSet?: readonly string[];
  readonly clock?: Clock;
  /** Encode the path once more (every service but S3). Default: `service !== 's3'`. */
  readonly uriEscapePath?: boolean;
  /** Remove `.`/`..` segments and repeated slashes. Default: `service !== 's3'`. */
  readonly normalizePath?: boolean;
  /** Send and sign `x-amz-content-sha256`. Default: true for S3. */
  readonly applyChecksum?: boolean;
  readonly headerPolicy?: HeaderPolicy;
  /** Extra header names to sign under the `minimal` policy. */
  readonly signHeaders?: Iterable<string>;
  /** Header names never to sign (e.g. `user-agent`). */
  readonly unsignedHeaders?: Iterable<string>;
}

export interface SignOverrides {
  /** Sign at this time instead of the clock's. */
  readonly signingDate?: Date | number;
  /** Use this payload hash (`UNSIGNED-PAYLOAD`, or a hash computed elsewhere). */
  readonly payloadHash?: string;
  /** Shorthand for `payloadHash: 'UNSIGNED-PAYLOAD'`. */
  readonly unsignedPayload?: boolean;
  /**
   * Leave the session token out of what is signed and add it afterwards, as a
   * few services (IoT) require. Default: the token is signed.
   */
  readonly signSessionToken?: boolean;
}

export interface PresignOverrides extends SignOverrides {
  /** Seconds the URL stays valid: 1 to 604800 (7 days). Default 3600. */
  readonly expiresIn?: number;
}

/** The request after signing, with everything `--explain` shows. */
export interface SignedRequest {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  /** The query as it must be sent (without `?`), `''` when there is none. */
  readonly query: string;
  /** The caller's headers plus those the signer added. */
  readonly headers: Record<string, string>;
  readonly body: Body | undefined;
  readonly algorithm: SigningAlgorithm;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signature: string;
  readonly signedHeaders: string;
  readonly credentialScope: string;
}
