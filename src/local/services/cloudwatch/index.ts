/**
 * The local CloudWatch metrics API, signed as `monitoring`, in both of the
 * protocols clients use: JSON 1.0 (`X-Amz-Target:
 * GraniteServiceVersion20100801.<Op>`, current AWS SDKs) and the query API
 * (form bodies with `Action=…`, older SDKs and the CLI). A LocalService has
 * one protocol, so there are two service objects over one shared state; each
 * answers, and renders errors, in its own protocol.
 */
import { gunzipSync } from 'node:zlib';
import {
  accountOf,
  ServiceError,
  type LocalRequest,
  type LocalResponse,
  type LocalService,
  type Operation,
  type ServiceStore,
} from '../../service.js';
import { firstHeader } from '../json-target.js';
import { getMetricData, listMetrics } from './get.js';
import {
  jsonGetMetricData,
  jsonListMetrics,
  jsonPutMetricData,
  parseJsonBody,
} from './json-input.js';
import { JSON_ERROR_CODES } from './model.js';
import { putMetricData } from './put.js';
import { queryGetMetricData, queryListMetrics, queryPutMetricData } from './query-input.js';
import * as render from './render.js';
import { loadState, STORE_NAME, type CloudWatchContext, type StoredMetric } from './state.js';

export { MAX_ABS_VALUE, MAX_DATUMS, MAX_DIMENSIONS, MAX_VALUES } from './put.js';
export { MAX_QUERIES } from './get.js';
export type { StoredMetric } from './state.js';

export interface CloudWatchServices {
  /** JSON 1.0, for current SDKs. */
  readonly json: LocalService;
  /** The query API, claiming only POST form bodies for the operations below. */
  readonly query: LocalService;
  /** Every stored metric with its data points, for in-process read-back. */
  metrics(): StoredMetric[];
}

const OPERATIONS = ['PutMetricData', 'GetMetricData', 'ListMetrics'];
const TARGET_PREFIX = 'GraniteServiceVersion20100801.';
/** "Each PutMetricData request is limited to 1 MB in size for HTTP POST requests" (taken as 1 MiB, as sent). */
export const MAX_PUT_BODY_BYTES = 1024 * 1024;
/** Refuse to inflate a gzip body past this; far above any valid request. */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/** The body as sent, inflated when gzip-encoded (the SDK compresses PutMetricData bodies over 10 KB). */
function inflate(req: LocalRequest, malformedCode: string): Buffer {
  if (firstHeader(req, 'content-encoding')?.toLowerCase() !== 'gzip') return req.body;
  try {
    return gunzipSync(req.body, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch {
    throw new ServiceError(malformedCode, 'The request body is not valid gzip');
  }
}

function checkPutSize(req: LocalRequest): void {
  if (req.body.length > MAX_PUT_BODY_BYTES) {
    throw new ServiceError(
      'RequestEntityTooLarge',
      `Request size ${req.body.length} exceeded ${MAX_PUT_BODY_BYTES} bytes`,
      413,
    );
  }
}

function operationNamed(name: string): Operation {
  return { action: `cloudwatch:${name}`, resource: '*', name };
}

function jsonService(ctx: CloudWatchContext): LocalService {
  function act(req: LocalRequest, name: string): LocalResponse {
    const body = parseJsonBody(inflate(req, 'SerializationException'));
    if (name === 'PutMetricData') {
      checkPutSize(req);
      putMetricData(ctx, jsonPutMetricData(body), accountOf(req), req.region, req.now);
      return render.jsonAnswer({});
    }
    if (name === 'GetMetricData') {
      return render.jsonMetricData(
        getMetricData(ctx, jsonGetMetricData(body), accountOf(req), req.region),
      );
    }
    const listed = listMetrics(ctx, jsonListMetrics(body), accountOf(req), req.region, req.now);
    return render.jsonMetricList(listed.metrics, listed.nextToken);
  }

  return {
    signingName: 'monitoring',
    protocol: 'json',
    operation(req) {
      const target = firstHeader(req, 'x-amz-target');
      if (target === undefined || !target.startsWith(TARGET_PREFIX)) return undefined;
      const name = target.slice(TARGET_PREFIX.length);
      if (!OPERATIONS.includes(name)) {
        throw new ServiceError(
          'UnknownOperationException',
          `The operation ${name} is not supported by signet local's CloudWatch`,
        );
      }
      return operationNamed(name);
    },
    handle(req, operation) {
      try {
        return act(req, operation.name);
      } catch (error) {
        // The checks raise the query API's codes; JSON clients know them by their exception names.
        const renamed = error instanceof ServiceError ? JSON_ERROR_CODES[error.code] : undefined;
        if (error instanceof ServiceError && renamed !== undefined) {
          throw new ServiceError(renamed, error.message, error.status, error.fault, error.extra);
        }
        throw error;
      }
    },
  };
}

function queryService(ctx: CloudWatchContext): LocalService {
  // operation() parses the form to see whether it is ours; handle() gets a copy
  // of the request with the same body Buffer, so the parse is kept by Buffer.
  const forms = new WeakMap<Buffer, URLSearchParams>();

  function form(req: LocalRequest): URLSearchParams | undefined {
    if (req.method !== 'POST') return undefined;
    const type = firstHeader(req, 'content-type')?.toLowerCase() ?? '';
    if (!type.startsWith('application/x-www-form-urlencoded')) return undefined;
    let params = forms.get(req.body);
    if (params === undefined) {
      params = new URLSearchParams(inflate(req, 'MalformedInput').toString('utf8'));
      forms.set(req.body, params);
    }
    return params;
  }

  return {
    signingName: 'monitoring',
    protocol: 'query',
    operation(req) {
      let params: URLSearchParams | undefined;
      try {
        params = form(req);
      } catch {
        // A body we cannot inflate may be another query service's; leave it to them.
        return undefined;
      }
      const action = params?.get('Action');
      return action !== null && action !== undefined && OPERATIONS.includes(action)
        ? operationNamed(action)
        : undefined;
    },
    handle(req, operation) {
      const params = form(req) ?? new URLSearchParams();
      if (operation.name === 'PutMetricData') {
        checkPutSize(req);
        putMetricData(ctx, queryPutMetricData(params), accountOf(req), req.region, req.now);
        return render.xmlPutMetricData(req.requestId);
      }
      if (operation.name === 'GetMetricData') {
        const results = getMetricData(ctx, queryGetMetricData(params), accountOf(req), req.region);
        return render.xmlMetricData(results, req.requestId);
      }
      const listed = listMetrics(
        ctx,
        queryListMetrics(params),
        accountOf(req),
        req.region,
        req.now,
      );
      return render.xmlMetricList(listed.metrics, listed.nextToken, req.requestId);
    },
  };
}

export function createCloudWatchServices(store: ServiceStore): CloudWatchServices {
  const state = loadState(store);
  const ctx: CloudWatchContext = { state, save: () => store.save(STORE_NAME, state) };
  return {
    json: jsonService(ctx),
    query: queryService(ctx),
    metrics: () => Object.values(state.metrics).map((m) => ({ ...m, points: [...m.points] })),
  };
}
