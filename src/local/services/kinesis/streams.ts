/**
 * Stream management a producer or a test consumer needs: CreateStream,
 * DescribeStreamSummary and ListShards. Streams are ACTIVE at once; the
 * local service has nothing to provision.
 */
import { ServiceError, type LocalRequest, type LocalResponse } from '../../service.js';
import {
  jsonResponse,
  optionalInteger,
  optionalObject,
  optionalString,
  Violations,
  type JsonObject,
} from '../firehose/wire.js';
import { findStream, requireStreamRef, type KinesisContext } from './context.js';
import { DEFAULT_MAX_RECORD_KIB, newStream } from './state.js';

/** AWS's default shard quota per account (us-east-1); it also keeps a typo from allocating millions. */
const MAX_SHARDS = 500;
/** On-demand streams start with 4 shards on AWS. */
const ON_DEMAND_SHARDS = 4;
/** MaxRecordSizeInKiB's valid range in the API model (1 MiB to 10 MiB). */
const MIN_RECORD_KIB = 1024;
const MAX_RECORD_KIB = 10240;

export function createStream(
  ctx: KinesisContext,
  req: LocalRequest,
  body: JsonObject,
): LocalResponse {
  const ref = requireStreamRef(req, body);
  const violations = new Violations();
  const mode = optionalString(optionalObject(body, 'StreamModeDetails') ?? {}, 'StreamMode');
  if (mode !== undefined && mode !== 'PROVISIONED' && mode !== 'ON_DEMAND') {
    violations.add(
      `'${mode}'`,
      'streamModeDetails.streamMode',
      'must satisfy enum value set: [PROVISIONED, ON_DEMAND]',
    );
  }
  const shardCount = optionalInteger(body, 'ShardCount');
  if (shardCount !== undefined && shardCount < 1) {
    violations.add(`'${shardCount}'`, 'shardCount', 'must have value greater than or equal to 1');
  }
  const maxKiB = optionalInteger(body, 'MaxRecordSizeInKiB');
  if (maxKiB !== undefined && (maxKiB < MIN_RECORD_KIB || maxKiB > MAX_RECORD_KIB)) {
    const bound =
      maxKiB < MIN_RECORD_KIB
        ? `greater than or equal to ${MIN_RECORD_KIB}`
        : `less than or equal to ${MAX_RECORD_KIB}`;
    violations.add(`'${maxKiB}'`, 'maxRecordSizeInKiB', `must have value ${bound}`);
  }
  violations.throwIfAny();

  if (ctx.state.streams[ref.arn] !== undefined) {
    throw new ServiceError(
      'ResourceInUseException',
      `Stream ${ref.name} under account ${ref.account} already exists.`,
    );
  }
  // Without a ShardCount a provisioned stream gets one shard; AWS would want one named.
  const shards = shardCount ?? (mode === 'ON_DEMAND' ? ON_DEMAND_SHARDS : 1);
  if (shards > MAX_SHARDS) {
    throw new ServiceError(
      'LimitExceededException',
      `This request would exceed the shard limit for the account ${ref.account} in ${ref.region}. Current shard limit for this account: ${MAX_SHARDS}.`,
    );
  }
  ctx.state.streams[ref.arn] = newStream(
    ref.region,
    ref.account,
    ref.name,
    shards,
    mode ?? 'PROVISIONED',
    maxKiB ?? DEFAULT_MAX_RECORD_KIB,
    req.now,
  );
  ctx.save();
  // CreateStream's output is empty.
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: '' };
}

export function describeStreamSummary(
  ctx: KinesisContext,
  req: LocalRequest,
  body: JsonObject,
): LocalResponse {
  const stream = findStream(ctx, requireStreamRef(req, body), req.now);
  return jsonResponse({
    StreamDescriptionSummary: {
      StreamName: stream.name,
      StreamARN: stream.arn,
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: stream.mode },
      RetentionPeriodHours: 24,
      // JSON 1.1 timestamps are epoch seconds.
      StreamCreationTimestamp: stream.created / 1000,
      EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
      EncryptionType: 'NONE',
      OpenShardCount: stream.shards.length,
      ConsumerCount: 0,
      MaxRecordSizeInKiB: stream.maxRecordKiB,
    },
  });
}

/** All shards in one page: the local service never has more than MAX_SHARDS. */
export function listShards(
  ctx: KinesisContext,
  req: LocalRequest,
  body: JsonObject,
): LocalResponse {
  const stream = findStream(ctx, requireStreamRef(req, body), req.now);
  return jsonResponse({
    Shards: stream.shards.map((shard) => ({
      ShardId: shard.id,
      HashKeyRange: { StartingHashKey: shard.start, EndingHashKey: shard.end },
      SequenceNumberRange: { StartingSequenceNumber: `49${'0'.repeat(54)}` },
    })),
  });
}
