/**
 * X-Ray's OTLP endpoint. Requests are encoded from an independent transcription
 * of opentelemetry-proto (snake_case, with fields the service ignores, such as
 * events and flags), so a wrong field number in the service's schema shows up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { createXRayService } from '../../../../src/local/services/xray/index.js';
import { MemoryStore, send, xrayRequest } from './helpers.js';

const OTLP_PROTO = `
syntax = "proto3";
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4;
  fixed32 flags = 16; string name = 5; int32 kind = 6;
  fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10;
  repeated Event events = 11; uint32 dropped_events_count = 12; Status status = 15;
  message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; }
}
message Status { string message = 2; int32 code = 3; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value {
    string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message Status2 { int32 code = 1; string message = 2; }
`;

const root = protobuf.parse(OTLP_PROTO).root;
const Request = root.lookupType('ExportTraceServiceRequest');
const Response = root.lookupType('ExportTraceServiceResponse');
const RpcStatus = root.lookupType('Status2');

const TRACE = '5f84c7a1b2c3d4e5f60718293a4b5c6d';
const SPAN = '0102030405060708';
const PARENT = '1112131415161718';

function requestObject(spans: object[]) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'agent' } }] },
        scopeSpans: [{ scope: { name: 'signet', version: '1.0' }, spans }],
      },
    ],
  };
}

function protoSpan(fields: Record<string, unknown> = {}) {
  return {
    traceId: Buffer.from(TRACE, 'hex'),
    spanId: Buffer.from(SPAN, 'hex'),
    parentSpanId: Buffer.from(PARENT, 'hex'),
    flags: 1,
    name: 'GET /cart',
    kind: 2,
    startTimeUnixNano: '1705320000000000001',
    endTimeUnixNano: '1705320000250000000',
    attributes: [
      { key: 'http.status_code', value: { intValue: 200 } },
      { key: 'big', value: { intValue: '9007199254740993' } },
      { key: 'ok', value: { boolValue: true } },
      { key: 'ratio', value: { doubleValue: 0.5 } },
      { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 2 }] } } },
      {
        key: 'map',
        value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } },
      },
    ],
    events: [{ timeUnixNano: '1705320000100000000', name: 'ignored' }],
    status: { code: 2, message: 'boom' },
    ...fields,
  };
}

function protobufBody(spans: object[]): Buffer {
  return Buffer.from(Request.encode(Request.fromObject(requestObject(spans))).finish());
}

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

test('a protobuf export is stored and answered with an empty protobuf response', async () => {
  const xray = createXRayService(new MemoryStore());
  const res = await send(xray, xrayRequest('/v1/traces', protobufBody([protoSpan()]), PROTOBUF));
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/x-protobuf');
  assert.equal(res.body.length, 0);
  assert.deepEqual(xray.spans(), [
    {
      traceId: TRACE,
      xrayTraceId: '1-5f84c7a1-b2c3d4e5f60718293a4b5c6d',
      spanId: SPAN,
      parentSpanId: PARENT,
      name: 'GET /cart',
      kind: 2,
      startTimeUnixNano: '1705320000000000001',
      endTimeUnixNano: '1705320000250000000',
      attributes: {
        'http.status_code': 200,
        big: '9007199254740993',
        ok: true,
        ratio: 0.5,
        tags: ['a', 2],
        map: { k: 'v' },
      },
      resource: { 'service.name': 'agent' },
      scope: { name: 'signet', version: '1.0' },
      status: { code: 2, message: 'boom' },
    },
  ]);
});

test('an OTLP/JSON export, with hex ids and string nanos, is answered in JSON', async () => {
  const xray = createXRayService(new MemoryStore());
  const body = requestObject([
    {
      traceId: TRACE.toUpperCase(),
      spanId: SPAN,
      name: 'root',
      startTimeUnixNano: '1705320000000000000',
      endTimeUnixNano: 1705320000500000000,
      attributes: [{ key: 'n', value: { intValue: '7' } }],
    },
  ]);
  const res = await send(xray, xrayRequest('/v1/traces', body, JSON_TYPE));
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(res.body.toString()), {});
  const [span] = xray.spans();
  assert.equal(span?.traceId, TRACE);
  assert.equal(span?.parentSpanId, '');
  assert.equal(span?.endTimeUnixNano, '1705320000500000000');
  assert.deepEqual(span?.attributes, { n: 7 });
});

test('gzip-encoded bodies are accepted', async () => {
  const xray = createXRayService(new MemoryStore());
  const res = await send(
    xray,
    xrayRequest('/v1/traces', gzipSync(protobufBody([protoSpan()])), {
      ...PROTOBUF,
      'content-encoding': 'gzip',
    }),
  );
  assert.equal(res.status, 200);
  assert.equal(xray.spans().length, 1);
});

test('spans with invalid ids are rejected through partialSuccess; the rest are kept', async () => {
  const xray = createXRayService(new MemoryStore());
  const spans = [
    protoSpan(),
    protoSpan({ traceId: Buffer.alloc(16) }), // all zero
    protoSpan({ spanId: Buffer.from('0102', 'hex') }), // too short
  ];
  const res = await send(xray, xrayRequest('/v1/traces', protobufBody(spans), PROTOBUF));
  assert.equal(res.status, 200);
  const answer = Response.toObject(Response.decode(res.body), { longs: Number });
  assert.equal((answer['partialSuccess'] as Record<string, unknown>)['rejectedSpans'], 2);
  assert.equal(xray.spans().length, 1);

  const json = await send(
    xray,
    xrayRequest('/v1/traces', requestObject([{ traceId: 'zz', spanId: SPAN }]), JSON_TYPE),
  );
  const parsed = JSON.parse(json.body.toString()) as { partialSuccess: { rejectedSpans: string } };
  assert.equal(parsed.partialSuccess.rejectedSpans, '1');
});

test('undecodable bodies are 400 with a google.rpc.Status; other content types 415', async () => {
  const xray = createXRayService(new MemoryStore());
  const bad = await send(
    xray,
    xrayRequest('/v1/traces', Buffer.from([0x0a, 0xff, 0xff, 0xff]), PROTOBUF),
  );
  assert.equal(bad.status, 400);
  const status = RpcStatus.toObject(RpcStatus.decode(bad.body));
  assert.equal(status['code'], 3);
  assert.match(String(status['message']), /protobuf/);

  const badJson = await send(xray, xrayRequest('/v1/traces', '{"resourceSpans": [', JSON_TYPE));
  assert.equal(badJson.status, 400);
  assert.equal((JSON.parse(badJson.body.toString()) as { code: number }).code, 3);

  const wrongShape = await send(xray, xrayRequest('/v1/traces', { resourceSpans: 'x' }, JSON_TYPE));
  assert.equal(wrongShape.status, 400);

  const badGzip = await send(
    xray,
    xrayRequest('/v1/traces', 'nope', { ...JSON_TYPE, 'content-encoding': 'gzip' }),
  );
  assert.equal(badGzip.status, 400);

  const text = await send(xray, xrayRequest('/v1/traces', 'hi', { 'content-type': 'text/plain' }));
  assert.equal(text.status, 415);
  assert.deepEqual(xray.spans(), []);
});

test('spans survive a restart on the same store', async () => {
  const store = new MemoryStore();
  await send(
    createXRayService(store),
    xrayRequest('/v1/traces', protobufBody([protoSpan()]), PROTOBUF),
  );
  assert.equal(createXRayService(store).spans()[0]?.name, 'GET /cart');
});
