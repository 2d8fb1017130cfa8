/** The Loki push client: Promtail's `clients[]`, as a LogClient of the logs pipeline. */
export { LokiClient, type LokiClientDeps } from './client.js';
export { createLokiClientMetrics, type LokiClientMetrics, type LokiDropReason } from './metrics.js';
export {
  LOKI_DEFAULTS,
  LOKI_DEFAULT_SIGNING_SERVICE,
  LokiOptionsError,
  createLokiDispatcher,
  lokiSigningService,
  resolveLokiOptions,
  type LokiBackoff,
  type LokiClientOptions,
  type ResolvedLokiOptions,
} from './options.js';
export { formatLabels, goQuote } from './labels.js';
export {
  decodePushRequest,
  encodePushRequest,
  type PushStream,
  type PushEntry,
} from './push-proto.js';
