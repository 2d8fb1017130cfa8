import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FailureLog } from '../../../src/sinks/shared/failure-log.js';
import type { Verdict } from '../../../src/sinks/shared/verdict.js';

interface Line {
  readonly level: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

function setup() {
  let now = 1_000_000;
  const lines: Line[] = [];
  const log = new FailureLog({
    destination: 'remote write to prod',
    log: (level, message, fields) => lines.push({ level, message, fields }),
    now: () => now,
    // The fake clock drives the lines here; the summary timer is pushed out of the way.
    intervalMs: 60_000,
  });
  return {
    log,
    lines,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const unavailable: Verdict = {
  action: 'retry',
  cause: 'HTTP 503',
  status: 503,
  message: 'http://x answered HTTP 503: ingester unavailable',
  hint: 'the endpoint failed; the data is retried',
};

const denied: Verdict = {
  action: 'hold',
  blocked: 'access-denied',
  cause: 'AWS AccessDeniedException',
  status: 403,
  message: 'AccessDeniedException from aps: not authorized to perform aps:RemoteWrite',
  hint: 'attach a policy allowing aps:RemoteWrite to role Writer',
};

test('the first failure is said at once, then one summary a minute with counts, then the recovery', () => {
  const { log, lines, advance } = setup();
  log.failed(unavailable);
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.level, 'warn');
  assert.equal(
    lines[0]!.message,
    'remote write to prod failed, retrying: http://x answered HTTP 503: ingester unavailable',
  );
  for (let i = 0; i < 28; i++) {
    advance(2000);
    log.failed(unavailable);
  }
  assert.equal(lines.length, 1, 'nothing more within the minute');
  advance(4000);
  log.failed(unavailable);
  assert.equal(lines.length, 2);
  assert.equal(
    lines[1]!.message,
    'remote write to prod still failing: 29 attempts over 60 s, last: http://x answered HTTP 503: ingester unavailable',
  );
  advance(1000);
  log.succeeded();
  assert.equal(lines.length, 3);
  assert.equal(lines[2]!.level, 'info');
  assert.equal(
    lines[2]!.message,
    'remote write to prod: sending recovered after 30 failures over 61 s',
  );
  log.succeeded();
  assert.equal(lines.length, 3, 'a success after a success says nothing');
  log.failed(unavailable);
  assert.equal(lines.length, 4, 'a new episode is said at once again');
  assert.match(lines[3]!.message, /failed, retrying/);
  log.close();
});

test('a held destination says it is blocked, with the hint, and a new cause is said at once', () => {
  const { log, lines, advance } = setup();
  log.failed(unavailable);
  log.failed(denied);
  assert.equal(lines.length, 2);
  assert.equal(lines[1]!.level, 'error');
  assert.equal(
    lines[1]!.message,
    'remote write to prod is blocked (access-denied); holding the data and retrying: AccessDeniedException from aps: not authorized to perform aps:RemoteWrite',
  );
  assert.equal(lines[1]!.fields['hint'], denied.hint);
  advance(120_000);
  log.failed(denied);
  assert.equal(lines.length, 3);
  assert.match(
    lines[2]!.message,
    /^remote write to prod still blocked \(access-denied\) after 2 min 0 s, data held: 1 attempt over 2 min 0 s, last: .*; attach a policy allowing aps:RemoteWrite to role Writer$/,
  );
  log.close();
});

test('drops are said at once per reason, then summed once a minute', () => {
  const { log, lines, advance } = setup();
  const outOfOrder: Verdict = {
    action: 'drop',
    dropReason: 'out-of-order',
    splittable: true,
    cause: 'HTTP 400',
    status: 400,
    message: 'http://x answered HTTP 400: out of order sample',
  };
  log.dropped(outOfOrder, 2, 20);
  assert.equal(lines.length, 1);
  assert.equal(
    lines[0]!.message,
    'remote write to prod refused 2 samples (out-of-order), dropped; the other 18 of the batch were delivered: http://x answered HTTP 400: out of order sample',
  );
  advance(10_000);
  log.dropped(outOfOrder, 3, 3);
  log.dropped(outOfOrder, 1, 10);
  assert.equal(lines.length, 1);
  advance(50_000);
  log.dropped(outOfOrder, 4, 4);
  assert.equal(lines.length, 2);
  assert.equal(
    lines[1]!.message,
    'remote write to prod dropped another 8 samples (out-of-order) in 3 batches over 60 s, last: http://x answered HTTP 400: out of order sample',
  );
  log.close();
});
