/**
 * `POST /workspaces/{id}/api/v1/remote_write`: checks the headers, decodes the
 * body, validates every series as AMP (Cortex) does, and only then stores the
 * samples, so a rejected request stores nothing.
 */
import { ServiceError } from '../../service.js';
import type { LocalRequest } from '../../service.js';
import type { Labels, SampleInput, SeriesStore } from './series-store.js';
import { DecodeError, decodeWriteRequest } from './write-request.js';
import type { WireLabel, WireSeries } from './write-request.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export interface AcceptedSeries {
  readonly labels: Labels;
  readonly samples: readonly SampleInput[];
}

/** Validates and stores a remote-write request; returns how many samples were stored. */
export function remoteWrite(
  request: LocalRequest,
  workspaceId: string,
  store: SeriesStore,
): number {
  checkHeaders(request);
  let wire: WireSeries[];
  try {
    wire = decodeWriteRequest(request.body);
  } catch (error) {
    if (error instanceof DecodeError) throw invalid(error.message);
    throw error;
  }
  const accepted = wire.map(acceptSeries);
  let count = 0;
  let repeated = 0;
  for (const series of accepted) {
    repeated += store.append(workspaceId, series.labels, series.samples);
    count += series.samples.length;
  }
  store.count(workspaceId, count, repeated);
  return count;
}

function checkHeaders(request: LocalRequest): void {
  const encoding = headerOf(request, 'content-encoding');
  if (encoding?.trim().toLowerCase() !== 'snappy') {
    throw invalid(
      `remote write needs Content-Encoding: snappy, got ${encoding === undefined ? 'none' : JSON.stringify(encoding)}`,
    );
  }
  const contentType = headerOf(request, 'content-type');
  const [mediaType = '', ...parameters] = (contentType ?? '').split(';').map((s) => s.trim());
  if (mediaType.toLowerCase() !== 'application/x-protobuf') {
    throw invalid(
      `remote write needs Content-Type: application/x-protobuf, got ${contentType === undefined ? 'none' : JSON.stringify(contentType)}`,
    );
  }
  // Remote write 2.0 announces itself with proto=io.prometheus.write.v2.Request.
  const proto = parameters.find((p) => p.toLowerCase().startsWith('proto='))?.slice(6);
  if (proto !== undefined && proto !== 'prometheus.WriteRequest') {
    throw new ServiceError(
      'UnsupportedMediaTypeException',
      `remote write message ${JSON.stringify(proto)} is not supported; signet local accepts remote write 1.0 (prometheus.WriteRequest)`,
      415,
    );
  }
}

function headerOf(request: LocalRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A series' labels in canonical form, or a 400 naming what is wrong with them. */
export function acceptSeries(series: WireSeries): AcceptedSeries {
  const labels = series.labels;
  const shown = describe(labels);
  let metricName: string | undefined;
  let previous: string | undefined;
  for (const { name, value } of labels) {
    if (!LABEL_NAME.test(name)) {
      throw invalid(
        `sample invalid label: ${JSON.stringify(name)} metric ${JSON.stringify(shown)}`,
      );
    }
    if (previous !== undefined && name === previous) {
      throw invalid(
        `duplicate label name: ${JSON.stringify(name)} metric ${JSON.stringify(shown)}`,
      );
    }
    if (previous !== undefined && name < previous) {
      throw invalid(
        `labels not sorted: ${JSON.stringify(name)} comes after ${JSON.stringify(previous)} in metric ${JSON.stringify(shown)}; remote write requires labels sorted by name`,
      );
    }
    if (name === '__name__') metricName = value;
    previous = name;
  }
  if (metricName === undefined || metricName === '') {
    throw invalid(`sample missing metric name (no __name__ label) in ${JSON.stringify(shown)}`);
  }
  if (!METRIC_NAME.test(metricName)) {
    throw invalid(`sample invalid metric name: ${JSON.stringify(metricName)}`);
  }
  for (const sample of series.samples) {
    if (!Number.isSafeInteger(sample.timestamp)) {
      throw invalid(`sample timestamp ${sample.timestamp} is out of range in ${shown}`);
    }
  }
  return {
    // Prometheus treats an empty label value as the label being absent.
    labels: labels.filter((l) => l.value !== '').map((l) => [l.name, l.value] as const),
    samples: series.samples.map((s) => ({
      timestamp: s.timestamp,
      value: s.stale ? null : s.value,
    })),
  };
}

/** `{__name__="up", job="x"}`, in the order sent, for error messages. */
function describe(labels: readonly WireLabel[]): string {
  return `{${labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
}

function invalid(message: string): ServiceError {
  return new ServiceError('ValidationException', message, 400);
}
