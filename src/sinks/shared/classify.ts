/**
 * Every way a send can fail, sorted into retry / refresh-and-retry / hold /
 * drop (verdict.ts). The rule: drop only what no fix can ever make the
 * endpoint accept. A refusal of who we are, where we sign for, or where we
 * write (credentials, IAM, region, a missing workspace) is held: once
 * someone fixes it the data goes through, and until then it stays in the
 * WAL, which is what a fix can save.
 */
import { NoCredentialsError, CredentialSourceError } from '../../aws/credentials/errors.js';
import { AwsError } from '../../aws/errors/index.js';
import { NetworkError } from '../../aws/http/request.js';
import { SignetError } from '../../errors.js';
import { EndpointHttpError } from './http.js';
import type { BlockedReason, DropReason, Verdict } from './verdict.js';

export interface ClassifyOptions {
  /** Retry (rather than drop) on HTTP 429. */
  readonly retryOnHttp429: boolean;
}

const TIMEOUT_CODES = new Set([
  'TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

// AWS and Prometheus wordings of a signature scoped to the wrong place.
const WRONG_REGION =
  /scoped to a valid region|region '[\w-]+' is wrong|signed for region \S+ but the endpoint|wrong region/i;
const WRONG_SERVICE =
  /scoped to (?:the )?correct service|service '[\w-]+' is wrong|signed for service \S+ but|wrong service/i;

export function classifySendError(error: unknown, options: ClassifyOptions): Verdict {
  if (error instanceof AwsError) return classifyAws(error, options);
  if (error instanceof EndpointHttpError) return classifyHttp(error, options);
  if (error instanceof NetworkError) return classifyNetwork(error);
  if (error instanceof NoCredentialsError || error instanceof CredentialSourceError) {
    return {
      action: 'refresh-and-retry',
      blocked: 'credentials',
      cause: 'no credentials',
      message: `no AWS credentials yet: ${error.message}`,
      hint: error.hint,
    };
  }
  // Not an answer from the endpoint (a bug, or something unforeseen): losing
  // data is worse than waiting, so it is retried.
  return {
    action: 'retry',
    cause: `error ${error instanceof Error ? error.name : typeof error}`,
    message: error instanceof Error ? error.message : String(error),
    hint: error instanceof SignetError ? error.hint : undefined,
  };
}

function classifyAws(error: AwsError, options: ClassifyOptions): Verdict {
  const base = {
    cause: `AWS ${error.code}`,
    status: error.status,
    message: error.message,
    hint: error.hint,
  };
  switch (error.kind) {
    case 'throttling':
      if (error.status === 429 && !options.retryOnHttp429) return rateLimitedDrop(base);
      return { ...base, action: 'retry' };
    case 'server':
      return { ...base, action: 'retry' };
    case 'clock-skew':
      return { ...base, action: 'refresh-and-retry', blocked: 'clock' };
    case 'expired-token':
      return { ...base, action: 'refresh-and-retry', blocked: 'credentials' };
    case 'unknown-key':
      return { ...base, action: 'hold', blocked: 'credentials' };
    case 'signature':
    case 'access-denied':
      return { ...base, action: 'hold', blocked: scopeReason(error) ?? blockedOf(error.kind) };
    case 'not-found':
      return { ...base, action: 'hold', blocked: 'not-found' };
    case 'invalid-request':
      if (error.status === 429) {
        return options.retryOnHttp429 ? { ...base, action: 'retry' } : rateLimitedDrop(base);
      }
      if (error.status >= 500) return { ...base, action: 'retry' };
      return poison(base, error.status, error.awsMessage);
  }
}

function classifyHttp(error: EndpointHttpError, options: ClassifyOptions): Verdict {
  const status = error.status;
  const base = {
    cause: `HTTP ${status}`,
    status,
    message: error.message,
    hint: error.hint,
    retryAfterMs: error.retryAfterMs,
  };
  if (status === 429) {
    return options.retryOnHttp429 ? { ...base, action: 'retry' } : rateLimitedDrop(base);
  }
  if (status >= 500 || status === 408) return { ...base, action: 'retry' };
  if (status === 401) return { ...base, action: 'hold', blocked: 'credentials' };
  if (status === 403) {
    const scoped = WRONG_REGION.test(error.bodyLine)
      ? 'region'
      : WRONG_SERVICE.test(error.bodyLine)
        ? 'service'
        : 'access-denied';
    return { ...base, action: 'hold', blocked: scoped };
  }
  if (status === 404) return { ...base, action: 'hold', blocked: 'not-found' };
  return poison(base, status, error.bodyLine);
}

function classifyNetwork(error: NetworkError): Verdict {
  if (TIMEOUT_CODES.has(error.code)) {
    // NetworkError says "Could not reach"; a timeout reached the endpoint, which did not answer.
    const detail = error.message.replace(/^Could not reach \S+: /, '');
    const connecting = error.code === 'UND_ERR_CONNECT_TIMEOUT';
    return {
      action: 'retry',
      cause: 'timeout',
      message: `timed out: ${error.url} ${connecting ? 'did not accept a connection' : 'did not answer'} in time (${detail})`,
      hint: connecting
        ? 'check the URL, security groups and proxies'
        : 'the endpoint is slow or overloaded; raise remote_timeout if this persists',
    };
  }
  return {
    action: 'retry',
    cause: `network ${error.code}`,
    message: error.message,
    hint: error.hint,
  };
}

/** A signature refused for the region or service it was scoped to, from AWS's words or the hint. */
function scopeReason(error: AwsError): BlockedReason | undefined {
  const text = `${error.awsMessage}\n${error.hint}`;
  if (WRONG_REGION.test(text)) return 'region';
  if (WRONG_SERVICE.test(text)) return 'service';
  return undefined;
}

function blockedOf(kind: 'signature' | 'access-denied'): BlockedReason {
  return kind === 'signature' ? 'signature' : 'access-denied';
}

interface VerdictBase {
  readonly cause: string;
  readonly status: number;
  readonly message: string;
  readonly hint: string | undefined;
}

function rateLimitedDrop(base: VerdictBase): Verdict {
  return { ...base, action: 'drop', dropReason: 'rate-limited', splittable: false };
}

/** A body the endpoint will never take. Halving may save the part that is not at fault. */
function poison(base: VerdictBase, status: number, said: string): Verdict {
  const dropReason: DropReason = status === 413 ? 'too-large' : dropReasonOf(said);
  return { ...base, action: 'drop', dropReason, splittable: true };
}

/** Prometheus, Cortex, Mimir and AMP wordings of a refused sample. */
export function dropReasonOf(said: string): DropReason {
  if (/out of order|out-of-order/i.test(said)) return 'out-of-order';
  if (/out of bounds|too old|too far in the past|too far behind/i.test(said)) return 'too-old';
  if (/duplicate sample/i.test(said)) return 'duplicate';
  if (/too large|too big|exceeds? (?:the )?(?:max|limit)/i.test(said)) return 'too-large';
  return 'invalid';
}
