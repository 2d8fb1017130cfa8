/** Hints for the kinds that need no detective work: throttling, server, not-found, invalid requests, and answers not from AWS. */
import { oneLine } from '../sanitize.js';
import type { HintInput } from './input.js';
import { endpointWords } from './words.js';

export function throttlingHint(input: HintInput): string {
  const { code, context } = input;
  const retry = 'Signet retries with backoff';
  if (code === 'ProvisionedThroughputExceededException')
    return `The stream's shards are at their write limit: ${retry}; if it persists, add shards or spread partition keys.`;
  if (code === 'SlowDown')
    return `S3 asks to slow down on this prefix: ${retry}; if it persists, spread objects over more prefixes.`;
  const service = context.expectedService ?? context.service;
  const extra =
    service === 'aps'
      ? " or check the workspace's ingestion-rate and active-series quotas"
      : service === 'logs'
        ? ' or check the CloudWatch Logs PutLogEvents quota'
        : '';
  return `AWS is throttling requests to ${endpointWords(context)}: ${retry}; if it persists, send larger batches less often${extra}, or ask for a higher quota in Service Quotas.`;
}

export function serverHint(input: HintInput): string {
  const { status, context, body } = input;
  const retry = 'Signet retries with backoff';
  // An empty gateway error without AWS's request id came from whatever stands in front of AWS.
  if (body.shape === 'empty' && input.requestId === undefined && [502, 503, 504].includes(status)) {
    return `${answeredByOther(input)} ${retry}.`;
  }
  const proxy =
    context.viaProxy && status >= 502 && status <= 504
      ? ', or the configured proxy could not reach AWS'
      : '';
  return `${endpointWords(context)} had a temporary failure (status ${status})${proxy}: ${retry}; if it persists, check the AWS Health Dashboard.`;
}

export function notFoundHint(input: HintInput): string {
  const { code, context } = input;
  const service = context.expectedService ?? context.service;
  const region = context.region ?? context.expectedRegion;
  const inRegion = region ? ` in ${region}` : '';
  if (code === 'NoSuchBucket')
    return `The bucket does not exist: check its name, and that the URL names the bucket's region.`;
  if (service === 'logs' && code === 'ResourceNotFoundException')
    return `The log group or log stream does not exist${inRegion}: create it, or allow logs:CreateLogGroup and logs:CreateLogStream so it can be created.`;
  if (service === 'aps')
    return `No AMP workspace answers at this URL${inRegion}: check the workspace id and that the URL ends in /api/v1/remote_write (or the query path).`;
  return `AWS says it does not exist${inRegion}: check the name or id in the request, and that it lives in this account and region (resources are per region).`;
}

export function invalidRequestHint(input: HintInput): string {
  const { code, status } = input;
  if (status === 413 || /TooLarge|EntityTooLarge|PayloadTooLarge/i.test(code))
    return 'The request is larger than AWS accepts: lower the batch size. Not retryable as it is.';
  if (
    /^(?:SerializationException|InvalidAction|MissingAction|UnknownOperationException|InvalidQueryParameter|MalformedQueryString)$/.test(
      code,
    )
  )
    return `AWS could not read the request (${code}): this looks like a Signet bug — please report it with the request id. Not retryable.`;
  const said = oneLine(input.awsMessage, 160);
  return `AWS refused the request as invalid${said ? ` ("${said}")` : ''}: check the setting that feeds the value it names. Not retryable as it is.`;
}

/** When the answer did not come from AWS at all. */
export function answeredByOther(input: HintInput): string {
  const { body, context, status } = input;
  const what =
    body.shape === 'html'
      ? `an HTML page${body.title ? ` ("${body.title}")` : ''}`
      : 'an empty answer';
  const who = context.viaProxy
    ? 'the configured proxy answered instead of AWS — check the proxy, and NO_PROXY for AWS endpoints'
    : 'something between Signet and AWS answered — a proxy, load balancer, firewall or captive portal; check HTTPS_PROXY/NO_PROXY and that the host resolves to AWS';
  return `Status ${status} came with ${what}, not an AWS error: ${who}.`;
}

export function emptyBodyNote(input: HintInput): string {
  return input.body.shape === 'empty'
    ? ' AWS sent no error body (HEAD requests never carry one), so the cause is inferred from the status alone.'
    : '';
}
