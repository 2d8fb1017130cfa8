/**
 * X-Ray's own API: PutTraceSegments' per-document checks and limits, and
 * read-back through GetTraceSummaries and BatchGetTraces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../../src/local/service.js';
import {
  createXRayService,
  MAX_SEGMENT_DOCUMENT_BYTES,
} from '../../../../src/local/services/xray/index.js';
import { MemoryStore, NOW, segment, sendJson, TRACE_ID, xrayRequest } from './helpers.js';

/** A valid segment document with one field left out. */
function without(field: string): Record<string, unknown> {
  const doc = segment();
  delete doc[field];
  return doc;
}

function put(service: ReturnType<typeof createXRayService>, docs: readonly (string | object)[]) {
  return sendJson(service, '/TraceSegments', {
    TraceSegmentDocuments: docs.map((d) => (typeof d === 'string' ? d : JSON.stringify(d))),
  });
}

test("operation() maps each path to its action; other requests are not X-Ray's", () => {
  const xray = createXRayService(new MemoryStore());
  assert.equal(xray.signingName, 'xray');
  assert.equal(xray.protocol, 'rest-json');
  const op = (path: string, method = 'POST') =>
    xray.operation({ ...xrayRequest(path, {}), method });
  assert.deepEqual(op('/TraceSegments'), {
    action: 'xray:PutTraceSegments',
    resource: '*',
    name: 'PutTraceSegments',
  });
  assert.equal(op('/TraceSummaries')?.action, 'xray:GetTraceSummaries');
  assert.equal(op('/Traces')?.action, 'xray:BatchGetTraces');
  assert.equal(op('/v1/traces')?.action, 'xray:PutTraceSegments');
  assert.equal(op('/TraceSegments', 'GET'), undefined);
  assert.equal(op('/SamplingRules'), undefined);
});

test('valid segments are stored and read back with BatchGetTraces', async () => {
  const xray = createXRayService(new MemoryStore());
  const doc = JSON.stringify(segment());
  const answer = await put(xray, [doc]);
  assert.deepEqual(answer, { UnprocessedTraceSegments: [] });
  const traces = await sendJson(xray, '/Traces', {
    TraceIds: [TRACE_ID, '1-00000000-000000000000000000000000'],
  });
  assert.deepEqual(traces, {
    Traces: [
      {
        Id: TRACE_ID,
        Duration: 0.25,
        LimitExceeded: false,
        Segments: [{ Id: '70de5b6f19ff9a0a', Document: doc }],
      },
    ],
    UnprocessedTraceIds: ['1-00000000-000000000000000000000000'],
  });
});

test('bad documents are reported one by one while the good ones are kept', async () => {
  const xray = createXRayService(new MemoryStore());
  const noId = without('id');
  const noTrace = without('trace_id');
  const noName = without('name');
  const noStart = without('start_time');
  const noEnd = without('end_time');
  const answer = await put(xray, [
    '{not json',
    noId,
    segment({ id: 'a1' }),
    noTrace,
    segment({ trace_id: 'abc' }),
    noName,
    segment({ name: 'bad<name>' }),
    noStart,
    noEnd,
    segment({ id: '1111111111111111', type: 'subsegment' }),
    segment({ id: '2222222222222222' }),
    { ...noEnd, id: '3333333333333333', in_progress: true },
  ]);
  const codes = answer['UnprocessedTraceSegments'] as {
    Id?: string;
    ErrorCode: string;
    Message: string;
  }[];
  assert.deepEqual(
    codes.map((u) => [u.Id, u.ErrorCode]),
    [
      [undefined, 'InvalidSegment'],
      [undefined, 'MissingId'],
      ['a1', 'InvalidId'],
      ['70de5b6f19ff9a0a', 'MissingTraceId'],
      ['70de5b6f19ff9a0a', 'InvalidTraceId'],
      ['70de5b6f19ff9a0a', 'MissingName'],
      ['70de5b6f19ff9a0a', 'InvalidName'],
      ['70de5b6f19ff9a0a', 'MissingStartTime'],
      ['70de5b6f19ff9a0a', 'MissingEndTime'],
      ['1111111111111111', 'MissingParentId'],
    ],
  );
  assert.equal(codes[1]?.Message, 'Invalid segment. ErrorCode: MissingId');
  assert.equal(codes[9]?.Message, 'Invalid subsegment. ErrorCode: MissingParentId');
  assert.deepEqual(
    xray.segments().map((s) => s.id),
    ['2222222222222222', '3333333333333333'],
  );
});

test('a document of exactly 64 KiB is taken; one byte more is SegmentTooLarge', async () => {
  assert.equal(MAX_SEGMENT_DOCUMENT_BYTES, 65_536);
  const padded = (bytes: number, id: string) => {
    const base = JSON.stringify(segment({ id, pad: '' }));
    return JSON.stringify(segment({ id, pad: 'x'.repeat(bytes - base.length) }));
  };
  const atLimit = padded(MAX_SEGMENT_DOCUMENT_BYTES, 'aaaaaaaaaaaaaaaa');
  const over = padded(MAX_SEGMENT_DOCUMENT_BYTES + 1, 'bbbbbbbbbbbbbbbb');
  assert.equal(Buffer.byteLength(atLimit), 65_536);
  assert.equal(Buffer.byteLength(over), 65_537);
  const xray = createXRayService(new MemoryStore());
  const answer = await put(xray, [atLimit, over]);
  assert.deepEqual(
    (answer['UnprocessedTraceSegments'] as { Id: string; ErrorCode: string }[]).map((u) => [
      u.Id,
      u.ErrorCode,
    ]),
    [['bbbbbbbbbbbbbbbb', 'SegmentTooLarge']],
  );
  assert.deepEqual(
    xray.segments().map((s) => s.id),
    ['aaaaaaaaaaaaaaaa'],
  );
});

test('a segment sent again (in progress, then complete) replaces the earlier version', async () => {
  const xray = createXRayService(new MemoryStore());
  const open = without('end_time');
  await put(xray, [{ ...open, in_progress: true }]);
  let summaries = await sendJson(xray, '/TraceSummaries', {
    StartTime: NOW / 1000 - 60,
    EndTime: NOW / 1000 + 60,
  });
  assert.equal((summaries['TraceSummaries'] as Record<string, unknown>[])[0]?.['IsPartial'], true);
  await put(xray, [segment({ fault: true })]);
  summaries = await sendJson(xray, '/TraceSummaries', {
    StartTime: NOW / 1000 - 60,
    EndTime: NOW / 1000 + 60,
  });
  const [first] = summaries['TraceSummaries'] as Record<string, unknown>[];
  assert.equal(first?.['IsPartial'], false);
  assert.equal(first?.['HasFault'], true);
  assert.equal(xray.segments().length, 1);
});

test('GetTraceSummaries selects by trace id time or by event time and summarizes', async () => {
  const xray = createXRayService(new MemoryStore());
  await put(xray, [
    segment({
      http: {
        request: { method: 'GET', url: 'https://example.com/cart' },
        response: { status: 500 },
      },
      error: true,
    }),
    segment({
      id: 'aaaaaaaaaaaaaaaa',
      parent_id: '70de5b6f19ff9a0a',
      name: 'db',
      start_time: NOW / 1000 + 0.1,
      end_time: NOW / 1000 + 0.5,
    }),
  ]);
  const range = (start: number, end: number, extra: object = {}) =>
    sendJson(xray, '/TraceSummaries', { StartTime: start, EndTime: end, ...extra });
  const t = NOW / 1000;
  const found = await range(t - 1, t + 1);
  assert.equal(found['TracesProcessedCount'], 1);
  assert.equal(found['ApproximateTime'], t);
  const [summary] = found['TraceSummaries'] as Record<string, unknown>[];
  assert.equal(summary?.['Id'], TRACE_ID);
  assert.equal(summary?.['Duration'], 0.5);
  assert.equal(summary?.['ResponseTime'], 0.25);
  assert.equal(summary?.['HasError'], true);
  assert.equal(summary?.['HasFault'], false);
  assert.deepEqual(summary?.['Http'], {
    HttpURL: 'https://example.com/cart',
    HttpMethod: 'GET',
    HttpStatus: 500,
  });
  assert.deepEqual(summary?.['ServiceIds'], [
    { Name: 'checkout', Names: ['checkout'] },
    { Name: 'db', Names: ['db'] },
  ]);

  assert.deepEqual((await range(t + 10, t + 20))['TraceSummaries'], []);
  assert.equal(
    ((await range(t + 0.05, t + 0.2, { TimeRangeType: 'Event' }))['TraceSummaries'] as unknown[])
      .length,
    1,
  );
  await assert.rejects(
    range(t + 1, t - 1),
    (e: unknown) => e instanceof ServiceError && e.code === 'InvalidRequestException',
  );
  await assert.rejects(
    range(t - 1, t + 1, { FilterExpression: 'service("db")' }),
    (e: unknown) => e instanceof ServiceError && /FilterExpression/.test(e.message),
  );
  await assert.rejects(
    sendJson(xray, '/TraceSegments', { TraceSegmentDocuments: 'nope' }),
    (e: unknown) => e instanceof ServiceError && e.code === 'InvalidRequestException',
  );
});

test('segments survive a restart on the same store', async () => {
  const store = new MemoryStore();
  await put(createXRayService(store), [segment()]);
  const again = createXRayService(store);
  assert.deepEqual(
    again.segments().map((s) => s.traceId),
    [TRACE_ID],
  );
  const traces = await sendJson(again, '/Traces', { TraceIds: [TRACE_ID] });
  assert.equal((traces['Traces'] as unknown[]).length, 1);
});
