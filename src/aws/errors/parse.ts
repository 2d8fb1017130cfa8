/**
 * parseAwsError: any AWS error answer (or whatever answered in AWS's place)
 * into a typed, explained AwsError. Never throws.
 */
import { AwsError } from './aws-error.js';
import { classify } from './classify.js';
import { parseDenial, type Denial } from './denied.js';
import { firstHeader, headerMap, httpDate } from './headers.js';
import { buildHint } from './hints/index.js';
import { decodeBody, parseBody } from './parse-body.js';
import { displayUrl, oneLine, sanitizeText } from './sanitize.js';
import { parseAwsTime, serverTimeFromMessage } from './skew.js';
import type { AwsErrorResponse, AwsRequestContext } from './types.js';

function summary(
  code: string,
  status: number,
  requestId: string | undefined,
  awsMessage: string,
  context: AwsRequestContext,
  url: string | undefined,
): string {
  const target = [context.method?.toUpperCase(), url].filter(Boolean).join(' ');
  const from = `from ${context.service ?? context.expectedService ?? 'AWS'}${target ? ` ${target}` : ''}`;
  const id = requestId ? `request id ${requestId}` : 'no request id';
  const said = oneLine(awsMessage) || '(no message)';
  return `${code} ${from} (status ${status}, ${id}): ${said}`;
}

export function parseAwsError(
  response: AwsErrorResponse,
  context: AwsRequestContext = {},
): AwsError {
  const status = Number.isInteger(response.status) ? response.status : 0;
  const headers = headerMap(response.headers ?? {});
  let body = parseBody(decodeBody(response.body ?? ''), headers);
  const accessKeyId = context.accessKeyId;
  const awsMessage = sanitizeText(body.message, accessKeyId);
  const code = body.code ?? `HTTP${status}`;
  const requestId =
    firstHeader(headers, 'x-amzn-requestid', 'x-amz-request-id', 'x-amzn-request-id') ??
    body.requestId ??
    firstHeader(headers, 'x-amz-id-2', 'x-amz-apigw-id');
  const serverDate = httpDate(headers.get('date'));
  const reportedServerTime = parseAwsTime(body.serverTime) ?? serverTimeFromMessage(body.message);
  const { kind, retryable } = classify(
    body.code,
    status,
    body.message,
    context,
    reportedServerTime ?? serverDate,
  );
  const denial: Denial = kind === 'access-denied' ? parseDenial(awsMessage) : {};
  // What AWS computed may quote the session token; only redacted copies leave this function.
  body = {
    ...body,
    ...(body.stringToSign === undefined
      ? {}
      : { stringToSign: sanitizeText(body.stringToSign, accessKeyId) }),
    ...(body.canonicalRequest === undefined
      ? {}
      : { canonicalRequest: sanitizeText(body.canonicalRequest, accessKeyId) }),
  };
  const url = displayUrl(context.url);
  const hint = buildHint({
    code,
    status,
    kind,
    awsMessage,
    requestId,
    body,
    denial,
    serverDate,
    serverTime: reportedServerTime ?? serverDate,
    url,
    context: {
      ...context,
      // Compared with AWS's redacted copies, so redacted alike.
      ...(context.canonicalRequest === undefined
        ? {}
        : { canonicalRequest: sanitizeText(context.canonicalRequest, accessKeyId) }),
      ...(context.stringToSign === undefined
        ? {}
        : { stringToSign: sanitizeText(context.stringToSign, accessKeyId) }),
    },
  });
  return new AwsError({
    message: summary(code, status, requestId, awsMessage, context, url),
    hint,
    code,
    status,
    awsMessage,
    requestId,
    kind,
    retryable,
    serverDate,
    reportedServerTime,
    deniedAction: denial.action,
    deniedResource: denial.resource,
    deniedPrincipal: denial.principal,
    awsStringToSign: body.stringToSign,
    awsCanonicalRequest: body.canonicalRequest,
    service: context.service,
    method: context.method,
    url,
  });
}
