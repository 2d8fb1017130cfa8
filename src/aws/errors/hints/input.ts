import type { Denial } from '../denied.js';
import type { AwsErrorKind, AwsRequestContext, ParsedBody } from '../types.js';

/** What every hint builder may draw on. Texts here are already redacted. */
export interface HintInput {
  readonly code: string;
  readonly status: number;
  readonly kind: AwsErrorKind;
  readonly awsMessage: string;
  readonly requestId: string | undefined;
  readonly body: ParsedBody;
  readonly denial: Denial;
  /** The response's Date header. */
  readonly serverDate: Date | undefined;
  /** AWS's clock from the body, else the Date header. */
  readonly serverTime: Date | undefined;
  /** The request URL without query string. */
  readonly url: string | undefined;
  readonly context: AwsRequestContext;
}
