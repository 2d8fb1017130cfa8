/**
 * The contract between `signet local`'s HTTP core and its AWS services. The
 * core receives a request, verifies its signature, finds the principal, checks
 * the policy for the operation the service names, and renders errors in the
 * service's own shape; a service only parses, acts and answers.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** How a service's errors look on the wire. */
export type Protocol =
  | 'json' // JSON 1.0/1.1: X-Amz-Target, body {"__type": code, "message": …}
  | 'rest-json' // REST-JSON (X-Ray, AMP): x-amzn-ErrorType header, body {"message": …}
  | 'query' // query API (STS, CloudWatch query): <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
  | 'ec2' // EC2 query: <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>
  | 'rest-xml'; // S3: <Error><Code/><Message/><Resource/><RequestId/></Error>

/** Who made a verified request. */
export interface Principal {
  /** `arn:aws:iam::123456789012:user/demo` or `arn:aws:sts::…:assumed-role/Role/session`. */
  readonly arn: string;
  readonly accountId: string;
  /** The IAM user id or role id (AIDA…/AROA…), as GetCallerIdentity reports `UserId`. */
  readonly userId: string;
  readonly accessKeyId: string;
}

/** A request after the core has read it and checked its signature. */
export interface LocalRequest {
  readonly method: string;
  /** The path as sent, percent-encoded. */
  readonly rawPath: string;
  /** The path with percent-escapes decoded. */
  readonly path: string;
  readonly query: URLSearchParams;
  /**
   * The query string as sent: `query` reads it as AWS does (a `+` is a plus);
   * a non-AWS API (Loki) reads it as an HTML form, where `+` is a space.
   */
  readonly rawQuery?: string;
  /** Lower-case names, as node:http gives them. */
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as sent (an `aws-chunked` body is left for the service to decode). */
  readonly body: Buffer;
  /**
   * For header-signed requests: what a service needs to verify chunk signatures
   * of a streaming (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`) body.
   */
  readonly signing?: {
    readonly seedSignature: string;
    readonly signingKey: Buffer;
    readonly amzDate: string;
    readonly scope: string;
  };
  /** The host the client addressed, without port (for S3 virtual-host style). */
  readonly host: string;
  /** The region this server stands in for. */
  readonly region: string;
  /** Undefined only for the unsigned credential endpoints (IMDS, ECS) and `/_signet`. */
  readonly principal: Principal | undefined;
  /** Milliseconds since the epoch on the server's clock. */
  readonly now: number;
  readonly requestId: string;
  /**
   * Set by the core when a `partial` fault hits a batch operation: which
   * records of the batch to report as failed instead of taking them.
   */
  readonly failRecord?: (index: number) => RecordFault | undefined;
}

/** A per-record failure a batch answer reports instead of accepting the record. */
export interface RecordFault {
  /** Reported as the record's `ErrorCode` (or the error code of a failed single put). */
  readonly code: string;
  readonly message: string;
}

export interface LocalResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

/** An error a service answers with; the core renders it in the service's protocol. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** `Sender` or `Receiver` in query-API errors. */
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
    /** S3's <Resource>, and similar extras. */
    readonly extra: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** What a request calls, for the policy check and the request log. */
export interface Operation {
  /** The IAM action, e.g. `logs:PutLogEvents`, `s3:PutObject`, `aps:RemoteWrite`. */
  readonly action: string;
  /** The resource ARN the action applies to (`*` where AWS uses none). */
  readonly resource: string;
  /** The operation's name, e.g. `PutLogEvents`. */
  readonly name: string;
}

/** One AWS service of the local server. */
export interface LocalService {
  /** The SigV4 signing name the credential scope must carry: `logs`, `s3`, `aps`… */
  readonly signingName: string;
  readonly protocol: Protocol;
  /**
   * Which operation a request calls, or undefined when the request is not for
   * this service. Must not read state; may throw ServiceError for a request that
   * is this service's but malformed (unknown operation, bad JSON). The core
   * asks twice: first to route the request (no principal yet), then once the
   * signature is verified, so that resource ARNs name the caller's account.
   */
  operation(request: LocalRequest): Operation | undefined;
  /** Operations that report failures per record, which a `partial` fault applies to. */
  readonly batchOperations?: ReadonlySet<string>;
  /** Carries the operation out. Throws ServiceError for an error answer. */
  handle(request: LocalRequest, operation: Operation): Promise<LocalResponse> | LocalResponse;
  /**
   * The service's part of the unsigned control API: answers requests under
   * `/_signet/{signingName}/`, undefined for a path it does not serve.
   */
  control?(request: LocalRequest): LocalResponse | undefined;
}

/** Where services keep what they accepted; in memory, or also in `--data-dir`. */
export interface ServiceStore {
  /** Loads a service's saved state (undefined when none); called once at start. */
  load<T>(service: string): T | undefined;
  /** Saves a service's state; cheap to call after every change (writes are batched). */
  save(service: string, state: unknown): void;
}

export const DEFAULT_ACCOUNT_ID = '123456789012';

/** The account a request acts in: its principal's, or the default one for anonymous requests. */
export function accountOf(request: LocalRequest): string {
  return request.principal?.accountId ?? DEFAULT_ACCOUNT_ID;
}
