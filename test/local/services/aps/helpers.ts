/**
 * Test fixtures for the AMP service: a remote-write body encoder written
 * independently of the service's decoder (JSON schema, not the .proto text),
 * an in-memory ServiceStore that forces state through JSON, and requests.
 */
import { compressSync } from 'snappy';
import { createApsService } from '../../../../src/local/services/aps/index.js';
import type {
  LocalRequest,
  LocalResponse,
  LocalService,
  Principal,
  ServiceStore,
} from '../../../../src/local/service.js';
import { WriteRequestType } from '../../../sinks/remote-write/wire.js';

// The same independent JSON descriptor the remote-write sink's tests decode with.
const WriteRequest = WriteRequestType;

export interface TestSeries {
  /** In the order they go on the wire. */
  readonly labels: readonly (readonly [string, string])[];
  readonly samples: readonly (readonly [timestampMs: number, value: number])[];
}

/** The protobuf bytes of a WriteRequest, uncompressed. */
export function encodeWriteRequest(series: readonly TestSeries[], withMetadata = false): Buffer {
  const message = WriteRequest.fromObject({
    timeseries: series.map((s) => ({
      labels: s.labels.map(([name, value]) => ({ name, value })),
      samples: s.samples.map(([timestamp, value]) => ({ timestamp, value })),
    })),
    metadata: withMetadata
      ? [{ type: 'COUNTER', metric_family_name: 'up', help: 'Up.', unit: '' }]
      : [],
  });
  return Buffer.from(WriteRequest.encode(message).finish());
}

export const PRINCIPAL: Principal = {
  arn: 'arn:aws:iam::111122223333:user/demo',
  accountId: '111122223333',
  userId: 'AIDAEXAMPLEDEMO',
  accessKeyId: 'AKIAEXAMPLEDEMO',
};

export const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
export const WORKSPACE = 'ws-0a1b2c3d-4e5f-6789-abcd-ef0123456789';

export function request(
  method: string,
  pathAndQuery: string,
  options: { headers?: LocalRequest['headers']; body?: Buffer; now?: number } = {},
): LocalRequest {
  const url = new URL(pathAndQuery, 'https://aps-workspaces.us-east-1.amazonaws.com');
  return {
    method,
    rawPath: url.pathname,
    path: decodeURIComponent(url.pathname),
    query: url.searchParams,
    headers: options.headers ?? {},
    body: options.body ?? Buffer.alloc(0),
    host: url.hostname,
    region: 'us-east-1',
    principal: PRINCIPAL,
    now: options.now ?? NOW,
    requestId: 'req-1',
  };
}

export function writeRequest(series: readonly TestSeries[], workspace = WORKSPACE): LocalRequest {
  return request('POST', `/workspaces/${workspace}/api/v1/remote_write`, {
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    },
    body: compressSync(encodeWriteRequest(series)),
  });
}

/** Runs a request through operation() then handle(), as the core does. */
export async function call(service: LocalService, req: LocalRequest): Promise<LocalResponse> {
  const operation = service.operation(req);
  if (!operation) throw new Error(`not an AMP request: ${req.method} ${req.path}`);
  return service.handle(req, operation);
}

/** A Prometheus API answer's parsed JSON body. */
export async function callJson(service: LocalService, req: LocalRequest): Promise<unknown> {
  const response = await call(service, req);
  return JSON.parse(String(response.body)) as unknown;
}

/** A ServiceStore that keeps state only as JSON text, as `--data-dir` would. */
export class MemoryStore implements ServiceStore {
  readonly saved = new Map<string, string>();
  saves = 0;

  load<T>(service: string): T | undefined {
    const text = this.saved.get(service);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  save(service: string, state: unknown): void {
    this.saves++;
    this.saved.set(service, JSON.stringify(state));
  }
}

export function newService(store: ServiceStore = new MemoryStore()): LocalService {
  return createApsService(store);
}
