/**
 * `metadata_config`: every `send_interval`, the metadata of every active
 * target goes to the endpoint, as Prometheus's metadata watcher sends it
 * (a fresh full list each time; a round still sending skips the next tick).
 */
import type { MetricMetadata } from '../../model/metadata.js';

export interface MetadataSink {
  sendMetadata(list: readonly MetricMetadata[], perRequest: number): Promise<void>;
}

export interface MetadataConfig {
  readonly send: boolean;
  readonly sendIntervalMs: number;
  readonly maxPerSend: number;
}

/** Starts the rounds; returns the function that stops them. */
export function sendMetadataPeriodically(
  sink: MetadataSink,
  source: () => readonly MetricMetadata[],
  config: MetadataConfig,
): () => void {
  if (!config.send) return () => {};
  let sending = false;
  const timer = setInterval(() => {
    if (sending) return;
    const list = source();
    if (list.length === 0) return;
    sending = true;
    void sink.sendMetadata(list, config.maxPerSend).finally(() => {
      sending = false;
    });
  }, config.sendIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
