/**
 * The plumbing the JSON 1.1 services routed by `X-Amz-Target:
 * {prefix}{Operation}` share (Firehose, Kinesis): which operation a request
 * calls, its body parsed once, and dispatch to the operation's handler.
 */
import {
  ServiceError,
  type LocalRequest,
  type LocalResponse,
  type LocalService,
} from '../service.js';
import { cachedJsonParser, type JsonObject } from './json-body.js';

/** A header's value; node:http gives repeated headers as arrays, of which the first counts. */
export function firstHeader(req: LocalRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export type TargetHandler<C> = (ctx: C, req: LocalRequest, body: JsonObject) => LocalResponse;

export interface TargetServiceSpec<C> {
  readonly signingName: string;
  /** The service's name in errors: "not supported by signet local's {title}". */
  readonly title: string;
  /** `Firehose_20150804.`: the X-Amz-Target prefix before the operation name. */
  readonly prefix: string;
  /** A Map, so that a target such as `….constructor` finds nothing. */
  readonly handlers: ReadonlyMap<string, TargetHandler<C>>;
  readonly context: C;
  /** The ARN the policy check uses for a call with this body. */
  resource(req: LocalRequest, body: JsonObject): string;
  /** Throws for a request of this service the server cannot read (Kinesis: CBOR). */
  readonly refuse?: (req: LocalRequest) => void;
  readonly batchOperations?: ReadonlySet<string>;
}

export function targetService<C>(spec: TargetServiceSpec<C>): LocalService {
  const parse = cachedJsonParser('SerializationException');
  const unknown = (name: string) =>
    new ServiceError(
      'UnknownOperationException',
      `The operation ${name} is not supported by signet local's ${spec.title}`,
    );
  return {
    signingName: spec.signingName,
    protocol: 'json',
    ...(spec.batchOperations === undefined ? {} : { batchOperations: spec.batchOperations }),

    operation(req) {
      const target = firstHeader(req, 'x-amz-target');
      if (target === undefined || !target.startsWith(spec.prefix)) return undefined;
      const name = target.slice(spec.prefix.length);
      if (!spec.handlers.has(name)) throw unknown(name);
      spec.refuse?.(req);
      const resource = spec.resource(req, parse(req.body));
      return { action: `${spec.signingName}:${name}`, resource, name };
    },

    handle(req, operation) {
      const handler = spec.handlers.get(operation.name);
      if (handler === undefined) throw unknown(operation.name);
      return handler(spec.context, req, parse(req.body));
    },
  };
}
