/**
 * X-Ray's OTLP endpoint, POST /v1/traces: an ExportTraceServiceRequest as
 * binary protobuf (`application/x-protobuf`) or OTLP/JSON (`application/json`),
 * optionally gzip-encoded, answered with an ExportTraceServiceResponse in the
 * same encoding. Per the OTLP/HTTP spec, an undecodable body is 400 with a
 * google.rpc.Status body, and spans with invalid ids are rejected through
 * `partialSuccess` while the rest are kept.
 */
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import type { LocalRequest, LocalResponse } from '../../service.js';
import { decodeExportRequest, ExportTraceServiceResponse, RpcStatus } from './otlp-proto.js';
import type { Attributes, AttributeValue, StoredSpan, XRayContext } from './state.js';

type Encoding = 'protobuf' | 'json';

interface PlainKeyValue {
  key: string;
  value?: PlainAnyValue | undefined;
}

interface PlainAnyValue {
  stringValue?: string | undefined;
  boolValue?: boolean | undefined;
  intValue?: string | number | undefined;
  doubleValue?: number | string | undefined;
  arrayValue?: { values?: PlainAnyValue[] | undefined } | undefined;
  kvlistValue?: { values?: PlainKeyValue[] | undefined } | undefined;
  bytesValue?: string | undefined;
}

const anyValueSchema: z.ZodType<PlainAnyValue> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    // int64 is a decimal string in both encodings, though OTLP/JSON also allows a number.
    intValue: z.union([z.string(), z.number()]).optional(),
    // OTLP/JSON writes NaN and the infinities as strings.
    doubleValue: z.union([z.number(), z.string()]).optional(),
    arrayValue: z.object({ values: z.array(anyValueSchema).optional() }).optional(),
    kvlistValue: z.object({ values: z.array(keyValueSchema).optional() }).optional(),
    bytesValue: z.string().optional(),
  }),
);

const keyValueSchema: z.ZodType<PlainKeyValue> = z.lazy(() =>
  z.object({ key: z.string(), value: anyValueSchema.optional() }),
);

// zod's int() stops at 2^53, below today's nanosecond timestamps; a JSON
// number that large has already lost precision, but it is still a time.
const nanosSchema = z
  .union([z.string().regex(/^\d+$/), z.number().nonnegative().refine(Number.isInteger)])
  .optional();

const spanSchema = z.object({
  traceId: z.string().optional(),
  spanId: z.string().optional(),
  parentSpanId: z.string().optional(),
  name: z.string().optional(),
  kind: z.number().int().optional(),
  startTimeUnixNano: nanosSchema,
  endTimeUnixNano: nanosSchema,
  attributes: z.array(keyValueSchema).optional(),
  status: z
    .object({ code: z.number().int().optional(), message: z.string().optional() })
    .optional(),
});

const requestSchema = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes: z.array(keyValueSchema).optional() }).optional(),
        scopeSpans: z
          .array(
            z.object({
              scope: z
                .object({ name: z.string().optional(), version: z.string().optional() })
                .optional(),
              spans: z.array(spanSchema).optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});

type PlainSpan = z.infer<typeof spanSchema>;

function valueOf(value: PlainAnyValue | undefined): AttributeValue {
  if (value === undefined) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) {
    const n = Number(value.intValue);
    // Beyond 2^53 a number would lose digits; keep the decimal string then.
    return Number.isSafeInteger(n) ? n : String(value.intValue);
  }
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(valueOf);
  if (value.kvlistValue !== undefined) return attributesOf(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}

function attributesOf(list: readonly PlainKeyValue[] | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of list ?? []) out[kv.key] = valueOf(kv.value);
  return out;
}

/**
 * An id as lower-case hex of `bytes` bytes, or undefined when invalid. Binary
 * protobuf gives base64 (protobufjs's rendering of bytes); OTLP/JSON gives hex.
 */
function idOf(raw: string | undefined, bytes: number, encoding: Encoding): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const hex =
    encoding === 'protobuf' ? Buffer.from(raw, 'base64').toString('hex') : raw.toLowerCase();
  if (hex.length !== bytes * 2 || !/^[0-9a-f]+$/.test(hex) || /^0+$/.test(hex)) return undefined;
  return hex;
}

function nanos(value: string | number | undefined): string {
  return value === undefined ? '0' : BigInt(value).toString();
}

function toStored(
  span: PlainSpan,
  encoding: Encoding,
  resource: Attributes,
  scope: { name: string; version: string },
): StoredSpan | undefined {
  const traceId = idOf(span.traceId, 16, encoding);
  const spanId = idOf(span.spanId, 8, encoding);
  const hasParent = span.parentSpanId !== undefined && span.parentSpanId !== '';
  const parentSpanId = hasParent ? idOf(span.parentSpanId, 8, encoding) : '';
  if (traceId === undefined || spanId === undefined || parentSpanId === undefined) return undefined;
  return {
    traceId,
    xrayTraceId: `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`,
    spanId,
    parentSpanId,
    name: span.name ?? '',
    kind: span.kind ?? 0,
    startTimeUnixNano: nanos(span.startTimeUnixNano),
    endTimeUnixNano: nanos(span.endTimeUnixNano),
    attributes: attributesOf(span.attributes),
    resource,
    scope,
    status: { code: span.status?.code ?? 0, message: span.status?.message ?? '' },
  };
}

function encodingOf(req: LocalRequest): Encoding | undefined {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type === 'application/x-protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

const CONTENT_TYPE: Readonly<Record<Encoding, string>> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** An OTLP error answer: a google.rpc.Status (code 3, INVALID_ARGUMENT) in the request's encoding. */
function failure(status: number, message: string, encoding: Encoding): LocalResponse {
  const body =
    encoding === 'protobuf'
      ? Buffer.from(RpcStatus.encode(RpcStatus.create({ code: 3, message })).finish())
      : JSON.stringify({ code: 3, message });
  return { status, headers: { 'content-type': CONTENT_TYPE[encoding] }, body };
}

function decode(req: LocalRequest, encoding: Encoding): z.infer<typeof requestSchema> | string {
  let body = req.body;
  try {
    if (String(req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip')
      body = gunzipSync(body);
  } catch {
    return 'the body is not valid gzip';
  }
  let plain: unknown;
  try {
    plain = encoding === 'protobuf' ? decodeExportRequest(body) : JSON.parse(body.toString('utf8'));
  } catch {
    return `the body is not a valid ${encoding === 'protobuf' ? 'protobuf' : 'OTLP/JSON'} ExportTraceServiceRequest`;
  }
  const parsed = requestSchema.safeParse(plain);
  return parsed.success ? parsed.data : 'the body is not a valid ExportTraceServiceRequest';
}

export function exportTraces(ctx: XRayContext, req: LocalRequest): LocalResponse {
  const encoding = encodingOf(req);
  if (encoding === undefined) {
    return failure(415, 'Content-Type must be application/x-protobuf or application/json', 'json');
  }
  const request = decode(req, encoding);
  if (typeof request === 'string') return failure(400, request, encoding);

  let accepted = 0;
  let rejected = 0;
  for (const rs of request.resourceSpans ?? []) {
    const resource = attributesOf(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      const scope = { name: ss.scope?.name ?? '', version: ss.scope?.version ?? '' };
      for (const span of ss.spans ?? []) {
        const stored = toStored(span, encoding, resource, scope);
        if (stored === undefined) rejected += 1;
        else {
          ctx.state.spans.push(stored);
          accepted += 1;
        }
      }
    }
  }
  if (accepted > 0) ctx.save();

  const partialSuccess =
    rejected === 0
      ? undefined
      : {
          rejectedSpans: rejected,
          errorMessage: `${rejected} spans had an invalid trace, span or parent span id`,
        };
  const body =
    encoding === 'protobuf'
      ? Buffer.from(
          ExportTraceServiceResponse.encode(
            ExportTraceServiceResponse.create(
              partialSuccess === undefined ? {} : { partialSuccess },
            ),
          ).finish(),
        )
      : JSON.stringify(
          partialSuccess === undefined
            ? {}
            : // proto3 JSON writes int64 as a string.
              { partialSuccess: { ...partialSuccess, rejectedSpans: String(rejected) } },
        );
  return { status: 200, headers: { 'content-type': CONTENT_TYPE[encoding] }, body };
}
