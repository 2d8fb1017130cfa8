/**
 * AWS error answers, typed and explained: parseAwsError reads any AWS error
 * shape (S3 XML, query XML, EC2 XML, JSON, REST-JSON, AMP's plain text, a
 * proxy's HTML) into an AwsError with a kind and a plain-words hint.
 */
export type { AwsErrorKind, AwsErrorResponse, AwsRequestContext } from './types.js';
export { AwsError, type AwsErrorInit } from './aws-error.js';
export { parseAwsError } from './parse.js';
export { clockSkewOffset } from './skew.js';
export { describeAwsError } from './describe.js';
export { isRefreshableAuthError } from './refresh.js';
