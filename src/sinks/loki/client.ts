/**
 * The Loki push client (Promtail's client): entries are batched per tenant
 * (X-Scope-OrgID from the entry's `__tenant_id__` label or `tenant_id`), a
 * batch goes out once its lines reach `batchsize` bytes or its first entry
 * has waited `batchwait`, as a snappy-compressed `logproto.PushRequest`.
 * Batches are sent one at a time, in the order they were closed, so the
 * entries of a stream arrive in the order they came.
 *
 * What a failure means is the shared classification's, narrowed to
 * Promtail's rule: 429, 5xx and network errors are retried with backoff up
 * to `max_retries` attempts (a 429 is dropped at once with
 * `drop_rate_limited_batches`); any other refusal drops the batch, counted
 * with its reason. Only credentials that renew themselves (an expired
 * session, a skewed clock, none fetched yet) are refreshed and retried
 * without limit, as every sink does.
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { LogEntry, LogLabels } from '../../model/log-entry.js';
import { AwsError } from '../../aws/errors/index.js';
import { classifySendError } from '../shared/classify.js';
import { FailureLog, type SinkLog } from '../shared/failure-log.js';
import { EndpointClient, EndpointHttpError } from '../shared/http.js';
import type { LogClient, LogClientProgress } from '../shared/log-client.js';
import { ProgressTracker } from '../shared/progress.js';
import { RetryingSender, type SendTarget } from '../shared/retry.js';
import type { Verdict } from '../shared/verdict.js';
import { within } from '../shared/within.js';
import { TenantBatch, entrySize } from './batch.js';
import { formatLabels, streamLabels, tenantOf } from './labels.js';
import type { LokiClientMetrics } from './metrics.js';
import {
  LokiOptionsError,
  createLokiDispatcher,
  resolveLokiOptions,
  type LokiClientOptions,
  type ResolvedLokiOptions,
} from './options.js';
import type { PushLabelPair } from './push-proto.js';
import { lokiDropReason, narrowToPromtail } from './verdicts.js';

export interface LokiClientDeps<Token> {
  readonly progress: LogClientProgress<Token>;
  /** From createLokiClientMetrics, once per agent. */
  readonly metrics: LokiClientMetrics;
  readonly log: SinkLog;
  /** Milliseconds; tests move it. */
  readonly now?: (() => number) | undefined;
  readonly failureLogIntervalMs?: number | undefined;
}

/** One push: the tenant's header goes with the body. */
interface PushBody {
  readonly tenant: string;
  readonly body: Buffer;
}

/** How long close waits, past drainMs, for a push in flight to end. */
const CLOSE_GRACE_MS = 1000;

/** Label strings remembered per client; a node's streams rarely number more. */
const LABEL_CACHE_SIZE = 10_000;

const PROTOCOL_HEADERS = {
  'content-type': 'application/x-protobuf',
} as const;

export class LokiClient<Token> implements LogClient<Token> {
  readonly name: string;
  readonly options: ResolvedLokiOptions;
  private readonly tracker: ProgressTracker<Token>;
  private readonly filling = new Map<string, TenantBatch>();
  /** Closed batches, oldest first; the first is being sent. */
  private readonly ready: TenantBatch[] = [];
  private bufferedBytes = 0;
  private closing = false;
  private stopped = false;
  private pumping: Promise<void> | undefined;
  private roomWaiters: (() => void)[] = [];
  private readonly ticker: NodeJS.Timeout;
  private readonly sender: RetryingSender<PushBody>;
  private readonly failures: FailureLog;
  private readonly endpoints = new Map<string, EndpointClient>();
  private readonly dispatcher: Dispatcher | undefined;
  private readonly ownDispatcher: Dispatcher | undefined;
  /** Failed attempts of the batch being sent, against max_retries. */
  private failedAttempts = 0;
  private readonly now: () => number;
  private readonly aws: LokiClientOptions['aws'];
  private readonly labelStrings = new Map<string, string>();

  constructor(
    given: LokiClientOptions,
    private readonly deps: LokiClientDeps<Token>,
  ) {
    this.options = resolveLokiOptions(given);
    this.name = this.options.name;
    this.now = deps.now ?? Date.now;
    this.aws = given.aws;
    this.tracker = new ProgressTracker<Token>(deps.progress.compare);
    if (given.aws && !given.dispatcher && (given.tlsConfig || given.proxyUrl)) {
      // The AwsClient sends through its own pool; tls_config and proxy_url would be ignored.
      throw new LokiOptionsError(
        `${this.options.path}: tls_config and proxy_url of a signed client need its connection pool`,
        {
          hint: 'build it with createLokiDispatcher and give it both to the signer and as `dispatcher`',
        },
      );
    }
    if (given.dispatcher || given.aws) {
      this.dispatcher = given.dispatcher;
    } else {
      this.ownDispatcher = createLokiDispatcher(given);
      this.dispatcher = this.ownDispatcher;
    }
    // Fails now, not at the first push, on a URL or auth mix that cannot work.
    this.endpointFor(this.options.tenantId);
    this.failures = new FailureLog({
      destination: `loki client ${this.name}`,
      log: deps.log,
      intervalMs: deps.failureLogIntervalMs,
      now: deps.now,
    });
    const { backoff } = this.options;
    this.sender = new RetryingSender<PushBody>(
      this.target(),
      (error) => this.classify(error),
      {
        minBackoffMs: backoff.minPeriodMs,
        maxBackoffMs: backoff.maxPeriodMs,
        holdMaxBackoffMs: backoff.maxPeriodMs,
      },
      this.failures,
      deps.now,
    );
    // Promtail checks batch ages ten times per batchwait.
    this.ticker = setInterval(
      () => this.closeOldBatches(),
      Math.max(10, this.options.batchWaitMs / 10),
    );
    this.ticker.unref();
  }

  enqueue(entries: readonly LogEntry[], token: Token): boolean {
    if (this.closing) return false;
    if (this.bufferedBytes >= this.options.maxBufferedBytes) return false;
    const seq = this.tracker.open(token);
    this.tracker.add(seq, entries.length);
    const { tenantId, batchSizeBytes } = this.options;
    const now = this.now();
    for (const entry of entries) {
      const tenant = tenantOf(entry.labels, tenantId);
      const labels = this.labelString(entry.labels);
      const metadata = metadataPairs(entry.structuredMetadata);
      const size = entrySize(entry.line, metadata);
      let batch = this.filling.get(tenant);
      // As Promtail: an entry that would take the batch past batchsize goes to the next one.
      if (batch && batch.entries > 0 && batch.bytes + size > batchSizeBytes) {
        this.closeBatch(batch);
        batch = undefined;
      }
      if (!batch) {
        batch = new TenantBatch(tenant, now);
        this.filling.set(tenant, batch);
      }
      batch.add(
        seq,
        labels,
        { timestampNs: entry.timestampNs, line: entry.line, structuredMetadata: metadata },
        size,
      );
      this.bufferedBytes += size;
      if (batch.bytes >= batchSizeBytes) this.closeBatch(batch);
    }
    // An empty chunk is finished at once (once those before it are).
    if (entries.length === 0) this.advance();
    return true;
  }

  waitForRoom(): Promise<unknown> {
    if (this.closing || this.bufferedBytes < this.options.maxBufferedBytes)
      return Promise.resolve();
    return new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  async close(options: { drainMs: number }): Promise<{ unsent: number }> {
    if (!this.closing) {
      this.closing = true;
      clearInterval(this.ticker);
      for (const batch of [...this.filling.values()]) this.closeBatch(batch);
      this.wakeRoomWaiters();
    }
    await within(this.pumping, options.drainMs);
    this.stopped = true;
    this.sender.stop();
    // A push in flight is cut off where the pool is ours; one through a
    // given pool ends within its timeout, and is not waited for much.
    await this.ownDispatcher?.destroy().catch(() => undefined);
    await within(this.pumping, CLOSE_GRACE_MS);
    let unsent = 0;
    for (const batch of this.ready) unsent += batch.entries;
    return { unsent };
  }

  /** For stats: entries held, and why sending is blocked if it is. */
  get stats(): {
    bufferedBytes: number;
    batches: number;
    blocked: RetryingSender<PushBody>['blocked'];
  } {
    return {
      bufferedBytes: this.bufferedBytes,
      batches: this.ready.length + this.filling.size,
      blocked: this.sender.blocked,
    };
  }

  private closeBatch(batch: TenantBatch): void {
    this.filling.delete(batch.tenant);
    if (batch.entries === 0) return;
    this.ready.push(batch);
    this.pump();
  }

  private closeOldBatches(): void {
    const now = this.now();
    for (const batch of [...this.filling.values()]) {
      if (now - batch.createdAt >= this.options.batchWaitMs) this.closeBatch(batch);
    }
  }

  private pump(): void {
    if (this.pumping || this.stopped) return;
    this.pumping = this.sendReady().finally(() => {
      this.pumping = undefined;
    });
  }

  private async sendReady(): Promise<void> {
    while (!this.stopped) {
      const batch = this.ready[0];
      if (!batch) return;
      const finished = await this.sendBatch(batch);
      if (!finished) return;
      this.ready.shift();
      this.bufferedBytes -= batch.bytes;
      for (const run of batch.runs) this.tracker.finish(run.seq, run.count);
      this.advance();
      this.wakeRoomWaiters();
    }
  }

  /** True once the batch was sent or dropped for good; false when the client stopped first. */
  private async sendBatch(batch: TenantBatch): Promise<boolean> {
    const body = batch.encode();
    this.failedAttempts = 0;
    const result = await this.sender.send({ tenant: batch.tenant, body }, batch.entries);
    const host = this.options.host;
    const { metrics } = this.deps;
    if (result.outcome === 'stopped') return false;
    if (result.outcome === 'sent') {
      metrics.sentEntries.inc({ host }, batch.entries);
      metrics.sentBytes.inc({ host }, body.length);
      return true;
    }
    const reason = lokiDropReason(result.verdict);
    metrics.droppedEntries.inc({ host, reason }, batch.entries);
    metrics.droppedBytes.inc({ host, reason }, body.length);
    this.failures.dropped(result.verdict, batch.entries, batch.entries, 'entry');
    return true;
  }

  /**
   * The stream's label string, remembered by the labels as given (names and
   * values in their order, length-prefixed, which is cheap to join): most entries repeat
   * their file's labels, and sorting and quoting them again is most of what
   * an entry costs here. Bounded; forgotten wholesale when full.
   */
  private labelString(labels: LogLabels): string {
    // The logs pipeline interns label sets: a file's entries share one object.
    const known = this.labelsByObject.get(labels);
    if (known !== undefined) return known;
    const formatted = this.labelStringByValue(labels);
    this.labelsByObject.set(labels, formatted);
    return formatted;
  }

  private readonly labelsByObject = new WeakMap<LogLabels, string>();

  private labelStringByValue(labels: LogLabels): string {
    let key = '';
    // Length-prefixed, so no name or value can pass for another's.
    for (const name in labels) {
      const value = labels[name]!;
      key += `${name.length}:${name}${value.length}:${value}`;
    }
    let formatted = this.labelStrings.get(key);
    if (formatted === undefined) {
      formatted = formatLabels(streamLabels(labels, this.options.externalLabels));
      if (this.labelStrings.size >= LABEL_CACHE_SIZE) this.labelStrings.clear();
      this.labelStrings.set(key, formatted);
    }
    return formatted;
  }

  private advance(): void {
    const token = this.tracker.advance();
    if (token !== undefined) this.deps.progress.onProgress(token);
  }

  private wakeRoomWaiters(): void {
    if (!this.closing && this.bufferedBytes >= this.options.maxBufferedBytes) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Promtail's rule on top of the shared classification, and max_retries. */
  private classify(error: unknown): Verdict {
    const verdict = narrowToPromtail(
      classifySendError(error, { retryOnHttp429: !this.options.dropRateLimitedBatches }),
    );
    if (verdict.action === 'drop') return verdict;
    // Credentials that renew themselves are waited for, as long as it takes.
    if (verdict.action !== 'retry') return verdict;
    this.failedAttempts++;
    const { maxRetries } = this.options.backoff;
    if (maxRetries > 0 && this.failedAttempts >= maxRetries) {
      return {
        ...verdict,
        action: 'drop',
        dropReason: 'retries-exhausted',
        message: `${verdict.message} (still failing after ${maxRetries} attempts)`,
      };
    }
    this.deps.metrics.batchRetries.inc({ host: this.options.host });
    return verdict;
  }

  /** Each push timed and its status counted, as Promtail's request_duration_seconds. */
  private target(): SendTarget<PushBody> {
    const { metrics } = this.deps;
    const host = this.options.host;
    return {
      send: async ({ tenant, body }) => {
        const began = performance.now();
        let status = -1;
        try {
          status = await this.endpointFor(tenant).post(body);
        } catch (error) {
          if (error instanceof EndpointHttpError || error instanceof AwsError)
            status = error.status;
          throw error;
        } finally {
          metrics.requestDuration.observe(
            { status_code: String(status), host },
            (performance.now() - began) / 1000,
          );
        }
      },
      refresh: async () => {
        await this.aws?.refreshCredentials();
      },
      changed: () => this.aws?.credentialsChanged() ?? Promise.resolve(false),
    };
  }

  /** One EndpointClient per tenant: its X-Scope-OrgID is a protocol header (and signed). */
  private endpointFor(tenant: string): EndpointClient {
    let endpoint = this.endpoints.get(tenant);
    if (!endpoint) {
      const { url, headers, basicAuth, bearerToken, timeoutMs } = this.options;
      endpoint = new EndpointClient(
        {
          url,
          aws: this.aws,
          headers,
          basicAuth,
          bearerToken,
          timeoutMs,
          dispatcher: this.dispatcher,
        },
        this.options.path,
        tenant === '' ? PROTOCOL_HEADERS : { ...PROTOCOL_HEADERS, 'x-scope-orgid': tenant },
      );
      this.endpoints.set(tenant, endpoint);
    }
    return endpoint;
  }
}

function metadataPairs(metadata: LogEntry['structuredMetadata']): PushLabelPair[] {
  if (!metadata) return [];
  const pairs: PushLabelPair[] = [];
  for (const [name, value] of Object.entries(metadata)) pairs.push({ name, value });
  return pairs;
}
