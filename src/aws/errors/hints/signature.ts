/**
 * Why a signature did not verify, most likely cause first, from what the
 * context and AWS's answer show: a region or service other than the
 * endpoint's, a request altered on the way (AWS's string to sign differs from
 * Signet's), or — when AWS computed the very same string — a wrong secret.
 */
import { canonicalDifference, stringToSignDifference } from './canonical-diff.js';
import { SKEW_TOLERANCE_MS } from '../skew.js';
import type { HintInput } from './input.js';
import { keyWords } from './words.js';

function scopeCauses(input: HintInput): string[] {
  const { context, awsMessage, body } = input;
  const causes: string[] = [];
  // S3: "the region 'us-east-1' is wrong; expecting 'eu-west-1'" (also <Region>).
  const wrongRegion = /region '([\w-]+)' is wrong; expecting '([\w-]+)'/.exec(awsMessage);
  const expectedRegion = context.expectedRegion ?? wrongRegion?.[2] ?? body.region;
  const signedRegion = context.region ?? wrongRegion?.[1];
  if (expectedRegion && signedRegion && expectedRegion !== signedRegion) {
    causes.push(
      `the request was signed for region ${signedRegion} but the endpoint is in ${expectedRegion}: set region: ${expectedRegion}`,
    );
  } else if (/scoped to a valid region/i.test(awsMessage)) {
    causes.push(
      `AWS rejects the signing region${signedRegion ? ` ${signedRegion}` : ''}: set region to the one in the endpoint's host name`,
    );
  }
  const scopedService = /scoped to (?:the )?correct service:?\s*'([\w-]+)'/i.exec(awsMessage)?.[1];
  const expectedService = context.expectedService ?? scopedService;
  if (expectedService && context.service && expectedService !== context.service) {
    causes.push(
      `the request was signed for service ${context.service} but the endpoint is ${expectedService}'s: set service: ${expectedService}`,
    );
  } else if (scopedService && !context.service) {
    causes.push(`AWS expects the signing name ${scopedService}: set service: ${scopedService}`);
  }
  return causes;
}

/** What comparing AWS's computed strings with Signet's shows, if both are at hand. */
function comparisonCause(input: HintInput): string | undefined {
  const { context, body } = input;
  if (context.stringToSign && body.stringToSign) {
    const diff = stringToSignDifference(context.stringToSign, body.stringToSign);
    if (diff === 'same') {
      return `AWS computed the same string to sign as Signet, so the request arrived intact and the secret key is wrong: it does not belong to ${keyWords(context)}`;
    }
    if (diff === 'date')
      return 'AWS read a different request time than Signet signed: something between them changed the x-amz-date or Date header';
    if (diff === 'scope')
      return 'AWS read a different credential scope than Signet signed (date, region or service)';
  }
  if (context.canonicalRequest && body.canonicalRequest) {
    const where = canonicalDifference(context.canonicalRequest, body.canonicalRequest);
    if (where) {
      const proxy = context.viaProxy ? 'the configured proxy' : 'a proxy or load balancer';
      return `the request changed on its way to AWS (${proxy} re-encoding the path or adding or changing headers): it differs in ${where}`;
    }
    return `AWS received exactly the request Signet signed, so the secret key is wrong: it does not belong to ${keyWords(context)}`;
  }
  if (context.stringToSign && body.stringToSign) {
    const proxy = context.viaProxy ? 'the configured proxy' : 'a proxy or load balancer';
    return `the request changed on its way to AWS (${proxy} re-encoding the path or adding or changing headers): AWS's string to sign differs from Signet's`;
  }
  return undefined;
}

function specialCause(input: HintInput): string | undefined {
  const { code, context, url } = input;
  if (
    /^MissingAuthenticationToken/.test(code) ||
    /Missing Authentication Token/i.test(input.awsMessage)
  ) {
    return `AWS saw no signature: something on the way dropped the Authorization header, or (API Gateway) the path or stage does not exist — API Gateway answers "Missing Authentication Token" for unknown routes: check ${url ?? 'the URL'}`;
  }
  if (code === 'XAmzContentSHA256Mismatch')
    return 'the body changed after Signet signed it (a proxy re-encoding or recompressing it)';
  if (code === 'AuthFailure')
    return `AWS could not validate ${keyWords(context)}: the key may be unknown or disabled, its session token missing, or the signature wrong`;
  if (/^IncompleteSignature/.test(code) || code === 'AuthorizationQueryParametersError')
    return 'the Authorization header (or presigned query) reached AWS incomplete: a proxy may have rewritten or truncated it';
  return undefined;
}

function fallbackCauses(input: HintInput): string[] {
  const { context } = input;
  const proxy = context.viaProxy
    ? 'the configured proxy altering the path or signed headers'
    : 'a proxy altering the path or signed headers';
  const causes = [`a wrong secret key for ${keyWords(context)}`];
  // A region or service the caller knows to match the endpoint is no suspect.
  if (!context.expectedRegion || !context.region)
    causes.push(
      `a region other than the endpoint's${context.region ? ` (signed for ${context.region})` : ''}`,
    );
  if (!context.expectedService || !context.service)
    causes.push(
      `a service name other than the endpoint's${context.service ? ` (signed for ${context.service})` : ''}`,
    );
  const local = context.localNow?.getTime();
  const clockAgrees =
    input.serverDate !== undefined &&
    local !== undefined &&
    Math.abs(input.serverDate.getTime() - local) <= SKEW_TOLERANCE_MS;
  if (!clockAgrees) causes.push('a badly wrong clock');
  // A configured proxy is the first suspect when nothing else tells.
  if (context.viaProxy) return [proxy, ...causes];
  return clockAgrees ? [...causes, proxy] : [...causes.slice(0, -1), proxy, causes.at(-1)!];
}

export function signatureHint(input: HintInput): string {
  const causes = [...scopeCauses(input)];
  const special = specialCause(input);
  if (special) causes.push(special);
  const comparison = comparisonCause(input);
  if (comparison) causes.push(comparison);
  if (causes.length === 0) causes.push(...fallbackCauses(input));
  if (causes.length === 1) return `The signature did not verify: ${causes[0]}.`;
  return `The signature did not verify; likely causes, most likely first: ${causes
    .map((cause, i) => `(${i + 1}) ${cause}`)
    .join('; ')}.`;
}
