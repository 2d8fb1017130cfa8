/**
 * CloudWatch over JSON 1.0, driven by the real @aws-sdk/client-cloudwatch:
 * its serializer (including gzip of large PutMetricData bodies) and its
 * parser check the wire shapes; limits at the limit and one past.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchClient,
  CloudWatchServiceException,
  GetMetricDataCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
  type MetricDatum,
} from '@aws-sdk/client-cloudwatch';
import type { LocalService } from '../../../../src/local/service.js';
import {
  createCloudWatchServices,
  MAX_ABS_VALUE,
  MAX_DATUMS,
} from '../../../../src/local/services/cloudwatch/index.js';
import { MemoryStore, NOW } from '../firehose/helpers.js';
import { CREDENTIALS, inProcess } from '../firehose/sdk.js';

function setup() {
  const services = createCloudWatchServices(new MemoryStore());
  const encodings: (string | undefined)[] = [];
  // Notes each request's Content-Encoding on its way to the service.
  const watched: LocalService = {
    ...services.json,
    handle: (req, operation) => {
      encodings.push(req.headers['content-encoding']);
      return services.json.handle(req, operation);
    },
  };
  const client = new CloudWatchClient({
    region: 'us-east-1',
    credentials: CREDENTIALS,
    requestHandler: inProcess(watched),
  });
  return { services, client, encodings };
}

const at = (seconds: number) => new Date(NOW + seconds * 1000);

async function rejectsWith(promise: Promise<unknown>, name: string, message?: RegExp) {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof CloudWatchServiceException, String(e));
    assert.equal(e.name, name, e.message);
    if (message !== undefined) assert.match(e.message, message);
    return true;
  });
}

test('the JSON service claims GraniteServiceVersion20100801 targets', () => {
  const { services } = setup();
  assert.equal(services.json.signingName, 'monitoring');
  assert.equal(services.json.protocol, 'json');
  assert.equal(services.query.protocol, 'query');
});

test('PutMetricData then GetMetricData computes each statistic per period', async () => {
  const { client } = setup();
  const dims = [
    { Name: 'Host', Value: 'a' },
    { Name: 'App', Value: 'signet' },
  ];
  await client.send(
    new PutMetricDataCommand({
      Namespace: 'Signet/Test',
      MetricData: [
        {
          MetricName: 'Latency',
          Dimensions: dims,
          Timestamp: at(0),
          Value: 10,
          Unit: 'Milliseconds',
        },
        {
          MetricName: 'Latency',
          Dimensions: dims,
          Timestamp: at(30),
          Value: 20,
          Unit: 'Milliseconds',
        },
        {
          MetricName: 'Latency',
          Dimensions: dims,
          Timestamp: at(60),
          StatisticValues: { SampleCount: 2, Sum: 8, Minimum: 3, Maximum: 5 },
        },
        {
          MetricName: 'Latency',
          Dimensions: dims,
          Timestamp: at(120),
          Values: [1, 2],
          Counts: [3, 1],
        },
      ],
    }),
  );
  const metric = {
    Namespace: 'Signet/Test',
    MetricName: 'Latency',
    Dimensions: [...dims].reverse(),
  };
  const stat = (Id: string, Stat: string) => ({
    Id,
    MetricStat: { Metric: metric, Period: 60, Stat },
  });
  const out = await client.send(
    new GetMetricDataCommand({
      StartTime: at(0),
      EndTime: at(180),
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        stat('sum', 'Sum'),
        stat('avg', 'Average'),
        stat('min', 'Minimum'),
        stat('max', 'Maximum'),
        { ...stat('n', 'SampleCount'), Label: 'samples' },
        { ...stat('hidden', 'Sum'), ReturnData: false },
      ],
    }),
  );
  const results = new Map((out.MetricDataResults ?? []).map((r) => [r.Id ?? '?', r] as const));
  const byId = Object.fromEntries(results);
  assert.deepEqual([...results.keys()], ['sum', 'avg', 'min', 'max', 'n']);
  assert.deepEqual(byId['sum']?.Timestamps, [at(0), at(60), at(120)]);
  assert.deepEqual(byId['sum']?.Values, [30, 8, 5]);
  assert.deepEqual(byId['avg']?.Values, [15, 4, 1.25]);
  assert.deepEqual(byId['min']?.Values, [10, 3, 1]);
  assert.deepEqual(byId['max']?.Values, [20, 5, 2]);
  assert.deepEqual(byId['n']?.Values, [2, 2, 4]);
  assert.equal(byId['n']?.Label, 'samples');
  assert.equal(byId['sum']?.Label, 'Latency');
  assert.equal(byId['sum']?.StatusCode, 'Complete');

  const descending = await client.send(
    new GetMetricDataCommand({
      StartTime: at(0),
      EndTime: at(180),
      MetricDataQueries: [stat('m', 'Sum')],
    }),
  );
  assert.deepEqual(descending.MetricDataResults?.[0]?.Values, [5, 8, 30]);

  const listed = await client.send(new ListMetricsCommand({ Namespace: 'Signet/Test' }));
  assert.deepEqual(listed.Metrics, [
    {
      Namespace: 'Signet/Test',
      MetricName: 'Latency',
      Dimensions: [
        { Name: 'App', Value: 'signet' },
        { Name: 'Host', Value: 'a' },
      ],
    },
  ]);
});

test('1000 metric data per call are taken (gzip-compressed by the SDK); 1001 are refused', async () => {
  assert.equal(MAX_DATUMS, 1000);
  const { client, services, encodings } = setup();
  const data = (n: number): MetricDatum[] =>
    Array.from({ length: n }, (_, i) => ({ MetricName: `m${i % 7}`, Value: i, Timestamp: at(0) }));
  await client.send(new PutMetricDataCommand({ Namespace: 'Signet/Bulk', MetricData: data(1000) }));
  assert.equal(
    services.metrics().reduce((n, m) => n + m.points.length, 0),
    1000,
  );
  assert.deepEqual(encodings, ['gzip']);
  await rejectsWith(
    client.send(new PutMetricDataCommand({ Namespace: 'Signet/Bulk', MetricData: data(1001) })),
    'InvalidParameterValueException',
    /must not have a size greater than 1000/,
  );
});

test('values within ±2^360 are taken; beyond, NaN and infinities are refused', async () => {
  const { client } = setup();
  const put = (Value: number) =>
    client.send(
      new PutMetricDataCommand({
        Namespace: 'Signet/Range',
        MetricData: [{ MetricName: 'v', Value }],
      }),
    );
  await put(MAX_ABS_VALUE);
  await put(-MAX_ABS_VALUE);
  const nextUp = MAX_ABS_VALUE * (1 + Number.EPSILON);
  for (const bad of [nextUp, -nextUp, NaN, Infinity, -Infinity]) {
    await rejectsWith(
      put(bad),
      'InvalidParameterValueException',
      /MetricData\.member\.1\.Value is invalid/,
    );
  }
});

test('other checks answer the JSON exception names', async () => {
  const { client } = setup();
  await rejectsWith(
    client.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/EC2',
        MetricData: [{ MetricName: 'v', Value: 1 }],
      }),
    ),
    'InvalidParameterValueException',
  );
  await rejectsWith(
    client.send(
      new PutMetricDataCommand({
        Namespace: 'N',
        MetricData: [{ MetricName: 'v', Value: 1, Values: [1] }],
      }),
    ),
    'InvalidParameterCombinationException',
  );
  await rejectsWith(
    client.send(
      new PutMetricDataCommand({ Namespace: 'N', MetricData: [{ Value: 1 } as MetricDatum] }),
    ),
    'MissingRequiredParameterException',
  );
  await rejectsWith(
    client.send(
      new PutMetricDataCommand({
        Namespace: 'N',
        MetricData: [{ MetricName: 'v', Value: 1, Timestamp: at(-15 * 86400) }],
      }),
    ),
    'InvalidParameterValueException',
    /two weeks/,
  );
  await rejectsWith(
    client.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(60),
        MetricDataQueries: [{ Id: 'e', Expression: 'SUM(METRICS())' }],
      }),
    ),
    'InvalidParameterValueException',
    /metric math is not supported/,
  );
});
