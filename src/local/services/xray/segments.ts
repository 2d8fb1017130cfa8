/**
 * PutTraceSegments: each document is checked on its own, and a bad one is
 * reported in UnprocessedTraceSegments while the rest are stored, as X-Ray
 * does; the call itself fails only when its body is unusable.
 *
 * The checks follow the segment document reference
 * (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html):
 * "A segment document can be up to 64 kB" (taken as 64 KiB, 65,536 bytes of
 * UTF-8); `name`, `id`, `trace_id` and `start_time` are required, with either
 * `end_time` or `in_progress`; a subsegment sent on its own also needs
 * `type: "subsegment"` and `parent_id`. Rejections read as X-Ray's do,
 * e.g. `{Id, ErrorCode: "MissingId", Message: "Invalid segment. ErrorCode: MissingId"}`
 * (humanmade/aws-xray#29, aws/aws-xray-daemon#184). X-Ray does not document
 * its code for an oversized or unparseable document; we answer
 * SegmentTooLarge and InvalidSegment.
 */
import type { LocalRequest, LocalResponse } from '../../service.js';
import type { StoredSegment, XRayContext } from './state.js';
import { isObject, jsonResponse, requireStrings, type JsonObject } from './wire.js';

export const MAX_SEGMENT_DOCUMENT_BYTES = 64 * 1024;

/** Names: Unicode letters, numbers, whitespace and _ . : / % & # = + \ - @, at most 200. */
const NAME_RE = /^[\p{L}\p{N}\s_.:/%&#=+\\@-]{1,200}$/u;
const ID_RE = /^[0-9a-f]{16}$/;
const TRACE_ID_RE = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;

export interface Unprocessed {
  readonly Id?: string;
  readonly ErrorCode: string;
  readonly Message: string;
}

function reject(doc: JsonObject | undefined, code: string, cause?: string): Unprocessed {
  const kind = doc?.['type'] === 'subsegment' ? 'subsegment' : 'segment';
  const id = doc?.['id'];
  const message = `Invalid ${kind}. ErrorCode: ${code}${cause === undefined ? '' : `, Cause: ${cause}`}`;
  return typeof id === 'string'
    ? { Id: id, ErrorCode: code, Message: message }
    : { ErrorCode: code, Message: message };
}

function parse(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The first rule a document breaks, or undefined when it is a valid segment. */
function firstProblem(doc: JsonObject): string | undefined {
  const { id, trace_id: traceId, name, start_time: start, end_time: end } = doc;
  if (id === undefined) return 'MissingId';
  if (typeof id !== 'string' || !ID_RE.test(id)) return 'InvalidId';
  if (traceId === undefined) return 'MissingTraceId';
  if (typeof traceId !== 'string' || !TRACE_ID_RE.test(traceId)) return 'InvalidTraceId';
  if (name === undefined) return 'MissingName';
  if (typeof name !== 'string' || !NAME_RE.test(name)) return 'InvalidName';
  if (start === undefined) return 'MissingStartTime';
  if (typeof start !== 'number' || !Number.isFinite(start)) return 'InvalidStartTime';
  if (end === undefined && doc['in_progress'] !== true) return 'MissingEndTime';
  if (end !== undefined && (typeof end !== 'number' || !Number.isFinite(end)))
    return 'InvalidEndTime';
  const parent = doc['parent_id'];
  if (doc['type'] === 'subsegment' && parent === undefined) return 'MissingParentId';
  if (parent !== undefined && (typeof parent !== 'string' || !ID_RE.test(parent)))
    return 'InvalidParentId';
  return undefined;
}

function toStored(doc: JsonObject, text: string): StoredSegment {
  const str = (key: string) => String(doc[key]);
  const parent = doc['parent_id'];
  const end = doc['end_time'];
  return {
    id: str('id'),
    traceId: str('trace_id'),
    ...(typeof parent === 'string' ? { parentId: parent } : {}),
    subsegment: doc['type'] === 'subsegment',
    name: str('name'),
    start: Number(doc['start_time']),
    ...(typeof end === 'number' ? { end } : {}),
    inProgress: doc['in_progress'] === true,
    fault: doc['fault'] === true,
    error: doc['error'] === true,
    throttle: doc['throttle'] === true,
    document: text,
  };
}

/** Checks one document: the segment to store, or why it was refused. */
export function checkDocument(text: string): StoredSegment | Unprocessed {
  const doc = parse(text);
  if (doc === undefined)
    return reject(undefined, 'InvalidSegment', 'the document is not a JSON object');
  if (Buffer.byteLength(text, 'utf8') > MAX_SEGMENT_DOCUMENT_BYTES) {
    return reject(
      doc,
      'SegmentTooLarge',
      `the document exceeds ${MAX_SEGMENT_DOCUMENT_BYTES} bytes`,
    );
  }
  const problem = firstProblem(doc);
  return problem === undefined ? toStored(doc, text) : reject(doc, problem);
}

/** Stores a segment; one sent again (in progress, then complete) replaces the earlier version. */
export function storeSegment(ctx: XRayContext, segment: StoredSegment): void {
  const trace = (ctx.state.traces[segment.traceId] ??= []);
  const index = trace.findIndex((s) => s.id === segment.id);
  if (index === -1) trace.push(segment);
  else trace[index] = segment;
}

export function putTraceSegments(
  ctx: XRayContext,
  _req: LocalRequest,
  body: JsonObject,
): LocalResponse {
  const documents = requireStrings(body, 'TraceSegmentDocuments');
  const unprocessed: Unprocessed[] = [];
  for (const text of documents) {
    const result = checkDocument(text);
    if ('ErrorCode' in result) unprocessed.push(result);
    else storeSegment(ctx, result);
  }
  if (unprocessed.length < documents.length) ctx.save();
  return jsonResponse({ UnprocessedTraceSegments: unprocessed });
}
