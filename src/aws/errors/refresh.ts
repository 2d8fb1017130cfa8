import type { AwsError } from './aws-error.js';
import { REFRESHABLE_CODES } from './classify.js';

/**
 * Errors that new credentials can cure: ExpiredToken, ExpiredTokenException,
 * InvalidClientTokenId, UnrecognizedClientException, TokenRefreshRequired (and
 * S3's InvalidToken / ExpiredToken), and EC2's RequestExpired when it is the
 * token that expired.
 */
export function isRefreshableAuthError(error: AwsError): boolean {
  return REFRESHABLE_CODES.has(error.code) || error.kind === 'expired-token';
}
