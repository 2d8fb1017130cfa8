/**
 * The S3 clients' self-metrics: one set per agent, registered once on the
 * agent's Registry and shared by every S3 client (a second create finds the
 * set already there), each filling in its own `host` (the endpoint's
 * host:port). Promtail's per-client metrics (sent entries and bytes,
 * dropped entries, request duration) are shared with the other logs clients
 * under Promtail's names; the rest are `signet_s3_*`.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import { promtailClientMetrics, type PromtailClientMetrics } from '../shared/promtail-metrics.js';

/** Why entries were dropped, the `reason` label. */
export type S3DropReason =
  | 'too_large' // S3 refused the object or its key as too large (EntityTooLarge, KeyTooLongError)
  | 'invalid'; // any other refusal of the object for good

export interface S3Metrics extends PromtailClientMetrics {
  readonly objects: Counter<'host' | 'upload'>;
  readonly entries: Counter<'host'>;
  readonly uncompressedBytes: Counter<'host'>;
  readonly storedBytes: Counter<'host'>;
  readonly failedUploads: Counter<'host' | 'cause'>;
  readonly retriedUploads: Counter<'host' | 'cause'>;
  readonly dropped: Counter<'host' | 'reason'>;
  readonly abortedUploads: Counter<'host'>;
  readonly uploadDuration: Histogram<'host' | 'upload'>;
}

const byRegistry = new WeakMap<Registry, S3Metrics>();

export function createS3Metrics(registry: Registry): S3Metrics {
  const known = byRegistry.get(registry);
  if (known !== undefined) return known;
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    (registry.getSingleMetric(name) as Counter<L> | undefined) ??
    new Counter<L>({ name, help, labelNames, registers });
  const metrics: S3Metrics = {
    ...promtailClientMetrics(registry),
    objects: counter(
      'signet_s3_objects_total',
      'Objects stored in S3, by how they were uploaded (put: PutObject, multipart).',
      ['host', 'upload'],
    ),
    entries: counter('signet_s3_entries_total', 'Entries in objects stored in S3.', ['host']),
    uncompressedBytes: counter(
      'signet_s3_uncompressed_bytes_total',
      'Bytes of objects stored in S3, before compression (the encoded entries).',
      ['host'],
    ),
    storedBytes: counter(
      'signet_s3_stored_bytes_total',
      'Bytes of objects stored in S3, after compression (what S3 holds).',
      ['host'],
    ),
    failedUploads: counter(
      'signet_s3_failed_uploads_total',
      'Upload attempts that failed, by cause (e.g. AWS SlowDown, HTTP 503, network ECONNRESET).',
      ['host', 'cause'],
    ),
    retriedUploads: counter(
      'signet_s3_retried_uploads_total',
      'Upload attempts that failed and will be made again from the buffer (retried, or held until a fix), by cause.',
      ['host', 'cause'],
    ),
    dropped: counter(
      'signet_s3_dropped_entries_total',
      'Entries dropped because S3 refused their object for good, by reason.',
      ['host', 'reason'],
    ),
    abortedUploads: counter(
      'signet_s3_aborted_multipart_uploads_total',
      'Multipart uploads aborted (AbortMultipartUpload) because their object was given up or rebuilt.',
      ['host'],
    ),
    uploadDuration:
      (registry.getSingleMetric('signet_s3_upload_duration_seconds') as
        Histogram<'host' | 'upload'> | undefined) ??
      new Histogram({
        name: 'signet_s3_upload_duration_seconds',
        help: 'Time from the first request of an object upload to the object being stored, including retries.',
        labelNames: ['host', 'upload'],
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
        registers,
      }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
