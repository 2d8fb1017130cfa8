/**
 * One PutLogEvents attempt for the RetryingSender: the call, timed for
 * `promtail_request_duration_seconds`; when AWS answers
 * ResourceNotFoundException, the missing group and/or stream created (as the
 * options allow) and the call made again at once. A group or stream that
 * already exists counts as created. With creation off, the
 * ResourceNotFoundException goes to the shared classification, which holds
 * the batch until someone creates what is missing.
 */
import { performance } from 'node:perf_hooks';
import { AwsError } from '../../aws/errors/index.js';
import type { AwsClient } from '../../aws/http/aws-client.js';
import { SignetError } from '../../errors.js';
import type { SinkLog } from '../shared/failure-log.js';
import type { SendTarget } from '../shared/retry.js';
import { LogsApi, groupIsMissing, isResourceNotFound, type RejectedLogEventsInfo } from './api.js';
import type { CloudWatchLogsMetrics } from './metrics.js';
import type { ResolvedCloudWatchLogsOptions } from './options.js';

/** A sealed batch on its way: the body is built once and lives through retries. */
export interface PutPayload {
  readonly stream: string;
  readonly body: Buffer;
  /** Set by the attempt that succeeded. */
  rejected?: RejectedLogEventsInfo | undefined;
}

/**
 * CreateLogGroup or CreateLogStream refused as invalid (a KMS key that does
 * not exist or is disabled, a name AWS will not take). The batch itself is
 * fine, so it is held, not dropped, until the options or the account are
 * fixed.
 */
export class LogResourceError extends SignetError {
  constructor(
    readonly resource: 'log group' | 'log stream',
    readonly resourceName: string,
    readonly refusal: AwsError,
  ) {
    super(`cannot create ${resource} ${resourceName}: ${refusal.code}: ${refusal.awsMessage}`, {
      hint:
        resource === 'log group'
          ? 'check kms_key_id and log_group_class, or create the group yourself; the entries are held until then'
          : 'create the stream yourself or fix log_stream_name; the entries are held until then',
    });
  }
}

export class PutLogEventsTarget implements Required<SendTarget<PutPayload>> {
  private readonly api: LogsApi;
  /** One CreateLogGroup at a time, shared by the streams that found the group missing. */
  private creatingGroup: Promise<void> | undefined;

  constructor(
    private readonly aws: AwsClient,
    private readonly options: ResolvedCloudWatchLogsOptions,
    private readonly metrics: CloudWatchLogsMetrics,
    private readonly log: SinkLog,
  ) {
    this.api = new LogsApi(aws, options.url);
  }

  async send(payload: PutPayload): Promise<void> {
    try {
      payload.rejected = await this.put(payload.body);
    } catch (error) {
      if (!isResourceNotFound(error)) throw error;
      await this.createMissing(payload.stream, error);
      payload.rejected = await this.put(payload.body);
    }
  }

  refresh(): Promise<void> {
    return this.aws.refreshCredentials();
  }

  changed(): Promise<boolean> {
    return this.aws.credentialsChanged();
  }

  private async put(body: Buffer): Promise<RejectedLogEventsInfo | undefined> {
    const began = performance.now();
    let status = -1;
    try {
      const rejected = await this.api.putLogEvents(body);
      status = 200;
      return rejected;
    } catch (error) {
      if (error instanceof AwsError) status = error.status;
      throw error;
    } finally {
      this.metrics.requestDuration
        .labels(String(status), this.options.host)
        .observe((performance.now() - began) / 1000);
    }
  }

  /** Creates what the refusal says is missing, or throws it again when the options say not to. */
  private async createMissing(stream: string, notFound: AwsError): Promise<void> {
    const { createLogGroup, createLogStream } = this.options;
    if (groupIsMissing(notFound)) {
      if (!createLogGroup) throw notFound;
      await this.createGroup();
    }
    if (!createLogStream) throw notFound;
    try {
      await this.createStream(stream);
    } catch (error) {
      // The stream was missing and so, it turns out, is the group (deleted meanwhile).
      if (!isResourceNotFound(error) || !createLogGroup) throw error;
      await this.createGroup();
      await this.createStream(stream);
    }
  }

  private createGroup(): Promise<void> {
    this.creatingGroup ??= this.doCreateGroup().finally(() => {
      this.creatingGroup = undefined;
    });
    return this.creatingGroup;
  }

  private async doCreateGroup(): Promise<void> {
    const { logGroupName, logGroupClass, kmsKeyId, retentionInDays, name, host } = this.options;
    const made = await refusedAsInvalid(
      'log group',
      logGroupName,
      this.api.createLogGroup({
        logGroupName,
        ...(logGroupClass ? { logGroupClass } : {}),
        ...(kmsKeyId ? { kmsKeyId } : {}),
      }),
    );
    if (!made) return;
    this.metrics.resourcesCreated.labels(host, 'log_group').inc();
    // Retention is set on groups this client made; a group someone else made keeps theirs.
    if (retentionInDays !== undefined)
      await this.api.putRetentionPolicy(logGroupName, retentionInDays);
    this.log('info', `${name}: created log group ${logGroupName}`, {
      log_group: logGroupName,
      ...(retentionInDays === undefined ? {} : { retention_in_days: retentionInDays }),
      ...(logGroupClass ? { log_group_class: logGroupClass } : {}),
    });
  }

  private async createStream(stream: string): Promise<void> {
    const made = await refusedAsInvalid(
      'log stream',
      stream,
      this.api.createLogStream(this.options.logGroupName, stream),
    );
    if (!made) return;
    this.metrics.resourcesCreated.labels(this.options.host, 'log_stream').inc();
    this.log('info', `${this.options.name}: created log stream ${stream}`, {
      log_group: this.options.logGroupName,
      log_stream: stream,
    });
  }
}

/** A creation refused for good becomes a LogResourceError; throttling, 5xx and auth stay as they are. */
async function refusedAsInvalid<T>(
  resource: 'log group' | 'log stream',
  name: string,
  call: Promise<T>,
): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof AwsError && error.kind === 'invalid-request' && error.status < 500) {
      throw new LogResourceError(resource, name, error);
    }
    throw error;
  }
}
