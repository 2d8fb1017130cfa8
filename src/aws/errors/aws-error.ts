import { SignetError } from '../../errors.js';
import type { AwsErrorKind } from './types.js';

/** Everything an AwsError carries; parseAwsError fills it in. */
export interface AwsErrorInit {
  readonly message: string;
  readonly hint: string;
  readonly code: string;
  readonly status: number;
  readonly awsMessage: string;
  readonly requestId: string | undefined;
  readonly kind: AwsErrorKind;
  readonly retryable: boolean;
  readonly serverDate: Date | undefined;
  readonly reportedServerTime?: Date | undefined;
  readonly deniedAction?: string | undefined;
  readonly deniedResource?: string | undefined;
  readonly deniedPrincipal?: string | undefined;
  readonly awsStringToSign?: string | undefined;
  readonly awsCanonicalRequest?: string | undefined;
  readonly service?: string | undefined;
  readonly method?: string | undefined;
  readonly url?: string | undefined;
}

/**
 * An error answer from AWS (or from whatever answered in its place), typed
 * and explained. Nothing in it is secret: access key ids are masked and
 * echoed session tokens removed.
 */
export class AwsError extends SignetError {
  /** AWS's code, e.g. `SignatureDoesNotMatch`; `HTTP503` style when the answer had none. */
  readonly code: string;
  readonly status: number;
  /** AWS's own message, redacted. */
  readonly awsMessage: string;
  /** From x-amzn-RequestId, x-amz-request-id, the body, or x-amz-id-2. */
  readonly requestId: string | undefined;
  readonly kind: AwsErrorKind;
  /** Worth sending again: throttling and server errors, and clock skew and expiry once corrected. */
  readonly retryable: boolean;
  /** The response's `Date` header: AWS's clock (or a proxy's). */
  readonly serverDate: Date | undefined;
  /** AWS's clock as the body states it (S3's <ServerTime>, "Signature expired: … (T - 15 min.)"). */
  readonly reportedServerTime: Date | undefined;
  /** For access-denied: the IAM action AWS names, e.g. `logs:PutLogEvents`. */
  readonly deniedAction?: string;
  readonly deniedResource?: string;
  /** The principal AWS names, e.g. `arn:aws:sts::123456789012:assumed-role/R/s`. */
  readonly deniedPrincipal?: string;
  /** The string to sign AWS computed (S3's <StringToSign>, or quoted by JSON services), redacted. */
  readonly awsStringToSign: string | undefined;
  /** The canonical request AWS computed, redacted. */
  readonly awsCanonicalRequest: string | undefined;
  /** The signing name, method and query-less URL of the request, as the caller gave them. */
  readonly service: string | undefined;
  readonly method: string | undefined;
  readonly url: string | undefined;

  constructor(init: AwsErrorInit) {
    super(init.message, { hint: init.hint });
    this.code = init.code;
    this.status = init.status;
    this.awsMessage = init.awsMessage;
    this.requestId = init.requestId;
    this.kind = init.kind;
    this.retryable = init.retryable;
    this.serverDate = init.serverDate;
    this.reportedServerTime = init.reportedServerTime;
    if (init.deniedAction !== undefined) this.deniedAction = init.deniedAction;
    if (init.deniedResource !== undefined) this.deniedResource = init.deniedResource;
    if (init.deniedPrincipal !== undefined) this.deniedPrincipal = init.deniedPrincipal;
    this.awsStringToSign = init.awsStringToSign;
    this.awsCanonicalRequest = init.awsCanonicalRequest;
    this.service = init.service;
    this.method = init.method;
    this.url = init.url;
  }

  /** The hint is always set for an AwsError. */
  declare readonly hint: string;
}
