/**
 * The minimal stream management a producer needs: create a Direct PUT stream,
 * describe it, list them. Destinations are accepted and ignored; the local
 * service keeps records for read-back instead of delivering them.
 */
import { accountOf, ServiceError, type LocalRequest, type LocalResponse } from '../../service.js';
import { notFound, streamForPut, type FirehoseContext } from './context.js';
import { newStream, streamArn, type StoredStream } from './state.js';
import {
  checkStreamName,
  jsonResponse,
  optionalInteger,
  optionalString,
  Violations,
  type JsonObject,
} from './wire.js';

const STREAM_TYPES = ['DirectPut', 'KinesisStreamAsSource', 'MSKAsSource', 'DatabaseAsSource'];

function checkType(type: string | undefined, path: string, violations: Violations): void {
  if (type !== undefined && !STREAM_TYPES.includes(type)) {
    violations.add(`'${type}'`, path, `must satisfy enum value set: [${STREAM_TYPES.join(', ')}]`);
  }
}

/** The stream name every stream operation takes, checked against its constraints. */
function requireName(body: JsonObject, extra?: (violations: Violations) => void): string {
  const violations = new Violations();
  const name = optionalString(body, 'DeliveryStreamName');
  checkStreamName(name, 'deliveryStreamName', 64, violations);
  extra?.(violations);
  violations.throwIfAny();
  if (name === undefined) throw new Error('unreachable');
  return name;
}

export function createDeliveryStream(
  ctx: FirehoseContext,
  req: LocalRequest,
  body: JsonObject,
): LocalResponse {
  const type = optionalString(body, 'DeliveryStreamType');
  const name = requireName(body, (v) => checkType(type, 'deliveryStreamType', v));
  const account = accountOf(req);
  const arn = streamArn(req.region, account, name);
  if (ctx.state.streams[arn] !== undefined) {
    throw new ServiceError(
      'ResourceInUseException',
      `Firehose stream ${name} under account ${account} already exists.`,
    );
  }
  ctx.state.streams[arn] = newStream(req.region, account, name, type ?? 'DirectPut', req.now);
  ctx.save();
  return jsonResponse({ DeliveryStreamARN: arn });
}

function describe(stream: StoredStream): JsonObject {
  return {
    DeliveryStreamName: stream.name,
    DeliveryStreamARN: stream.arn,
    DeliveryStreamStatus: 'ACTIVE',
    DeliveryStreamType: stream.type,
    VersionId: '1',
    // JSON 1.1 timestamps are epoch seconds.
    CreateTimestamp: stream.created / 1000,
    Destinations: [],
    HasMoreDestinations: false,
  };
}

/** With `autoCreate` on, every stream name exists, so describing one creates it too. */
export function describeDeliveryStream(
  ctx: FirehoseContext,
  req: LocalRequest,
  body: JsonObject,
): LocalResponse {
  const name = requireName(body);
  const account = accountOf(req);
  let stream = ctx.state.streams[streamArn(req.region, account, name)];
  if (stream === undefined) {
    if (ctx.options.autoCreate === false) throw notFound(name, account);
    stream = streamForPut(ctx, req, name);
    ctx.save();
  }
  return jsonResponse({ DeliveryStreamDescription: describe(stream) });
}

export function listDeliveryStreams(
  ctx: FirehoseContext,
  req: LocalRequest,
  body: JsonObject,
): LocalResponse {
  const violations = new Violations();
  const limit = optionalInteger(body, 'Limit') ?? 10;
  if (limit < 1)
    violations.add(`'${limit}'`, 'limit', 'must have value greater than or equal to 1');
  if (limit > 10000) {
    violations.add(`'${limit}'`, 'limit', 'must have value less than or equal to 10000');
  }
  const type = optionalString(body, 'DeliveryStreamType');
  checkType(type, 'deliveryStreamType', violations);
  violations.throwIfAny();
  const after = optionalString(body, 'ExclusiveStartDeliveryStreamName');

  const account = accountOf(req);
  const names = Object.values(ctx.state.streams)
    .filter((s) => s.account === account && s.region === req.region)
    .filter((s) => type === undefined || s.type === type)
    .map((s) => s.name)
    .filter((name) => after === undefined || name > after)
    .sort();
  return jsonResponse({
    DeliveryStreamNames: names.slice(0, limit),
    HasMoreDeliveryStreams: names.length > limit,
  });
}
