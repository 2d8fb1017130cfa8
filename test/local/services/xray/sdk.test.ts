/** X-Ray driven by the real @aws-sdk/client-xray: its REST-JSON parser checks every answer's shape. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetTracesCommand,
  GetTraceSummariesCommand,
  PutTraceSegmentsCommand,
  XRayClient,
  XRayServiceException,
} from '@aws-sdk/client-xray';
import { createXRayService } from '../../../../src/local/services/xray/index.js';
import { CREDENTIALS, inProcess } from '../firehose/sdk.js';
import { MemoryStore, NOW, segment, TRACE_ID } from './helpers.js';

test('the SDK puts segments and reads back summaries and traces', async () => {
  const xray = createXRayService(new MemoryStore());
  const client = new XRayClient({
    region: 'us-east-1',
    credentials: CREDENTIALS,
    requestHandler: inProcess(xray),
  });
  const put = await client.send(
    new PutTraceSegmentsCommand({
      TraceSegmentDocuments: [JSON.stringify(segment()), JSON.stringify({ id: 'x' })],
    }),
  );
  assert.deepEqual(put.UnprocessedTraceSegments, [
    { Id: 'x', ErrorCode: 'InvalidId', Message: 'Invalid segment. ErrorCode: InvalidId' },
  ]);
  const summaries = await client.send(
    new GetTraceSummariesCommand({
      StartTime: new Date(NOW - 60_000),
      EndTime: new Date(NOW + 60_000),
    }),
  );
  assert.equal(summaries.TraceSummaries?.[0]?.Id, TRACE_ID);
  assert.deepEqual(summaries.TraceSummaries?.[0]?.StartTime, new Date(NOW));
  assert.deepEqual(summaries.ApproximateTime, new Date(NOW));
  const traces = await client.send(new BatchGetTracesCommand({ TraceIds: [TRACE_ID] }));
  assert.equal(traces.Traces?.[0]?.Segments?.[0]?.Document, JSON.stringify(segment()));
});

test('the SDK sees InvalidRequestException for a bad time range', async () => {
  const xray = createXRayService(new MemoryStore());
  const client = new XRayClient({
    region: 'us-east-1',
    credentials: CREDENTIALS,
    requestHandler: inProcess(xray),
  });
  await assert.rejects(
    client.send(
      new GetTraceSummariesCommand({ StartTime: new Date(NOW), EndTime: new Date(NOW - 1000) }),
    ),
    (e: unknown) => e instanceof XRayServiceException && e.name === 'InvalidRequestException',
  );
});
