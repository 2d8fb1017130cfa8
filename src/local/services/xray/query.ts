/**
 * Reading traces back through X-Ray's own API: GetTraceSummaries over a time
 * range, and BatchGetTraces for the stored segment documents. Summaries are
 * computed from the stored segments at query time.
 */
import { ServiceError, type LocalRequest, type LocalResponse } from '../../service.js';
import type { StoredSegment, XRayContext } from './state.js';
import { isObject, jsonResponse, requireStrings, type JsonObject } from './wire.js';

function requireTime(body: JsonObject, key: string): number {
  const value = body[key];
  // REST-JSON timestamps are epoch seconds.
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ServiceError(
      'InvalidRequestException',
      `${key} must be a timestamp in epoch seconds`,
    );
  }
  return value;
}

/** The epoch seconds a trace id carries in its second field. */
function traceIdTime(traceId: string): number {
  return parseInt(traceId.slice(2, 10), 16);
}

function earliestStart(segments: readonly StoredSegment[]): number {
  return Math.min(...segments.map((s) => s.start));
}

/** Time from the earliest start to the latest end, over the segments that ended. */
function duration(segments: readonly StoredSegment[]): number {
  const ends = segments.flatMap((s) => (s.end === undefined ? [] : [s.end]));
  return ends.length === 0 ? 0 : Math.max(...ends) - earliestStart(segments);
}

/** The root segment's `http` block, in the summary's Http shape. */
function httpOf(root: StoredSegment | undefined): JsonObject | undefined {
  if (root === undefined) return undefined;
  const doc: unknown = JSON.parse(root.document);
  const http = isObject(doc) ? doc['http'] : undefined;
  if (!isObject(http)) return undefined;
  const request = isObject(http['request']) ? http['request'] : {};
  const response = isObject(http['response']) ? http['response'] : {};
  return {
    HttpURL: request['url'],
    HttpMethod: request['method'],
    UserAgent: request['user_agent'],
    ClientIp: request['client_ip'],
    HttpStatus: response['status'],
  };
}

function summary(id: string, segments: readonly StoredSegment[]): JsonObject {
  const root = segments.find((s) => !s.subsegment && s.parentId === undefined);
  const names = [...new Set(segments.filter((s) => !s.subsegment).map((s) => s.name))];
  return {
    Id: id,
    StartTime: earliestStart(segments),
    Duration: duration(segments),
    ResponseTime: root?.end === undefined ? 0 : root.end - root.start,
    HasFault: segments.some((s) => s.fault),
    HasError: segments.some((s) => s.error),
    HasThrottle: segments.some((s) => s.throttle),
    IsPartial: segments.some((s) => s.inProgress),
    Http: httpOf(root),
    Annotations: {},
    Users: [],
    ServiceIds: names.map((name) => ({ Name: name, Names: [name] })),
    Revision: 1,
  };
}

/**
 * TimeRangeType `TraceId` (the default) matches traces whose id carries a
 * time in the range; `Event` matches traces with a segment starting in it.
 * Filter expressions and sampling are not evaluated: a filter is refused
 * rather than silently ignored, which would return wrong results.
 */
export function getTraceSummaries(
  ctx: XRayContext,
  req: LocalRequest,
  body: JsonObject,
): LocalResponse {
  const start = requireTime(body, 'StartTime');
  const end = requireTime(body, 'EndTime');
  if (end < start) {
    throw new ServiceError('InvalidRequestException', 'EndTime must not be before StartTime');
  }
  const type = body['TimeRangeType'] ?? 'TraceId';
  if (type !== 'TraceId' && type !== 'Event') {
    throw new ServiceError(
      'InvalidRequestException',
      `TimeRangeType ${JSON.stringify(type)} is not supported by signet local`,
    );
  }
  if (body['FilterExpression'] !== undefined) {
    throw new ServiceError(
      'InvalidRequestException',
      'FilterExpression is not supported by signet local',
    );
  }
  const inRange = (t: number) => t >= start && t <= end;
  const summaries = Object.entries(ctx.state.traces)
    .filter(([id, segments]) =>
      type === 'TraceId' ? inRange(traceIdTime(id)) : segments.some((s) => inRange(s.start)),
    )
    .map(([id, segments]) => summary(id, segments))
    .sort((a, b) => Number(a['StartTime']) - Number(b['StartTime']));
  return jsonResponse({
    TraceSummaries: summaries,
    ApproximateTime: req.now / 1000,
    TracesProcessedCount: summaries.length,
  });
}

export function batchGetTraces(
  ctx: XRayContext,
  _req: LocalRequest,
  body: JsonObject,
): LocalResponse {
  const ids = requireStrings(body, 'TraceIds');
  const traces: JsonObject[] = [];
  const unprocessed: string[] = [];
  for (const id of ids) {
    const segments = ctx.state.traces[id];
    if (segments === undefined) {
      unprocessed.push(id);
      continue;
    }
    traces.push({
      Id: id,
      Duration: duration(segments),
      LimitExceeded: false,
      Segments: segments.map((s) => ({ Id: s.id, Document: s.document })),
    });
  }
  return jsonResponse({ Traces: traces, UnprocessedTraceIds: unprocessed });
}
