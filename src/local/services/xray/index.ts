/**
 * The local AWS X-Ray, signed as `xray`: REST-JSON PutTraceSegments,
 * GetTraceSummaries and BatchGetTraces, plus X-Ray's OTLP endpoint
 * (POST /v1/traces). Segments can be read back through the X-Ray API; OTLP
 * spans in-process through `spans()`.
 */
import {
  ServiceError,
  type LocalRequest,
  type LocalResponse,
  type LocalService,
  type Operation,
  type ServiceStore,
} from '../../service.js';
import { exportTraces } from './otlp.js';
import { batchGetTraces, getTraceSummaries } from './query.js';
import { putTraceSegments } from './segments.js';
import {
  loadState,
  STORE_NAME,
  type StoredSegment,
  type StoredSpan,
  type XRayContext,
} from './state.js';
import { parseBody, type JsonObject } from './wire.js';

export type { Attributes, AttributeValue, StoredSegment, StoredSpan } from './state.js';
export { MAX_SEGMENT_DOCUMENT_BYTES } from './segments.js';

export interface XRayService extends LocalService {
  /** Every span the OTLP endpoint accepted, oldest first. */
  spans(): StoredSpan[];
  /** Every segment PutTraceSegments accepted, by trace, oldest first. */
  segments(): StoredSegment[];
}

type Handler = (ctx: XRayContext, req: LocalRequest, body: JsonObject) => LocalResponse;

interface Route {
  readonly name: string;
  readonly handler: Handler;
}

const ROUTES: Readonly<Record<string, Route>> = {
  '/TraceSegments': { name: 'PutTraceSegments', handler: putTraceSegments },
  '/TraceSummaries': { name: 'GetTraceSummaries', handler: getTraceSummaries },
  '/Traces': { name: 'BatchGetTraces', handler: batchGetTraces },
};

const OTLP_PATH = '/v1/traces';
/** Not an X-Ray API operation: the request log's name for an OTLP export. */
const OTLP_NAME = 'OTLPExportTraces';

export function createXRayService(store: ServiceStore): XRayService {
  const state = loadState(store);
  const ctx: XRayContext = { state, save: () => store.save(STORE_NAME, state) };

  return {
    signingName: 'xray',
    protocol: 'rest-json',

    operation(req: LocalRequest): Operation | undefined {
      if (req.method !== 'POST') return undefined;
      // The SDK appends no trailing slash, but tolerate one.
      const path = req.path.length > 1 ? req.path.replace(/\/$/, '') : req.path;
      if (path === OTLP_PATH) {
        // AWS authorizes OTLP trace ingestion as PutTraceSegments.
        return { action: 'xray:PutTraceSegments', resource: '*', name: OTLP_NAME };
      }
      const route = ROUTES[path];
      if (route === undefined) return undefined;
      return { action: `xray:${route.name}`, resource: '*', name: route.name };
    },

    handle(req: LocalRequest, operation: Operation): LocalResponse {
      if (operation.name === OTLP_NAME) return exportTraces(ctx, req);
      const route = Object.values(ROUTES).find((r) => r.name === operation.name);
      if (route === undefined) {
        throw new ServiceError('UnknownOperationException', `Unknown operation ${operation.name}`);
      }
      return route.handler(ctx, req, parseBody(req.body));
    },

    spans(): StoredSpan[] {
      return [...state.spans];
    },

    segments(): StoredSegment[] {
      return Object.values(state.traces).flat();
    },
  };
}
