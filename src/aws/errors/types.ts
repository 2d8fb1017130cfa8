/** The shapes parseAwsError reads and the context a caller gives it. */

/** What kind of failure an AWS error answer reports, independent of how each service spells it. */
export type AwsErrorKind =
  | 'signature' // the signature did not verify: wrong secret, region, service, or an altered request
  | 'clock-skew' // the request's time was too far from AWS's clock
  | 'expired-token' // the session token expired: new credentials cure it
  | 'unknown-key' // AWS does not know the access key id (or its session token)
  | 'access-denied' // authenticated, but IAM does not allow the action
  | 'throttling' // too many requests: retry later
  | 'server' // AWS (or something between) failed: retry later
  | 'not-found' // the resource does not exist
  | 'invalid-request'; // any other refusal of the request itself

/** What the caller knows about the request that failed; every field is optional. */
export interface AwsRequestContext {
  /** The target URL, shown in messages without its query string (presigned URLs carry signatures). */
  readonly url?: string;
  readonly method?: string;
  /** The signing name used (aps, logs, s3…). */
  readonly service?: string;
  /** The signing region used. */
  readonly region?: string;
  /** The x-amz-date Signet signed with. */
  readonly signedAt?: Date;
  /** The local clock when the response arrived. */
  readonly localNow?: Date;
  /** Shown masked only. */
  readonly accessKeyId?: string;
  /** Where the credentials came from, e.g. 'env', 'web-identity', 'imds', 'assume-role'. */
  readonly credentialSource?: string;
  /** Who Signet believes it is, if known. */
  readonly identityArn?: string;
  /** The region inferred from the URL's host, if any. */
  readonly expectedRegion?: string;
  /** The service inferred from the URL's host, if any. */
  readonly expectedService?: string;
  /** A proxy is configured. */
  readonly viaProxy?: boolean;
  /** What Signet signed, to compare with what AWS says it computed. */
  readonly stringToSign?: string;
  readonly canonicalRequest?: string;
}

/** An HTTP answer as any of Signet's HTTP layers (undici, fetch, node:http) hands it over. */
export interface AwsErrorResponse {
  readonly status: number;
  readonly headers: Headers | Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: string | Uint8Array;
}

/** What the body (and headers) said, before classification. */
export interface ParsedBody {
  readonly shape: 'xml' | 'json' | 'text' | 'html' | 'empty';
  readonly code: string | undefined;
  readonly message: string;
  readonly requestId: string | undefined;
  /** S3's <StringToSign>, or the string-to-sign JSON services quote in their message. */
  readonly stringToSign?: string;
  /** S3's <CanonicalRequest>, or the canonical string JSON services quote in their message. */
  readonly canonicalRequest?: string;
  /** S3's <ServerTime> (RequestTimeTooSkewed). */
  readonly serverTime?: string;
  /** S3's <Region> (AuthorizationHeaderMalformed, PermanentRedirect). */
  readonly region?: string;
  /** An HTML page's <title>, to say who answered. */
  readonly title?: string;
}
