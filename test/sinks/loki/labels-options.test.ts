import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import { AwsClient } from '../../../src/aws/http/aws-client.js';
import {
  LokiClient,
  LokiOptionsError,
  createLokiClientMetrics,
  formatLabels,
  goQuote,
  resolveLokiOptions,
} from '../../../src/sinks/loki/index.js';

test("values are quoted as Go's strconv.Quote (examples from its documentation and Go's quote tests)", () => {
  // pkg.go.dev/strconv#Quote: `"\"Fran & Freddie's Diner\t☺\""`.
  assert.equal(goQuote('"Fran & Freddie\'s Diner\t☺"'), '"\\"Fran & Freddie\'s Diner\\t☺\\""');
  // strconv quote_test.go: control characters, DEL, C1 controls and non-printables.
  assert.equal(goQuote('\x07\b\f\r\n\t\v'), '"\\a\\b\\f\\r\\n\\t\\v"');
  assert.equal(goQuote('\\'), '"\\\\"');
  assert.equal(goQuote('\x04'), '"\\x04"');
  assert.equal(goQuote('\x7f'), '"\\x7f"');
  assert.equal(goQuote('\u0085'), '"\\u0085"');
  assert.equal(goQuote('\u2028'), '"\\u2028"');
  assert.equal(goQuote('\u{10ffff}'), '"\\U0010ffff"');
  assert.equal(goQuote('日本語'), '"日本語"');
});

test('a label string is `{a="b", c="d"}`, sorted by name', () => {
  assert.equal(formatLabels({ job: 'x', app: 'y "z"' }), '{app="y \\"z\\"", job="x"}');
  assert.equal(formatLabels({ b: '1', B: '2', _a: '3' }), '{B="2", _a="3", b="1"}');
  assert.equal(formatLabels({}), '{}');
});

test("Promtail's defaults fill what is not given", () => {
  const resolved = resolveLokiOptions({ url: 'http://loki:3100/loki/api/v1/push' });
  assert.equal(resolved.batchWaitMs, 1000);
  assert.equal(resolved.batchSizeBytes, 1024 * 1024);
  assert.equal(resolved.timeoutMs, 10_000);
  assert.deepEqual(resolved.backoff, { minPeriodMs: 500, maxPeriodMs: 300_000, maxRetries: 10 });
  assert.equal(resolved.dropRateLimitedBatches, false);
  assert.equal(resolved.host, 'loki:3100');
  assert.equal(resolved.name, 'loki:3100');
  assert.equal(resolved.tenantId, '');
});

test('settings that cannot work are refused with their key path and a hint', () => {
  const path = 'logs.configs[0].clients[1]';
  const refused = (options: object, pattern: RegExp) =>
    assert.throws(
      () => resolveLokiOptions({ url: 'http://loki:3100/loki/api/v1/push', path, ...options }),
      (error: unknown) =>
        error instanceof LokiOptionsError && pattern.test(error.message) && error.hint !== '',
    );
  refused({ url: 'loki:3100' }, /clients\[1\]\.url: .* is not an http\(s\) URL/);
  refused({ url: 'not a url' }, /clients\[1\]\.url: "not a url" is not a URL/);
  refused({ batchWaitMs: 0 }, /clients\[1\]\.batchwait must be positive/);
  refused({ batchSizeBytes: -1 }, /clients\[1\]\.batchsize must be positive/);
  refused(
    { backoff: { minPeriodMs: 1000, maxPeriodMs: 10 } },
    /backoff_config: max_period \(10 ms\) is below min_period/,
  );
  refused({ backoff: { maxRetries: 1.5 } }, /backoff_config\.max_retries must be a whole number/);
  refused({ bearerToken: 'a', bearerTokenFile: '/x' }, /bearer_token and bearer_token_file/);
  refused(
    { bearerTokenFile: '/nonexistent/token' },
    /bearer_token_file: cannot read \/nonexistent\/token \(ENOENT\)/,
  );
  refused({ headers: { 'X-Scope-OrgID': 't' } }, /headers: X-Scope-OrgID is set by the client/);
});

test('bearer_token_file and basic_auth.password_file are read, trimmed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loki-secrets-'));
  writeFileSync(join(dir, 'token'), 'tok-123\n');
  writeFileSync(join(dir, 'password'), 'pw\n');
  const resolved = resolveLokiOptions({
    url: 'https://logs.example.com/loki/api/v1/push',
    bearerTokenFile: join(dir, 'token'),
  });
  assert.equal(resolved.bearerToken, 'tok-123');
  const basic = resolveLokiOptions({
    url: 'https://logs.example.com/loki/api/v1/push',
    basicAuth: { username: 'u', passwordFile: join(dir, 'password') },
  });
  assert.deepEqual(basic.basicAuth, { username: 'u', password: 'pw' });
});

test('a signed client with tls_config or proxy_url and no pool of its own is refused, not left unproxied', () => {
  const aws = new AwsClient({
    service: 'execute-api',
    region: 'us-east-1',
    credentials: createCredentialProvider({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }),
  });
  assert.throws(
    () =>
      new LokiClient(
        { url: 'https://logs.example.com/loki/api/v1/push', aws, proxyUrl: 'http://proxy:3128' },
        {
          metrics: createLokiClientMetrics(new Registry()),
          progress: { compare: (a: number, b: number) => a - b, onProgress: () => {} },
          log: () => {},
        },
      ),
    (error: unknown) =>
      error instanceof LokiOptionsError && /need its connection pool/.test(error.message),
  );
});
