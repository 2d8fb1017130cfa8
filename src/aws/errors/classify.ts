/**
 * Which kind of failure an AWS error is. AWS spells the same failure
 * differently per protocol (S3, query, JSON, EC2) and sometimes only in the
 * message (AMP's plain-text bodies, STS's "Signature expired"), so the code
 * decides first, then the message, then the HTTP status.
 */
import { SKEW_TOLERANCE_MS } from './skew.js';
import type { AwsErrorKind, AwsRequestContext } from './types.js';

const CODES: ReadonlyArray<readonly [AwsErrorKind, readonly string[]]> = [
  [
    'signature',
    [
      'SignatureDoesNotMatch',
      'IncompleteSignature',
      'IncompleteSignatureException',
      'InvalidSignatureException',
      'InvalidSignature',
      'AuthorizationHeaderMalformed',
      'AuthorizationQueryParametersError',
      'AuthFailure', // EC2: the signature, the key or the token; the hint names each
      'MissingAuthenticationToken',
      'MissingAuthenticationTokenException',
      'XAmzContentSHA256Mismatch',
    ],
  ],
  ['clock-skew', ['RequestTimeTooSkewed', 'RequestExpired', 'RequestInTheFuture']],
  [
    'expired-token',
    ['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired', 'RequestTokenExpired'],
  ],
  [
    'unknown-key',
    [
      'InvalidClientTokenId',
      'UnrecognizedClientException',
      'InvalidAccessKeyId',
      'InvalidToken',
      'InvalidSecurity',
    ],
  ],
  [
    'access-denied',
    [
      'AccessDenied',
      'AccessDeniedException',
      'UnauthorizedOperation',
      'Forbidden',
      'ForbiddenException',
      'AuthorizationError',
      'NotAuthorized',
      'AllAccessDisabled',
    ],
  ],
  [
    'throttling',
    // @smithy/service-error-classification's THROTTLING_ERROR_CODES, as botocore's standard retry mode.
    [
      'Throttling',
      'ThrottlingException',
      'ThrottledException',
      'RequestThrottledException',
      'TooManyRequestsException',
      'ProvisionedThroughputExceededException',
      'TransactionInProgressException',
      'RequestLimitExceeded',
      'BandwidthLimitExceeded',
      'RequestThrottled',
      'SlowDown',
      'PriorRequestNotComplete',
      'EC2ThrottledException',
    ],
  ],
  [
    'server',
    [
      'InternalFailure',
      'InternalError',
      'InternalServerError',
      'InternalServerException',
      'InternalServiceError',
      'InternalServiceException',
      'ServiceUnavailable',
      'ServiceUnavailableException',
      'ServiceFailure',
      'Unavailable',
      // Transient per @smithy/service-error-classification: the connection, not the request, failed.
      'RequestTimeout',
      'RequestTimeoutException',
    ],
  ],
  [
    'not-found',
    [
      'ResourceNotFoundException',
      'ResourceNotFound',
      'NoSuchBucket',
      'NoSuchKey',
      'NoSuchUpload',
      'NoSuchEntity',
      'NotFound',
      'NotFoundException',
    ],
  ],
];

const KIND_OF_CODE = new Map<string, AwsErrorKind>(
  CODES.flatMap(([kind, codes]) => codes.map((code) => [code, kind] as const)),
);

/** Codes that mean new credentials can cure the failure. */
export const REFRESHABLE_CODES: ReadonlySet<string> = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidToken',
]);

// AWS's messages for a request time out of the window, in every service's wording.
const SKEW_MESSAGE =
  /Signature expired|Signature not yet current|request time (?:is )?too skewed|difference between the request time and the (?:current|server's) time is too large|Request has expired|Request is not yet valid/i;

/** Kinds read from the message alone, for bodies without a code (AMP, API Gateway, proxies). */
const MESSAGE_KINDS: ReadonlyArray<readonly [RegExp, AwsErrorKind]> = [
  [SKEW_MESSAGE, 'clock-skew'],
  [/security token included in the request is expired|token has expired/i, 'expired-token'],
  [
    /security token included in the request is invalid|does not exist in our records/i,
    'unknown-key',
  ],
  [/signature we calculated does not match|Missing Authentication Token/i, 'signature'],
  [/is not authorized to perform|not authorized to access|Access Denied/i, 'access-denied'],
  [/Rate exceeded|Too Many Requests|throttl/i, 'throttling'],
];

function byCodeShape(code: string, service: string | undefined): AwsErrorKind | undefined {
  // CloudWatch Logs and Kinesis say LimitExceededException for request rates; elsewhere it is a quota.
  if (code === 'LimitExceededException')
    return service === undefined || ['logs', 'kinesis', 'firehose'].includes(service)
      ? 'throttling'
      : 'invalid-request';
  if (/Throttl/i.test(code)) return 'throttling';
  if (/(?:^NoSuch|NotFound(?:Exception)?$)/.test(code)) return 'not-found';
  return undefined;
}

/** The kind an HTTP status alone implies, for answers whose code says nothing known. */
function byStatus(status: number, hasCode: boolean): AwsErrorKind {
  if (status === 429) return 'throttling';
  if (status >= 500 || status === 408) return 'server';
  if (status === 404) return 'not-found';
  // A bare 403/401 is AWS refusing the caller; an unknown code under them is the request's own fault.
  if (status === 403 && !hasCode) return 'access-denied';
  if (status === 401 && !hasCode) return 'signature';
  return 'invalid-request';
}

/**
 * EC2 answers RequestExpired both for a skewed clock and for an expired
 * session token. When the signing time agreed with AWS's clock, the token is
 * what expired.
 */
function requestExpiredKind(
  context: AwsRequestContext,
  serverTime: Date | undefined,
): AwsErrorKind {
  const signedAt = context.signedAt?.getTime();
  if (signedAt === undefined || serverTime === undefined) return 'clock-skew';
  if (Math.abs(serverTime.getTime() - signedAt) > SKEW_TOLERANCE_MS) return 'clock-skew';
  return context.accessKeyId?.startsWith('AKIA') ? 'clock-skew' : 'expired-token';
}

export interface Classified {
  readonly kind: AwsErrorKind;
  readonly retryable: boolean;
}

export function classify(
  code: string | undefined,
  status: number,
  message: string,
  context: AwsRequestContext,
  serverTime: Date | undefined,
): Classified {
  let kind: AwsErrorKind | undefined;
  if (code === 'RequestExpired') kind = requestExpiredKind(context, serverTime);
  else if (code !== undefined) kind = KIND_OF_CODE.get(code);
  // STS, API Gateway and the JSON services report a stale signature as a signature error.
  if ((kind === 'signature' || kind === 'access-denied') && SKEW_MESSAGE.test(message))
    kind = 'clock-skew';
  if (kind === undefined && code !== undefined) kind = byCodeShape(code, context.service);
  if (kind === undefined && code === undefined)
    kind = MESSAGE_KINDS.find(([pattern]) => pattern.test(message))?.[1];
  kind ??= byStatus(status, code !== undefined);
  return { kind, retryable: RETRYABLE.has(kind) };
}

/** Throttling and server errors pass; skew and expiry pass once the caller corrects them. */
const RETRYABLE: ReadonlySet<AwsErrorKind> = new Set([
  'throttling',
  'server',
  'clock-skew',
  'expired-token',
]);
