/**
 * CloudWatch over the query API (form bodies, XML answers), as older SDKs
 * and the AWS CLI v1 send it; state shared with the JSON service; the 1 MB
 * body limit; persistence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import {
  ServiceError,
  type LocalRequest,
  type LocalService,
} from '../../../../src/local/service.js';
import {
  createCloudWatchServices,
  MAX_PUT_BODY_BYTES,
} from '../../../../src/local/services/cloudwatch/index.js';
import { MemoryStore, NOW } from '../firehose/helpers.js';

function formRequest(
  fields: Record<string, string> | string,
  extra: Partial<LocalRequest> = {},
): LocalRequest {
  const text = typeof fields === 'string' ? fields : new URLSearchParams(fields).toString();
  return {
    method: 'POST',
    rawPath: '/',
    path: '/',
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: Buffer.from(text),
    host: 'monitoring.us-east-1.amazonaws.com',
    region: 'us-east-1',
    principal: undefined,
    now: NOW,
    requestId: 'req-42',
    ...extra,
  };
}

async function xml(service: LocalService, req: LocalRequest): Promise<Record<string, unknown>> {
  const operation = service.operation(req);
  if (operation === undefined) throw new Error('not claimed');
  const res = await service.handle(req, operation);
  assert.equal(res.headers?.['content-type'], 'text/xml');
  return new XMLParser({ parseTagValue: false }).parse(String(res.body)) as Record<string, unknown>;
}

const iso = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

const PUT = {
  Action: 'PutMetricData',
  Version: '2010-08-01',
  Namespace: 'Signet/Query',
  'MetricData.member.1.MetricName': 'Requests',
  'MetricData.member.1.Value': '3',
  'MetricData.member.1.Unit': 'Count',
  'MetricData.member.1.Timestamp': iso(0),
  'MetricData.member.1.Dimensions.member.1.Name': 'Host',
  'MetricData.member.1.Dimensions.member.1.Value': 'a',
  'MetricData.member.2.MetricName': 'Requests',
  'MetricData.member.2.StatisticValues.SampleCount': '2',
  'MetricData.member.2.StatisticValues.Sum': '4',
  'MetricData.member.2.StatisticValues.Minimum': '1',
  'MetricData.member.2.StatisticValues.Maximum': '3',
  'MetricData.member.2.Timestamp': iso(10),
  'MetricData.member.2.Dimensions.member.1.Name': 'Host',
  'MetricData.member.2.Dimensions.member.1.Value': 'a',
};

const GET = {
  Action: 'GetMetricData',
  Version: '2010-08-01',
  StartTime: iso(0),
  EndTime: iso(60),
  'MetricDataQueries.member.1.Id': 'q1',
  'MetricDataQueries.member.1.MetricStat.Metric.Namespace': 'Signet/Query',
  'MetricDataQueries.member.1.MetricStat.Metric.MetricName': 'Requests',
  'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'Host',
  'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': 'a',
  'MetricDataQueries.member.1.MetricStat.Period': '60',
  'MetricDataQueries.member.1.MetricStat.Stat': 'Sum',
};

test('the query service claims only POST form bodies for its three actions', () => {
  const { query } = createCloudWatchServices(new MemoryStore());
  assert.deepEqual(query.operation(formRequest(PUT)), {
    action: 'cloudwatch:PutMetricData',
    resource: '*',
    name: 'PutMetricData',
  });
  assert.equal(query.operation(formRequest({ Action: 'ListMetrics' }))?.name, 'ListMetrics');
  assert.equal(
    query.operation(formRequest({ Action: 'GetCallerIdentity', Version: '2011-06-15' })),
    undefined,
  );
  assert.equal(query.operation(formRequest({ Action: 'DescribeAlarms' })), undefined);
  assert.equal(query.operation(formRequest(PUT, { method: 'GET' })), undefined);
  assert.equal(
    query.operation(formRequest(PUT, { headers: { 'content-type': 'application/json' } })),
    undefined,
  );
  assert.equal(
    query.operation(
      formRequest('junk', {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-encoding': 'gzip',
        },
      }),
    ),
    undefined,
  );
});

test("PutMetricData and GetMetricData answer the query API's XML", async () => {
  const { query } = createCloudWatchServices(new MemoryStore());
  const put = await xml(query, formRequest(PUT));
  assert.deepEqual(put, {
    PutMetricDataResponse: { ResponseMetadata: { RequestId: 'req-42' } },
  });
  const raw = await query.handle(formRequest(PUT), {
    action: 'cloudwatch:PutMetricData',
    resource: '*',
    name: 'PutMetricData',
  });
  assert.match(
    String(raw.body),
    /^<PutMetricDataResponse xmlns="http:\/\/monitoring\.amazonaws\.com\/doc\/2010-08-01\/">/,
  );

  const got = await xml(query, formRequest(GET));
  assert.deepEqual(got, {
    GetMetricDataResponse: {
      GetMetricDataResult: {
        MetricDataResults: {
          member: {
            Id: 'q1',
            Label: 'Requests',
            StatusCode: 'Complete',
            Timestamps: { member: new Date(NOW).toISOString().replace('.000Z', 'Z') },
            Values: { member: '14' },
            Messages: '',
          },
        },
        Messages: '',
      },
      ResponseMetadata: { RequestId: 'req-42' },
    },
  });

  const listed = await xml(
    query,
    formRequest({ Action: 'ListMetrics', Namespace: 'Signet/Query' }),
  );
  assert.deepEqual(listed, {
    ListMetricsResponse: {
      ListMetricsResult: {
        Metrics: {
          member: {
            Namespace: 'Signet/Query',
            MetricName: 'Requests',
            Dimensions: { member: { Name: 'Host', Value: 'a' } },
          },
        },
      },
      ResponseMetadata: { RequestId: 'req-42' },
    },
  });
});

test('JSON and query services share one store of metrics', async () => {
  const { json, query } = createCloudWatchServices(new MemoryStore());
  await xml(query, formRequest(PUT));
  const req = formRequest(
    JSON.stringify({
      StartTime: NOW / 1000,
      EndTime: NOW / 1000 + 60,
      MetricDataQueries: [
        {
          Id: 'a',
          MetricStat: {
            Metric: {
              Namespace: 'Signet/Query',
              MetricName: 'Requests',
              Dimensions: [{ Name: 'Host', Value: 'a' }],
            },
            Period: 60,
            Stat: 'SampleCount',
          },
        },
      ],
    }),
    {
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData',
      },
    },
  );
  const operation = json.operation(req);
  assert.ok(operation);
  const res = await json.handle(req, operation);
  const body = JSON.parse(String(res.body)) as { MetricDataResults: { Values: number[] }[] };
  assert.deepEqual(body.MetricDataResults[0]?.Values, [3]);
});

test("query errors carry the query API's codes", () => {
  const { query } = createCloudWatchServices(new MemoryStore());
  const fails = (fields: Record<string, string>, code: string, message: RegExp) => {
    const req = formRequest(fields);
    const operation = query.operation(req);
    assert.ok(operation);
    assert.throws(
      () => query.handle(req, operation),
      (e: unknown) => e instanceof ServiceError && e.code === code && message.test(e.message),
    );
  };
  fails(
    { ...PUT, 'MetricData.member.1.Value': 'NaN' },
    'InvalidParameterValue',
    /The value NaN for parameter MetricData\.member\.1\.Value is invalid/,
  );
  fails(
    { ...PUT, 'MetricData.member.1.Value': String(2 ** 361) },
    'InvalidParameterValue',
    /Value is invalid/,
  );
  fails({ ...PUT, Namespace: '' }, 'MissingParameter', /Namespace is required/);
  fails(
    { ...PUT, 'MetricData.member.1.StatisticValues.Sum': '1' },
    'InvalidParameterCombination',
    /mutually exclusive/,
  );
  fails(
    { ...PUT, 'MetricData.member.1.Unit': 'Furlongs' },
    'InvalidParameterValue',
    /Unit is invalid/,
  );
  fails({ ...GET, EndTime: iso(0) }, 'InvalidParameterValue', /StartTime must be less than/);
  fails(
    { ...GET, 'MetricDataQueries.member.1.MetricStat.Period': '45' },
    'InvalidParameterValue',
    /Period/,
  );
  fails(
    { ...GET, 'MetricDataQueries.member.1.MetricStat.Stat': 'p99' },
    'InvalidParameterValue',
    /not supported/,
  );
});

test('dimension and Values limits: 30 and 150 are taken, 31 and 151 refused', async () => {
  const { query } = createCloudWatchServices(new MemoryStore());
  const withDims = (n: number) => {
    const fields: Record<string, string> = {
      Action: 'PutMetricData',
      Namespace: 'N',
      'MetricData.member.1.MetricName': 'm',
      'MetricData.member.1.Value': '1',
    };
    for (let i = 1; i <= n; i++) {
      fields[`MetricData.member.1.Dimensions.member.${i}.Name`] = `d${i}`;
      fields[`MetricData.member.1.Dimensions.member.${i}.Value`] = 'v';
    }
    return formRequest(fields);
  };
  const withValues = (n: number) => {
    const fields: Record<string, string> = {
      Action: 'PutMetricData',
      Namespace: 'N',
      'MetricData.member.1.MetricName': 'm',
    };
    for (let i = 1; i <= n; i++) fields[`MetricData.member.1.Values.member.${i}`] = String(i);
    return formRequest(fields);
  };
  const op = { action: 'cloudwatch:PutMetricData', resource: '*', name: 'PutMetricData' };
  await query.handle(withDims(30), op);
  assert.throws(
    () => query.handle(withDims(31), op),
    /Dimensions must not have a size greater than 30/,
  );
  await query.handle(withValues(150), op);
  assert.throws(
    () => query.handle(withValues(151), op),
    /Values must not have a size greater than 150/,
  );
});

test('a PutMetricData body of 1 MiB as sent is taken, one byte more is 413; gzip counts compressed', async () => {
  const services = createCloudWatchServices(new MemoryStore());
  const { query } = services;
  const op = { action: 'cloudwatch:PutMetricData', resource: '*', name: 'PutMetricData' };
  const base = new URLSearchParams(PUT).toString() + '&Pad=';
  const sized = (n: number) => formRequest(base + 'x'.repeat(n - base.length));
  assert.equal(sized(MAX_PUT_BODY_BYTES).body.length, 1_048_576);
  await query.handle(sized(MAX_PUT_BODY_BYTES), op);
  assert.throws(
    () => query.handle(sized(MAX_PUT_BODY_BYTES + 1), op),
    (e: unknown) =>
      e instanceof ServiceError && e.code === 'RequestEntityTooLarge' && e.status === 413,
  );
  const zipped = formRequest('', {
    body: gzipSync(Buffer.from(base + 'x'.repeat(2 * MAX_PUT_BODY_BYTES))),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' },
  });
  assert.equal(query.operation(zipped)?.name, 'PutMetricData');
  await query.handle(zipped, op);
  assert.equal(services.metrics()[0]?.points.length, 4); // two data from each of the two accepted requests
});

test('metrics survive a restart on the same store', async () => {
  const store = new MemoryStore();
  await xml(createCloudWatchServices(store).query, formRequest(PUT));
  const again = createCloudWatchServices(store);
  assert.deepEqual(
    again.metrics().map((m) => [m.namespace, m.name, m.points.length]),
    [['Signet/Query', 'Requests', 2]],
  );
  const got = await xml(again.query, formRequest(GET));
  assert.match(JSON.stringify(got), /"Values":\{"member":"7"\}/);
});
