/**
 * The HTTP client keys refused at load time, each with its file:line:column
 * and key path: what cannot be honoured (an unreadable CA, `type: Basic`, a
 * zero cleanup period) never gets as far as a request.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAgentConfig } from '../../../src/config/agent/load.js';
import { ConfigFileError } from '../../../src/config/yaml/config-error.js';
import { tempDir } from '../../agent/harness.js';

function problems(text: string): string[] {
  try {
    parseAgentConfig(text, 'agent.yaml');
  } catch (error) {
    assert.ok(error instanceof ConfigFileError, String(error));
    return error.problems.map(
      (p) => `${p.line}:${p.column} ${p.keyPath}: ${p.message} (${p.hint})`,
    );
  }
  assert.fail('expected the file to be refused');
}

const withRemoteWrite = (block: string) => `metrics:
  configs:
    - name: a
      remote_write:
        - url: https://example.test/api/v1/write
${block}
`;

describe('HTTP client keys checked at load time', () => {
  test('a ca_file (or cert/key file) that cannot be read is refused with its key path', () => {
    const found = problems(
      withRemoteWrite(`          tls_config: { ca_file: /nonexistent/signet/ca.pem }`),
    );
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(
      found[0]!,
      /^6:\d+ metrics\.configs\[0\]\.remote_write\[0\]\.tls_config\.ca_file: '[^']*' cannot be read \(ENOENT\)/,
    );
    const scrape = problems(`metrics:
  configs:
    - name: a
      scrape_configs:
        - job_name: j
          tls_config:
            cert_file: /nonexistent/signet/cert.pem
            key_file: /nonexistent/signet/key.pem
`);
    assert.deepEqual(
      scrape.map((p) => p.split(':')[0] + ' ' + p.split(' ')[1]),
      [
        '7 metrics.configs[0].scrape_configs[0].tls_config.cert_file:',
        '8 metrics.configs[0].scrape_configs[0].tls_config.key_file:',
      ],
    );
  });

  test('tls_config: ca with ca_file, and half a client key pair, are refused', () => {
    const dir = tempDir('signet-tls-schema-');
    try {
      const pem = join(dir.path, 'ca.pem');
      writeFileSync(pem, 'not checked here\n');
      const found = problems(
        withRemoteWrite(`          tls_config: { ca_file: ${pem}, ca: inline, cert_file: ${pem} }`),
      );
      assert.equal(found.length, 2, found.join('\n'));
      assert.match(found.join('\n'), /tls_config\.ca: is set together with ca_file/);
      assert.match(found.join('\n'), /tls_config\.cert_file: is set without key_file/);
    } finally {
      dir.remove();
    }
  });

  test('authorization type Basic is refused as Prometheus refuses it; credentials with credentials_file too', () => {
    const basic = problems(
      withRemoteWrite(`          authorization: { type: basic, credentials: x }`),
    );
    assert.equal(basic.length, 1, basic.join('\n'));
    assert.match(
      basic[0]!,
      /authorization\.type: authorization type cannot be set to "basic", use "basic_auth" instead/,
    );
    const both = problems(
      withRemoteWrite(`          authorization: { credentials: x, credentials_file: /tmp/x }`),
    );
    assert.match(both.join('\n'), /authorization\.credentials_file: sets both credentials/);
  });

  test('proxy_url must be an http(s) URL', () => {
    const found = problems(withRemoteWrite(`          proxy_url: socks5://127.0.0.1:1080`));
    assert.match(
      found.join('\n'),
      /remote_write\[0\]\.proxy_url: must be an http:\/\/ or https:\/\//,
    );
  });

  test('graceful_shutdown_timeout of 0 and a wal_max_size that is no size are refused with their places', () => {
    const found = problems(
      `server:\n  graceful_shutdown_timeout: 0s\nmetrics:\n  wal_max_size: lots\n`,
    );
    assert.match(
      found.join('\n'),
      /^2:\d+ server\.graceful_shutdown_timeout: must be more than 0/m,
    );
    assert.match(found.join('\n'), /^4:\d+ metrics\.wal_max_size: must be a size/m);
  });

  test('wal_cleanup_period of 0 is refused (truncation would never run); enable_http2 defaults as in Prometheus', () => {
    const found = problems(`metrics:\n  wal_cleanup_period: 0s\n`);
    assert.match(found.join('\n'), /^2:\d+ metrics\.wal_cleanup_period: must be more than 0/);
    const { config } = parseAgentConfig(
      `metrics:
  configs:
    - name: a
      scrape_configs: [{ job_name: j }]
      remote_write: [{ url: 'https://example.test/api/v1/write' }]
`,
      'agent.yaml',
    );
    assert.equal(config.file.metrics.wal_cleanup_period, 60_000);
    const inst = config.instances[0]!;
    assert.equal(inst.jobs[0]!.file.enable_http2, true);
    assert.equal(inst.jobs[0]!.file.follow_redirects, true);
    assert.equal(inst.remoteWrite[0]!.file.enable_http2, false);
    assert.equal(inst.remoteWrite[0]!.file.follow_redirects, true);
  });
});
