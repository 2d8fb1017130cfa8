/** Asserts that nothing an AwsError shows or holds carries a secret or an unmasked key id. */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describeAwsError, type AwsError } from '../../../src/aws/errors/index.js';

export function assertSafe(error: AwsError, secrets: ReadonlyArray<string | undefined>): void {
  const shown = [
    error.message,
    error.hint,
    error.awsMessage,
    error.toUserString(),
    error.awsStringToSign ?? '',
    error.awsCanonicalRequest ?? '',
    error.url ?? '',
    ...describeAwsError(error),
    inspect(error, { depth: 5 }),
    JSON.stringify(error),
  ].join('\n');
  for (const secret of secrets) {
    if (!secret) continue;
    assert.ok(!shown.includes(secret), `"${secret.slice(0, 12)}…" appears in the error`);
  }
}
