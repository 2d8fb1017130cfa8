import { ServiceError } from './service.js';

export type FaultKind = 'throttle' | 'error' | 'latency' | 'reset' | 'partial';

/** A misbehaviour to inject, from `--config` (`faults:`) or `POST /_signet/faults`. */
export interface FaultRule {
  /** Signing name of the service (`logs`, `s3`, `aps`…), or `*`. */
  readonly service: string;
  /** Only this operation (`PutLogEvents`…); all when absent. */
  readonly operation?: string;
  readonly kind: FaultKind;
  /** For `error`: the HTTP status, 500 or 503 (default 500). */
  readonly status?: number;
  /** For `latency`: how long to hold the answer. */
  readonly latencyMs?: number;
  /** How many requests it hits; unlimited when absent (then bounded by `durationMs`). */
  count?: number;
  /** How long it lasts from when it was added. */
  readonly durationMs?: number;
  /** For `partial`: which record indexes of a batch fail (default: every other one). */
  readonly records?: readonly number[];
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

/** Deterministic misbehaviour per service, for a count of requests or a duration. */
export class Faults {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule, now: number): void {
    if (!['throttle', 'error', 'latency', 'reset', 'partial'].includes(rule.kind)) {
      throw new ServiceError(
        'InvalidFault',
        `unknown fault kind '${String(rule.kind)}': use throttle, error, latency, reset or partial`,
      );
    }
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

  /** Whether a `partial` fault fails record `index` of a batch (checked once per batch by the service hook). */
  failsRecord(rule: FaultRule | undefined, index: number): boolean {
    if (rule === undefined) return false;
    return rule.records ? rule.records.includes(index) : index % 2 === 1;
  }

  private expire(now: number): void {
    this.rules = this.rules.filter(
      (r) => r.until > now && (r.rule.count === undefined || r.rule.count > 0),
    );
  }
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
