import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAwsError } from '../../../src/aws/errors/index.js';
import { classifySendError } from '../../../src/sinks/shared/classify.js';
import { EndpointHttpError } from '../../../src/sinks/shared/http.js';
import { lokiDropReason, narrowToPromtail } from '../../../src/sinks/loki/verdicts.js';

const http = (status: number, body = '') => new EndpointHttpError('u', status, body, undefined);
const aws = (status: number, code: string) =>
  parseAwsError(
    {
      status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
      body: JSON.stringify({ message: `${code} happened` }),
    },
    {
      service: 'execute-api',
      region: 'us-east-1',
      url: 'https://x.execute-api.us-east-1.amazonaws.com/p',
    },
  );
const action = (error: unknown, retryOnHttp429 = true) =>
  narrowToPromtail(classifySendError(error, { retryOnHttp429 })).action;

test("Promtail's rule: 429, 5xx and throttling retried; every other refusal dropped, even those a person could fix", () => {
  assert.equal(action(http(500)), 'retry');
  assert.equal(action(http(503)), 'retry');
  assert.equal(action(http(429)), 'retry');
  assert.equal(action(http(429), false), 'drop');
  assert.equal(action(http(400, 'entry too far behind')), 'drop');
  assert.equal(action(http(401)), 'drop');
  assert.equal(action(http(403)), 'drop');
  assert.equal(action(http(404)), 'drop');
  assert.equal(action(http(408)), 'drop');
  assert.equal(action(http(413)), 'drop');
  assert.equal(action(aws(400, 'ThrottlingException')), 'retry');
  assert.equal(action(aws(403, 'AccessDeniedException')), 'drop');
  assert.equal(action(aws(500, 'InternalFailure')), 'retry');
});

test("drops are counted under Promtail's reasons", () => {
  const reason = (error: unknown) =>
    lokiDropReason(classifySendError(error, { retryOnHttp429: false }));
  assert.equal(reason(http(429, 'Ingestion rate limit exceeded')), 'rate_limited');
  assert.equal(
    reason(http(429, 'Maximum active stream limit exceeded, reduce the number of active streams')),
    'stream_limited',
  );
  assert.equal(reason(http(400, 'entry too far behind')), 'ingester_error');
});
