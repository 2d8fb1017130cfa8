export const ALGORITHM_V4 = 'AWS4-HMAC-SHA256';
export const ALGORITHM_V4A = 'AWS4-ECDSA-P256-SHA256';
export const KEY_TYPE_IDENTIFIER = 'aws4_request';

/** SHA-256 of the empty string: the payload hash of every bodiless request. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** AWS refuses presigned URLs valid for more than seven days. */
export const MAX_PRESIGN_EXPIRES_SECONDS = 604800;

export const AMZ_DATE_HEADER = 'x-amz-date';
export const AUTHORIZATION_HEADER = 'authorization';
export const CONTENT_SHA256_HEADER = 'x-amz-content-sha256';
export const TOKEN_HEADER = 'x-amz-security-token';
export const REGION_SET_HEADER = 'x-amz-region-set';
export const HOST_HEADER = 'host';

export const ALGORITHM_QUERY_PARAM = 'X-Amz-Algorithm';
export const CREDENTIAL_QUERY_PARAM = 'X-Amz-Credential';
export const AMZ_DATE_QUERY_PARAM = 'X-Amz-Date';
export const EXPIRES_QUERY_PARAM = 'X-Amz-Expires';
export const SIGNED_HEADERS_QUERY_PARAM = 'X-Amz-SignedHeaders';
export const TOKEN_QUERY_PARAM = 'X-Amz-Security-Token';
export const REGION_SET_QUERY_PARAM = 'X-Amz-Region-Set';
export const SIGNATURE_QUERY_PARAM = 'X-Amz-Signature';

/**
 * Hop-by-hop and transport headers: a proxy or the HTTP client may add, drop or
 * rewrite them, so they are never signed whatever the policy.
 */
export const NEVER_SIGNED_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'connection',
  'expect',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Signed by the `minimal` policy besides `host` and `x-amz-*`. */
export const MINIMAL_POLICY_HEADERS: ReadonlySet<string> = new Set([
  'content-type',
  'content-encoding',
  'content-md5',
]);
