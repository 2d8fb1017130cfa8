/**
 * Talking to a `signet local` stack over 127.0.0.1 as a test does: settings
 * for real SDK clients, a server clock the test moves, faults through the
 * control endpoint and the request log with its verdicts.
 */
import { request } from 'undici';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  type LocalStack,
} from '../../src/local/index.js';
import type { LoggedRequest } from '../../src/local/request-log.js';

export const DEMO_CREDENTIALS = {
  accessKeyId: DEMO_ACCESS_KEY_ID,
  secretAccessKey: DEMO_SECRET_ACCESS_KEY,
};

/** The demo principal as a config file lists it, allowed everything: for configs that add to it. */
export const DEMO_PRINCIPAL_YAML = `principals:
  - name: demo
    account_id: '123456789012'
    access_key_id: ${DEMO_ACCESS_KEY_ID}
    secret_access_key: ${DEMO_SECRET_ACCESS_KEY}
    policy: [{ effect: Allow, actions: '*', resources: '*' }]
`;

/** Options for an `@aws-sdk/client-*` client pointed at the stack; one attempt, so faults show. */
export function sdkConfig(local: LocalStack, extra: object = {}) {
  return {
    endpoint: local.url,
    region: local.region,
    credentials: DEMO_CREDENTIALS,
    maxAttempts: 1,
    ...extra,
  };
}

/**
 * The server's clock: real time plus an offset the test moves forward, or,
 * `frozen`, a whole second taken at construction that moves only when told —
 * for tests of an exact boundary (a presigned URL's last valid millisecond).
 */
export class TestClock {
  private offsetMs = 0;
  private readonly frozenAt: number | undefined;
  constructor(options: { frozen?: boolean } = {}) {
    this.frozenAt = options.frozen ? Math.floor(Date.now() / 1000) * 1000 : undefined;
  }
  readonly now = (): number => (this.frozenAt ?? Date.now()) + this.offsetMs;
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** `POST /_signet/faults`; the status and the answer's JSON. */
export async function postFaults(
  local: LocalStack,
  rules: unknown,
): Promise<{ status: number; body: { faults?: unknown[]; message?: string } }> {
  const answer = await request(`${local.url}/_signet/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rules),
  });
  return {
    status: answer.statusCode,
    body: (await answer.body.json()) as { faults?: unknown[]; message?: string },
  };
}

/** `GET /_signet/faults`: the rules in force, with what is left of their counts. */
export async function listFaults(local: LocalStack): Promise<unknown[]> {
  const answer = await request(`${local.url}/_signet/faults`);
  return ((await answer.body.json()) as { faults: unknown[] }).faults;
}

export async function clearFaults(local: LocalStack): Promise<void> {
  const answer = await request(`${local.url}/_signet/faults`, { method: 'DELETE' });
  await answer.body.dump();
}

/** `GET /_signet/requests`: what arrived, oldest first, with each verdict. */
export async function loggedRequests(local: LocalStack): Promise<LoggedRequest[]> {
  const answer = await request(`${local.url}/_signet/requests`);
  return ((await answer.body.json()) as { requests: LoggedRequest[] }).requests;
}

/** Entries of the log whose signature was not verified (header-signed or presigned). */
export function unverified(entries: readonly LoggedRequest[]): LoggedRequest[] {
  return entries.filter((e) => !e.signature.startsWith('verified'));
}
