import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goDuration } from '../../../src/pipelines/metrics/observers.js';

test("interval labels are written as Go's time.Duration.String() writes them", () => {
  // Expected strings as Go prints these durations (as in Prometheus's `interval` labels).
  const cases: [number, string][] = [
    [0, '0s'],
    [100, '100ms'],
    [999, '999ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [15_000, '15s'],
    [60_000, '1m0s'],
    [90_500, '1m30.5s'],
    [3_600_000, '1h0m0s'],
    [5_430_250, '1h30m30.25s'],
  ];
  for (const [ms, go] of cases) assert.equal(goDuration(ms), go, `${ms} ms`);
});
