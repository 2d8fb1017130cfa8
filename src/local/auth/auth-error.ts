import type { Protocol } from '../service.js';
import { ServiceError } from '../service.js';

/** Why a request's authentication failed, independent of how a service spells it. */
export type AuthFailure =
  | 'missing' // no Authorization header and no presigned query
  | 'malformed' // an Authorization header or presigned query that does not parse
  | 'unknown-key' // the access key id is not known
  | 'bad-token' // a session token that is missing, wrong or unknown
  | 'expired-token' // a session token past its expiry
  | 'skewed' // X-Amz-Date more than 15 minutes from the server's clock
  | 'presign-expired' // a presigned URL past X-Amz-Expires
  | 'wrong-region' // the scope names another region than this server's
  | 'wrong-service' // the scope names another service than the one called
  | 'wrong-date' // the scope's date is not X-Amz-Date's date
  | 'mismatch' // the signature is not the one the server computes
  | 'content-hash'; // x-amz-content-sha256 does not match the body

const S3: Record<AuthFailure, [string, number]> = {
  missing: ['AccessDenied', 403],
  malformed: ['AuthorizationHeaderMalformed', 400],
  'unknown-key': ['InvalidAccessKeyId', 403],
  'bad-token': ['InvalidToken', 400],
  'expired-token': ['ExpiredToken', 400],
  skewed: ['RequestTimeTooSkewed', 403],
  'presign-expired': ['AccessDenied', 403],
  'wrong-region': ['AuthorizationHeaderMalformed', 400],
  'wrong-service': ['AuthorizationHeaderMalformed', 400],
  'wrong-date': ['AuthorizationHeaderMalformed', 400],
  mismatch: ['SignatureDoesNotMatch', 403],
  'content-hash': ['XAmzContentSHA256Mismatch', 400],
};

const JSON_CODES: Record<AuthFailure, [string, number]> = {
  missing: ['MissingAuthenticationTokenException', 400],
  malformed: ['IncompleteSignatureException', 400],
  'unknown-key': ['UnrecognizedClientException', 400],
  'bad-token': ['UnrecognizedClientException', 400],
  'expired-token': ['ExpiredTokenException', 400],
  skewed: ['InvalidSignatureException', 400],
  'presign-expired': ['InvalidSignatureException', 400],
  'wrong-region': ['InvalidSignatureException', 400],
  'wrong-service': ['InvalidSignatureException', 400],
  'wrong-date': ['InvalidSignatureException', 400],
  mismatch: ['InvalidSignatureException', 400],
  'content-hash': ['InvalidSignatureException', 400],
};

const QUERY_CODES: Record<AuthFailure, [string, number]> = {
  missing: ['MissingAuthenticationToken', 403],
  malformed: ['IncompleteSignature', 400],
  'unknown-key': ['InvalidClientTokenId', 403],
  'bad-token': ['InvalidClientTokenId', 403],
  'expired-token': ['ExpiredToken', 403],
  skewed: ['SignatureDoesNotMatch', 403],
  'presign-expired': ['SignatureDoesNotMatch', 403],
  'wrong-region': ['SignatureDoesNotMatch', 403],
  'wrong-service': ['SignatureDoesNotMatch', 403],
  'wrong-date': ['SignatureDoesNotMatch', 403],
  mismatch: ['SignatureDoesNotMatch', 403],
  'content-hash': ['SignatureDoesNotMatch', 403],
};

const EC2_CODES: Record<AuthFailure, [string, number]> = {
  missing: ['AuthFailure', 401],
  malformed: ['AuthFailure', 401],
  'unknown-key': ['AuthFailure', 401],
  'bad-token': ['AuthFailure', 401],
  'expired-token': ['RequestExpired', 400],
  skewed: ['RequestExpired', 400],
  'presign-expired': ['RequestExpired', 400],
  'wrong-region': ['AuthFailure', 401],
  'wrong-service': ['AuthFailure', 401],
  'wrong-date': ['AuthFailure', 401],
  mismatch: ['AuthFailure', 401],
  'content-hash': ['AuthFailure', 401],
};

const BY_PROTOCOL: Record<Protocol, Record<AuthFailure, [string, number]>> = {
  'rest-xml': S3,
  json: JSON_CODES,
  'rest-json': JSON_CODES,
  query: QUERY_CODES,
  ec2: EC2_CODES,
};

/** The error AWS answers an authentication failure with, in the called service's own codes. */
export function authError(protocol: Protocol, failure: AuthFailure, message: string): ServiceError {
  const [code, status] = BY_PROTOCOL[protocol][failure];
  return new ServiceError(code, message, status);
}
