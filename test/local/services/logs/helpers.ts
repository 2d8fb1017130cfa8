/**
 * Calls the logs service the way the core does — operation(), then handle() —
 * with hand-made requests, and a store that round-trips state through JSON
 * text as `--data-dir` would.
 */
import assert from 'node:assert/strict';
import {
  ServiceError,
  type LocalRequest,
  type LocalService,
  type ServiceStore,
} from '../../../../src/local/service.js';

/** A fixed clock: 2025-06-01T12:00:00Z. */
export const NOW = Date.UTC(2025, 5, 1, 12);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export class JsonStore implements ServiceStore {
  readonly saved = new Map<string, string>();
  saves = 0;
  load<T>(service: string): T | undefined {
    const text = this.saved.get(service);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  save(service: string, state: unknown): void {
    this.saved.set(service, JSON.stringify(state));
    this.saves++;
  }
}

export interface RequestOptions {
  readonly now?: number;
  readonly account?: string;
  /** The body as sent, instead of JSON.stringify(body). */
  readonly rawBody?: string;
  /** The whole X-Amz-Target header, instead of `Logs_20140328.<op>`. */
  readonly target?: string;
}

export function logsRequest(op: string, body: unknown, options: RequestOptions = {}): LocalRequest {
  const account = options.account ?? ACCOUNT;
  return {
    method: 'POST',
    rawPath: '/',
    path: '/',
    query: new URLSearchParams(),
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': options.target ?? `Logs_20140328.${op}`,
    },
    body: Buffer.from(options.rawBody ?? JSON.stringify(body)),
    host: `logs.${REGION}.amazonaws.com`,
    region: REGION,
    principal: {
      arn: `arn:aws:iam::${account}:user/demo`,
      accountId: account,
      userId: 'AIDAEXAMPLE',
      accessKeyId: 'AKIAEXAMPLE',
    },
    now: options.now ?? NOW,
    requestId: 'req-1',
  };
}

/** Runs one operation and answers its parsed JSON body. */
export async function call<T = Record<string, unknown>>(
  service: LocalService,
  op: string,
  body: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const request = logsRequest(op, body, options);
  const operation = service.operation(request);
  assert.ok(operation, `operation() claimed no operation for ${op}`);
  const response = await service.handle(request, operation);
  assert.equal(response.status, 200);
  assert.equal(response.headers?.['content-type'], 'application/x-amz-json-1.1');
  return JSON.parse(String(response.body)) as T;
}

/** Runs one operation that must fail, and answers its error after checking the code. */
export async function callError(
  service: LocalService,
  op: string,
  body: unknown,
  code: string,
  options: RequestOptions = {},
): Promise<ServiceError> {
  try {
    await call(service, op, body, options);
  } catch (error) {
    assert.ok(error instanceof ServiceError, `expected a ServiceError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`${op} succeeded; expected ${code}`);
}

export const GROUP = '/signet/test';
export const STREAM = 'host-1';

/** Creates GROUP and STREAM. */
export async function withStream(service: LocalService): Promise<void> {
  await call(service, 'CreateLogGroup', { logGroupName: GROUP });
  await call(service, 'CreateLogStream', { logGroupName: GROUP, logStreamName: STREAM });
}

export interface PutResult {
  nextSequenceToken?: string;
  rejectedLogEventsInfo?: {
    tooNewLogEventStartIndex?: number;
    tooOldLogEventEndIndex?: number;
    expiredLogEventEndIndex?: number;
  };
}

export function put(
  service: LocalService,
  logEvents: readonly { timestamp: number; message: string }[],
  options: RequestOptions = {},
): Promise<PutResult> {
  return call<PutResult>(
    service,
    'PutLogEvents',
    { logGroupName: GROUP, logStreamName: STREAM, logEvents },
    options,
  );
}

export interface OutEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  logStreamName?: string;
  eventId?: string;
}
