/**
 * CloudWatch answers in the protocol the request came in: JSON 1.0 (epoch
 * second timestamps) or the query API's XML (ISO 8601 timestamps, lists as
 * <member> elements, a RequestId in ResponseMetadata).
 */
import type { LocalResponse } from '../../service.js';
import type { ListedMetric, MetricDataResultOutput } from './model.js';

const XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

export function jsonAnswer(body: unknown): LocalResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: JSON.stringify(body),
  };
}

export function jsonMetricData(results: readonly MetricDataResultOutput[]): LocalResponse {
  return jsonAnswer({
    MetricDataResults: results.map((r) => ({
      Id: r.id,
      Label: r.label,
      Timestamps: r.timestamps.map((t) => t / 1000),
      Values: r.values,
      StatusCode: 'Complete',
      Messages: [],
    })),
    Messages: [],
  });
}

export function jsonMetricList(
  metrics: readonly ListedMetric[],
  nextToken: string | undefined,
): LocalResponse {
  return jsonAnswer({
    Metrics: metrics.map((m) => ({
      Namespace: m.namespace,
      MetricName: m.name,
      Dimensions: m.dimensions,
    })),
    ...(nextToken === undefined ? {} : { NextToken: nextToken }),
  });
}

function esc(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** ISO 8601 without milliseconds when there are none, as CloudWatch writes it. */
function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function members(items: readonly string[]): string {
  return items.map((item) => `<member>${item}</member>`).join('');
}

function xmlAnswer(action: string, result: string | undefined, requestId: string): LocalResponse {
  const body =
    `<${action}Response xmlns="${XMLNS}">` +
    (result === undefined ? '' : `<${action}Result>${result}</${action}Result>`) +
    `<ResponseMetadata><RequestId>${esc(requestId)}</RequestId></ResponseMetadata>` +
    `</${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml' }, body };
}

export function xmlPutMetricData(requestId: string): LocalResponse {
  return xmlAnswer('PutMetricData', undefined, requestId);
}

export function xmlMetricData(
  results: readonly MetricDataResultOutput[],
  requestId: string,
): LocalResponse {
  const items = results.map(
    (r) =>
      `<Id>${esc(r.id)}</Id><Label>${esc(r.label)}</Label><StatusCode>Complete</StatusCode>` +
      `<Timestamps>${members(r.timestamps.map(isoTime))}</Timestamps>` +
      `<Values>${members(r.values.map(String))}</Values><Messages/>`,
  );
  return xmlAnswer(
    'GetMetricData',
    `<MetricDataResults>${members(items)}</MetricDataResults><Messages/>`,
    requestId,
  );
}

export function xmlMetricList(
  metrics: readonly ListedMetric[],
  nextToken: string | undefined,
  requestId: string,
): LocalResponse {
  const items = metrics.map(
    (m) =>
      `<Namespace>${esc(m.namespace)}</Namespace><MetricName>${esc(m.name)}</MetricName>` +
      `<Dimensions>${members(m.dimensions.map((d) => `<Name>${esc(d.Name)}</Name><Value>${esc(d.Value)}</Value>`))}</Dimensions>`,
  );
  const token = nextToken === undefined ? '' : `<NextToken>${esc(nextToken)}</NextToken>`;
  return xmlAnswer('ListMetrics', `<Metrics>${members(items)}</Metrics>${token}`, requestId);
}
