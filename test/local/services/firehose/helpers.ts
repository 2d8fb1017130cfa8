/**
 * Hand-made requests for calling the local Firehose directly, without the
 * HTTP core: the tests exercise the service's own parsing, limits and answers.
 */
import type { LocalRequest, LocalService, ServiceStore } from '../../../../src/local/service.js';

/** A store that round-trips through JSON, as `--data-dir` would. */
export class MemoryStore implements ServiceStore {
  private readonly saved = new Map<string, string>();

  load<T>(service: string): T | undefined {
    const text = this.saved.get(service);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  save(service: string, state: unknown): void {
    this.saved.set(service, JSON.stringify(state));
  }
}

export const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);

export function firehoseRequest(
  operation: string,
  body: unknown,
  extra: Partial<LocalRequest> = {},
): LocalRequest {
  return {
    method: 'POST',
    rawPath: '/',
    path: '/',
    query: new URLSearchParams(),
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `Firehose_20150804.${operation}`,
    },
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    host: 'firehose.us-east-1.amazonaws.com',
    region: 'us-east-1',
    principal: {
      arn: 'arn:aws:iam::111122223333:user/demo',
      accountId: '111122223333',
      userId: 'AIDAEXAMPLE',
      accessKeyId: 'AKIDEXAMPLE',
    },
    now: NOW,
    requestId: 'req-1',
    ...extra,
  };
}

/** Routes and handles a request as the core would, answering status and parsed JSON. */
export async function call(
  service: LocalService,
  req: LocalRequest,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const operation = service.operation(req);
  if (operation === undefined) throw new Error('the service did not claim the request');
  const res = await service.handle(req, operation);
  const text = res.body === undefined ? '' : res.body.toString();
  return {
    status: res.status,
    json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

/** `n` bytes of base64-encoded data, each byte `fill`. */
export function blob(n: number, fill = 0x61): string {
  return Buffer.alloc(n, fill).toString('base64');
}
