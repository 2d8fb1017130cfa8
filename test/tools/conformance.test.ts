/**
 * Runs AWS's SigV4/SigV4a test suite from ../shared/sigv4-suite (beside the
 * clone) when it is there: every v4 and v4a vector, header and query form.
 * The suite is not part of the repository; without it this test is skipped
 * and the literal AWS examples in test/aws/sigv4 still run.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCase } from '../../tools/conformance/check.js';
import { loadSuite } from '../../tools/conformance/suite.js';

const SUITE = fileURLToPath(new URL('../../../../shared/sigv4-suite', import.meta.url));
const RUNNER = fileURLToPath(new URL('../../tools/conformance.js', import.meta.url));
const present = existsSync(SUITE);
const skip = present ? false : `no SigV4 suite at ${SUITE}`;

test('every v4 and v4a vector of the AWS suite passes, header and query form', { skip }, () => {
  const cases = loadSuite(SUITE);
  let checked = 0;
  const seen = { v4: 0, v4a: 0 };
  for (const c of cases) {
    for (const result of checkCase(c)) {
      if (!c.read('header-canonical-request.txt')) continue;
      assert.deepEqual(result.problems, [], result.name);
      checked++;
      if (c.name.startsWith('v4/')) seen.v4++;
      if (c.name.startsWith('v4a/')) seen.v4a++;
    }
  }
  // 38 complete cases each, signed two ways.
  assert.equal(seen.v4, 76);
  assert.equal(seen.v4a, 76);
  assert.ok(checked >= 152);
});

test(
  '`npm run conformance` prints "N passed, N failed" alone on its last line',
  { skip },
  async () => {
    const { stdout, code } = await new Promise<{ stdout: string; code: number }>((resolve) => {
      execFile(process.execPath, [RUNNER, SUITE], (error, out) =>
        resolve({ stdout: out, code: error ? Number(error.code) : 0 }),
      );
    });
    const last = stdout.trimEnd().split('\n').at(-1);
    assert.match(last ?? '', /^\d+ passed, 0 failed$/);
    assert.equal(code, 0);
  },
);
