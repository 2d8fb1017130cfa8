/**
 * CloudWatch Logs' JSON 1.1 protocol: every call is a signed POST to `/`
 * with `X-Amz-Target: Logs_20140328.<Operation>` and
 * `Content-Type: application/x-amz-json-1.1`. Errors come back as AwsError
 * (the AwsClient parses `__type` and `message`), or NetworkError.
 */
import type { AwsClient } from '../../aws/http/aws-client.js';
import { AwsError } from '../../aws/errors/index.js';
import type { LogGroupClass } from './limits.js';

const TARGET_PREFIX = 'Logs_20140328.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** What PutLogEvents says it did not store, as indexes into the batch sent. */
export interface RejectedLogEventsInfo {
  readonly tooNewLogEventStartIndex?: number;
  readonly tooOldLogEventEndIndex?: number;
  readonly expiredLogEventEndIndex?: number;
}

/** The fields of a DescribeLogGroups entry doctor reports. */
export interface DescribedLogGroup {
  readonly logGroupName: string;
  readonly arn?: string;
  readonly retentionInDays?: number;
  readonly logGroupClass?: string;
}

export interface RejectedCounts {
  readonly tooOld: number;
  readonly expired: number;
  readonly tooNew: number;
}

export class LogsApi {
  constructor(
    private readonly aws: AwsClient,
    private readonly url: string,
  ) {}

  /** One call; resolves with the HTTP status and the answer's JSON (an empty object when none). */
  async call(
    operation: string,
    body: string | Uint8Array,
  ): Promise<{ status: number; json: unknown }> {
    const response = await this.aws.send({
      method: 'POST',
      url: this.url,
      headers: { 'content-type': CONTENT_TYPE, 'x-amz-target': TARGET_PREFIX + operation },
      body,
    });
    const text = response.body.toString('utf8');
    return {
      status: response.status,
      json: text.trim() === '' ? {} : (JSON.parse(text) as unknown),
    };
  }

  /** PutLogEvents; resolves with what AWS rejected of the batch, if anything. */
  async putLogEvents(body: Uint8Array): Promise<RejectedLogEventsInfo | undefined> {
    const { json } = await this.call('PutLogEvents', body);
    if (typeof json !== 'object' || json === null) return undefined;
    const info = (json as { rejectedLogEventsInfo?: unknown }).rejectedLogEventsInfo;
    return typeof info === 'object' && info !== null ? info : undefined;
  }

  /** CreateLogGroup; a group that already exists is success (another agent made it). */
  async createLogGroup(group: {
    readonly logGroupName: string;
    readonly logGroupClass?: LogGroupClass | undefined;
    readonly kmsKeyId?: string | undefined;
  }): Promise<boolean> {
    return created(this.call('CreateLogGroup', JSON.stringify(group)));
  }

  async putRetentionPolicy(logGroupName: string, retentionInDays: number): Promise<void> {
    await this.call('PutRetentionPolicy', JSON.stringify({ logGroupName, retentionInDays }));
  }

  /**
   * DescribeLogGroups with the group's name as `logGroupNamePrefix`: the
   * group as AWS describes it, or undefined when it does not exist.
   * `signet doctor`'s probe. One page is enough: the answer is sorted by
   * name, and a name sorts before every other name it is a prefix of.
   */
  async describeLogGroup(logGroupName: string): Promise<DescribedLogGroup | undefined> {
    const { json } = await this.call(
      'DescribeLogGroups',
      JSON.stringify({ logGroupNamePrefix: logGroupName }),
    );
    const groups = (json as { logGroups?: unknown } | null)?.logGroups;
    if (!Array.isArray(groups)) return undefined;
    return (
      (groups as (DescribedLogGroup | null)[]).find((g) => g?.logGroupName === logGroupName) ??
      undefined
    );
  }

  /** CreateLogStream; a stream that already exists is success. */
  async createLogStream(logGroupName: string, logStreamName: string): Promise<boolean> {
    return created(this.call('CreateLogStream', JSON.stringify({ logGroupName, logStreamName })));
  }
}

/** True when this call created the resource, false when it was there already. */
async function created(call: Promise<unknown>): Promise<boolean> {
  try {
    await call;
    return true;
  } catch (error) {
    if (error instanceof AwsError && error.code === 'ResourceAlreadyExistsException') return false;
    throw error;
  }
}

export function isResourceNotFound(error: unknown): error is AwsError {
  return error instanceof AwsError && error.code === 'ResourceNotFoundException';
}

/** AWS names which one is missing: "The specified log group does not exist." */
export function groupIsMissing(error: AwsError): boolean {
  return /log group/i.test(error.awsMessage) && !/log stream/i.test(error.awsMessage);
}

/** How many events of a batch of `count` each rejection covers (old ones a prefix, new ones a suffix). */
export function rejectedCounts(
  info: RejectedLogEventsInfo | undefined,
  count: number,
): RejectedCounts {
  if (!info) return { tooOld: 0, expired: 0, tooNew: 0 };
  const index = (v: unknown, fallback: number): number =>
    typeof v === 'number' && Number.isInteger(v) ? Math.min(Math.max(v, -1), count) : fallback;
  const tooOldEnd = index(info.tooOldLogEventEndIndex, -1);
  const expiredEnd = index(info.expiredLogEventEndIndex, -1);
  const tooNewStart = Math.max(index(info.tooNewLogEventStartIndex, count), 0);
  const tooOld = Math.min(tooOldEnd + 1, tooNewStart);
  const expired = Math.max(0, Math.min(expiredEnd + 1, tooNewStart) - tooOld);
  return { tooOld, expired, tooNew: count - tooNewStart };
}
