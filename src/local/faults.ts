/**
 * Misbehaviour on demand: throttling, 5xx answers, latency, connection resets
 * and partial batch failures, per service (and operation), for a count of
 * requests or a duration, from `--config` (`faults:`) or `POST /_signet/faults`.
 */
import { z } from 'zod';
import { ServiceError, type RecordFault } from './service.js';

export type FaultKind = 'throttle' | 'error' | 'latency' | 'reset' | 'partial';

/** A misbehaviour to inject. */
export interface FaultRule {
  /** Signing name of the service (`logs`, `s3`, `aps`…), or `*`. */
  readonly service: string;
  /** Only this operation (`PutLogEvents`…); all when absent. */
  readonly operation?: string;
  readonly kind: FaultKind;
  /** For `error`: the HTTP status, 500 or 503 (default 500). */
  readonly status?: number;
  /** For `latency`: how long to hold the answer (default 1000). */
  readonly latencyMs?: number;
  /** How many requests it hits; unlimited when absent (then bounded by `durationMs`). */
  count?: number;
  /** How long it lasts from when it was added. */
  readonly durationMs?: number;
  /** For `partial`: which record indexes of a batch fail (default: every other one, 1, 3, 5…). */
  readonly records?: readonly number[];
}

const positive = z.number().int().min(1);

/**
 * A rule as written: snake_case like the rest of the config file (`latency_ms`,
 * `duration_ms`); the camelCase spellings are accepted too (see `spelled`).
 */
export const faultRuleSchema = z
  .strictObject({
    service: z.string().min(1),
    operation: z.string().min(1).optional(),
    kind: z.enum(['throttle', 'error', 'latency', 'reset', 'partial']),
    status: z.union([z.literal(500), z.literal(503)]).optional(),
    latency_ms: z.number().int().min(0).optional(),
    count: positive.optional(),
    duration_ms: positive.optional(),
    records: z.array(z.number().int().min(0)).min(1).optional(),
  })
  .transform((f): FaultRule => ({
    service: f.service,
    kind: f.kind,
    ...(f.operation === undefined ? {} : { operation: f.operation }),
    ...(f.status === undefined ? {} : { status: f.status }),
    ...(f.latency_ms === undefined ? {} : { latencyMs: f.latency_ms }),
    ...(f.count === undefined ? {} : { count: f.count }),
    ...(f.duration_ms === undefined ? {} : { durationMs: f.duration_ms }),
    ...(f.records === undefined ? {} : { records: f.records }),
  }));

/** `latencyMs` → `latency_ms`, so JSON written the JavaScript way parses as well. */
function spelled(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
  );
}

/** One rule or a list of rules, in either spelling; the first problem is the thrown message. */
export function parseFaultRules(value: unknown): FaultRule[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, i) => {
    const parsed = faultRuleSchema.safeParse(spelled(item));
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = [...(list.length > 1 ? [i] : []), ...(issue?.path ?? [])].join('.');
    throw new Error(`${where === '' ? '' : `${where}: `}${issue?.message ?? 'invalid fault'}`);
  });
}

interface ActiveRule {
  readonly rule: FaultRule;
  readonly until: number;
}

/** The throttling answer each service really gives. */
const THROTTLE: Record<string, [string, number, string]> = {
  s3: ['SlowDown', 503, 'Please reduce your request rate.'],
  aps: ['ThrottlingException', 429, 'Rate exceeded'],
  logs: ['ThrottlingException', 400, 'Rate exceeded'],
  firehose: ['ServiceUnavailableException', 503, 'Slow down.'],
  kinesis: [
    'ProvisionedThroughputExceededException',
    400,
    'Rate exceeded for shard shardId-000000000000.',
  ],
  xray: ['ThrottledException', 429, 'Rate exceeded'],
  monitoring: ['Throttling', 400, 'Rate exceeded'],
  sts: ['Throttling', 400, 'Rate exceeded'],
  ec2: ['RequestLimitExceeded', 503, 'Request limit exceeded.'],
};

/** The per-record error each service reports for a record it could not take. */
const RECORD_FAILURE: Record<string, RecordFault> = {
  firehose: { code: 'ServiceUnavailableException', message: 'Slow down.' },
  kinesis: {
    code: 'ProvisionedThroughputExceededException',
    message: 'Rate exceeded for shard shardId-000000000000.',
  },
};

/** Deterministic misbehaviour per service, for a count of requests or a duration. */
export class Faults {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule, now: number): void {
    this.rules.push({
      rule: { ...rule },
      until: rule.durationMs === undefined ? Infinity : now + rule.durationMs,
    });
  }

  list(now: number): FaultRule[] {
    this.expire(now);
    return this.rules.map((r) => r.rule);
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault that hits this request, if any; counts it against the rule. */
  take(
    service: string,
    operation: string,
    now: number,
    kinds: readonly FaultKind[],
  ): FaultRule | undefined {
    this.expire(now);
    for (const active of this.rules) {
      const { rule } = active;
      if (!kinds.includes(rule.kind)) continue;
      if (rule.service !== '*' && rule.service !== service) continue;
      if (rule.operation !== undefined && rule.operation !== operation) continue;
      if (rule.count !== undefined) rule.count--;
      return rule;
    }
    return undefined;
  }

  private expire(now: number): void {
    this.rules = this.rules.filter(
      (r) => r.until > now && (r.rule.count === undefined || r.rule.count > 0),
    );
  }
}

/** Which records of a batch a `partial` fault fails, answered in the service's own per-record code. */
export function recordFailures(
  service: string,
  rule: FaultRule,
): (index: number) => RecordFault | undefined {
  const failure = RECORD_FAILURE[service] ?? {
    code: 'InternalFailure',
    message: 'Internal service failure.',
  };
  const fails = (index: number) => (rule.records ? rule.records.includes(index) : index % 2 === 1);
  return (index) => (fails(index) ? failure : undefined);
}

/** The error a throttle or error fault answers with. */
export function faultError(service: string, rule: FaultRule): ServiceError {
  if (rule.kind === 'throttle') {
    const [code, status, message] = THROTTLE[service] ?? [
      'ThrottlingException',
      400,
      'Rate exceeded',
    ];
    return new ServiceError(code, message, status);
  }
  const status = rule.status ?? 500;
  return status === 503
    ? new ServiceError(
        service === 's3' ? 'ServiceUnavailable' : 'ServiceUnavailableException',
        'Service is unavailable. Please retry.',
        503,
      )
    : new ServiceError(
        service === 's3' ? 'InternalError' : 'InternalFailure',
        'We encountered an internal error. Please try again.',
        status,
      );
}
