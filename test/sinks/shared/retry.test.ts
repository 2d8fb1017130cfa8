/**
 * The retrying sender over a generic SendTarget, as a future sink would use
 * it: the target throws the errors the shared EndpointClient throws.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySendError } from '../../../src/sinks/shared/classify.js';
import { FailureLog } from '../../../src/sinks/shared/failure-log.js';
import { EndpointHttpError } from '../../../src/sinks/shared/http.js';
import { RetryingSender, type SendTarget } from '../../../src/sinks/shared/retry.js';

/** A destination answering with `status` until `fix()`, counting attempts and refreshes. */
class Destination implements SendTarget<string> {
  attempts = 0;
  refreshes = 0;
  accepted: string[] = [];
  constructor(private status: number) {}
  fix(): void {
    this.status = 200;
  }
  send(body: string): Promise<void> {
    this.attempts++;
    if (this.status === 200) {
      this.accepted.push(body);
      return Promise.resolve();
    }
    return Promise.reject(new EndpointHttpError('http://dest/x', this.status, 'no', undefined));
  }
  refresh(): Promise<void> {
    this.refreshes++;
    return Promise.resolve();
  }
}

function sender(target: Destination, holdMaxBackoffMs: number) {
  const lines: string[] = [];
  const failures = new FailureLog({
    destination: 'logs to group',
    log: (_level, message) => lines.push(message),
  });
  const s = new RetryingSender<string>(
    target,
    (error) => classifySendError(error, { retryOnHttp429: true }),
    { minBackoffMs: 5, maxBackoffMs: 20, holdMaxBackoffMs },
    failures,
  );
  return { s, lines };
}

test('a hold never drops: it refreshes before every retry, shows blocked, and the first success clears it', async () => {
  const dest = new Destination(401);
  const { s, lines } = sender(dest, 20);
  const sending = s.send('batch-1', 3);
  while (dest.attempts < 5) await new Promise((r) => setTimeout(r, 5));
  const blocked = s.blocked;
  assert.equal(blocked?.reason, 'credentials');
  assert.match(blocked.message, /HTTP 401/);
  while (dest.attempts < 7) await new Promise((r) => setTimeout(r, 5));
  assert.equal(s.blocked?.since, blocked.since, 'since the first refusal');
  dest.fix();
  const result = await sending;
  assert.equal(result.outcome, 'sent');
  assert.equal(dest.refreshes, result.attempts - 1, 'a refresh before each retry');
  assert.equal(s.unitsRetried, 3 * (result.attempts - 1));
  assert.equal(s.blocked, undefined);
  assert.deepEqual(dest.accepted, ['batch-1']);
  assert.match(lines[0]!, /^logs to group is blocked \(credentials\)/);
  assert.match(lines.at(-1)!, /^logs to group: sending recovered after \d+ failures/);
});

test('a success wakes every held send at once instead of leaving it to its long backoff', async () => {
  const dest = new Destination(403);
  const { s } = sender(dest, 60_000);
  const held = [s.send('a', 1), s.send('b', 1)];
  // Let the hold backoff grow past a second: 5, 10, 20 … ms.
  while (dest.attempts < 2 * 9) await new Promise((r) => setTimeout(r, 20));
  dest.fix();
  const began = Date.now();
  assert.equal((await s.send('c', 1)).outcome, 'sent');
  const results = await Promise.all(held);
  assert.ok(
    Date.now() - began < 500,
    `woken at once, not after the backoff (${Date.now() - began} ms)`,
  );
  assert.deepEqual(
    results.map((r) => r.outcome),
    ['sent', 'sent'],
  );
  assert.deepEqual(dest.accepted.sort(), ['a', 'b', 'c']);
});

test('a drop is handed back at once, unlogged, for the caller to split or count', async () => {
  const dest = new Destination(400);
  const { s, lines } = sender(dest, 20);
  const result = await s.send('poison', 1);
  assert.equal(result.outcome, 'dropped');
  assert.equal(result.outcome === 'dropped' && result.verdict.dropReason, 'invalid');
  assert.equal(dest.attempts, 1);
  assert.deepEqual(lines, []);
});

test('stop ends a held send: stopped, not sent and not dropped', async () => {
  const dest = new Destination(404);
  const { s } = sender(dest, 60_000);
  const sending = s.send('x', 1);
  while (dest.attempts < 3) await new Promise((r) => setTimeout(r, 5));
  s.stop();
  assert.equal((await sending).outcome, 'stopped');
  assert.deepEqual(dest.accepted, []);
});

test('jitter takes a random share off each backoff wait; the doubling goes on from the whole wait', async () => {
  /** Answers 503 `failures` times, noting when each attempt came. */
  class Flaky implements SendTarget<string> {
    readonly at: number[] = [];
    constructor(private failures: number) {}
    send(): Promise<void> {
      this.at.push(performance.now());
      if (this.failures-- > 0) {
        return Promise.reject(new EndpointHttpError('http://dest/x', 503, 'busy', undefined));
      }
      return Promise.resolve();
    }
  }
  const waitsOf = async (jitter: number | undefined): Promise<number[]> => {
    const target = new Flaky(3);
    const failures = new FailureLog({ destination: 'd', log: () => {} });
    const s = new RetryingSender<string>(
      target,
      (error) => classifySendError(error, { retryOnHttp429: true }),
      { minBackoffMs: 80, maxBackoffMs: 320, holdMaxBackoffMs: 320, jitter },
      failures,
    );
    assert.equal((await s.send('body', 1)).outcome, 'sent');
    return target.at.slice(1).map((t, i) => t - target.at[i]!);
  };
  const random = Math.random;
  Math.random = () => 0.5;
  try {
    // Whole waits 80, 160, 320; with jitter 0.5 and a draw of 0.5, a quarter comes off each.
    const jittered = await waitsOf(0.5);
    [60, 120, 240].forEach((want, i) => {
      assert.ok(jittered[i]! >= want - 2, `wait ${i}: ${jittered[i]}`);
    });
    // Below what the whole waits add up to (560 ms), with room for a loaded machine.
    const total = jittered.reduce((a, b) => a + b, 0);
    assert.ok(total < 560, `jittered waits add up to ${total} ms`);
  } finally {
    Math.random = random;
  }
  const whole = await waitsOf(undefined);
  [80, 160, 320].forEach((want, i) => {
    assert.ok(whole[i]! >= want - 2, `wait ${i}: ${whole[i]}`);
  });
});
