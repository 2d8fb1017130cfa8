import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSignet } from '../helpers/run-cli.js';

test('signet local --demo: requests signed by Signet pass the independent verifier, a wrong region is refused', async () => {
  const r = await runSignet(['local', '--demo']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /✓ STS GetCallerIdentity: HTTP 200 arn:aws:iam::123456789012:user\/demo/);
  assert.match(r.stdout, /✓ CloudWatch Logs GetLogEvents: HTTP 200 \["hello from Signet",/);
  assert.match(
    r.stdout,
    /✓ A request signed for eu-west-1 is refused: HTTP 400 InvalidSignatureException/,
  );
  assert.equal((r.stdout.match(/: verified$/gm) ?? []).length, 5);
  assert.doesNotMatch(r.stdout, /✗/);
});

test('signet local: a bad --port is one line and exit 2', async () => {
  const r = await runSignet(['local', '--port', 'abc']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^signet local: --port 'abc' is not a port number \(use 0 to 65535\)\n$/);
});
