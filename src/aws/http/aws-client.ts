/**
 * Sends signed requests to one AWS service and region, and recovers from the
 * two failures fresh state can cure: a clock AWS calls skewed (sign again with
 * the corrected time) and credentials AWS calls expired or unknown (refresh
 * them and sign again). Each is retried once; everything else is the caller's.
 */
import { createHash } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { CorrectedClock } from '../clock.js';
import {
  clockSkewOffset,
  isRefreshableAuthError,
  parseAwsError,
  type AwsError,
} from '../errors/index.js';
import { inferEndpoint } from '../endpoints.js';
import type { CredentialProvider } from '../credentials/types.js';
import { SigV4Signer } from '../sigv4/signer.js';
import type { AwsCredentials, SignerOptions } from '../sigv4/types.js';
import { httpRequest, type HttpResponse } from './request.js';

export interface AwsClientOptions {
  readonly service: string;
  readonly region: string;
  readonly credentials: CredentialProvider;
  /** Shared by every client of the process: the skew is the machine's. */
  readonly clock?: CorrectedClock;
  readonly signer?: Omit<SignerOptions, 'service' | 'region' | 'clock'>;
  readonly timeoutMs?: number;
  readonly dispatcher?: Dispatcher;
  /** Told of each retry and why, e.g. for a log line or a metric. */
  readonly onRetry?: (reason: 'clock-skew' | 'refresh-credentials', error: AwsError) => void;
}

export interface AwsRequest {
  readonly method: string;
  /** Absolute URL; its host is what gets signed. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

/** AWS's answers that refuse the credentials themselves (not the request or the policy). */
const CREDENTIAL_REFUSALS: ReadonlySet<string> = new Set([
  'unknown-key',
  'signature',
  'expired-token',
]);

/** Tells credentials apart without keeping another copy of the secret. */
function fingerprint(c: AwsCredentials): string {
  return createHash('sha256')
    .update(`${c.accessKeyId}\0${c.secretAccessKey}\0${c.sessionToken ?? ''}`)
    .digest('base64');
}

export class AwsClient {
  /** The fingerprint of the credentials AWS last refused, until it accepts a request. */
  private refusedWith: string | undefined;
  readonly service: string;
  readonly region: string;
  readonly clock: CorrectedClock;
  private readonly signer: SigV4Signer;

  constructor(private readonly options: AwsClientOptions) {
    this.service = options.service;
    this.region = options.region;
    this.clock = options.clock ?? new CorrectedClock();
    this.signer = new SigV4Signer({
      ...options.signer,
      service: options.service,
      region: options.region,
      clock: this.clock.now,
    });
  }

  /**
   * Forces a credential refresh (rate-limited by the provider), for a caller
   * about to resend what AWS refused: send() refreshes by itself only on the
   * codes AWS reserves for stale credentials.
   */
  async refreshCredentials(): Promise<void> {
    await this.options.credentials.forceRefresh();
  }

  /**
   * Whether the credentials now differ from those AWS last refused (a
   * rewritten credentials file, a new role session): a held sender retries
   * at once when they do. Cheap: the provider stats its files at most every
   * few seconds.
   */
  async credentialsChanged(): Promise<boolean> {
    if (this.refusedWith === undefined) return false;
    try {
      return fingerprint(await this.options.credentials.get()) !== this.refusedWith;
    } catch {
      return false;
    }
  }

  /** Sends the request; resolves with a 2xx response, or throws an `AwsError` or `NetworkError`. */
  async send(request: AwsRequest): Promise<HttpResponse> {
    let credentials = await this.options.credentials.get();
    let correctedClock = false;
    let refreshed = false;
    for (;;) {
      const signedAt = new Date(this.clock.now());
      const { response, stringToSign, canonicalRequest } = await this.attempt(
        request,
        credentials,
        signedAt,
      );
      if (response.status >= 200 && response.status < 300) {
        this.options.credentials.noteAnswer?.(undefined);
        this.refusedWith = undefined;
        return response;
      }
      const localNow = new Date(this.clock.localNow());
      const error = parseAwsError(response, {
        url: request.url,
        method: request.method,
        service: this.service,
        region: this.region,
        signedAt,
        localNow,
        accessKeyId: credentials.accessKeyId,
        credentialSource: this.options.credentials.status().source,
        stringToSign,
        canonicalRequest,
        ...this.expected(request.url),
      });
      const offset = correctedClock ? undefined : clockSkewOffset(error, localNow);
      if (offset !== undefined && error.serverDate) {
        correctedClock = true;
        this.clock.correct(error.serverDate, localNow.getTime());
        this.options.onRetry?.('clock-skew', error);
        continue;
      }
      if (!refreshed && isRefreshableAuthError(error)) {
        refreshed = true;
        const fresh = await this.options.credentials.forceRefresh();
        if (
          fresh.accessKeyId !== credentials.accessKeyId ||
          fresh.sessionToken !== credentials.sessionToken
        ) {
          credentials = fresh;
          this.options.onRetry?.('refresh-credentials', error);
          continue;
        }
      }
      if (CREDENTIAL_REFUSALS.has(error.kind)) {
        this.refusedWith = fingerprint(credentials);
        this.options.credentials.noteAnswer?.(`${error.code ?? error.kind}: ${error.message}`);
      }
      throw error;
    }
  }

  private async attempt(request: AwsRequest, credentials: AwsCredentials, signedAt: Date) {
    const url = new URL(request.url);
    const signed = this.signer.sign(
      {
        method: request.method,
        host: url.host,
        path: url.pathname,
        query: url.search.slice(1),
        headers: request.headers ?? {},
        ...(request.body === undefined ? {} : { body: request.body }),
      },
      credentials,
      { signingDate: signedAt },
    );
    const target = `${url.protocol}//${url.host}${signed.path}${signed.query ? `?${signed.query}` : ''}`;
    const response = await httpRequest({
      method: request.method,
      url: target,
      headers: signed.headers,
      body: request.body,
      ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
      ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
    });
    return {
      response,
      stringToSign: signed.stringToSign,
      canonicalRequest: signed.canonicalRequest,
    };
  }

  private expected(url: string): { expectedRegion?: string; expectedService?: string } {
    const inferred = inferEndpoint(new URL(url).hostname);
    if (!inferred) return {};
    return {
      expectedService: inferred.service,
      ...(inferred.region ? { expectedRegion: inferred.region } : {}),
    };
  }
}
