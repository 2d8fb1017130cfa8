/**
 * `dns_sd_configs` and `http_sd_configs` at load time: Prometheus 2.42's
 * defaults, its refusals in its words (discovery/dns and discovery/http
 * SDConfig.UnmarshalYAML, the same ones promtool prints), each with the place
 * and key path, and what Signet does not do refused rather than ignored.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAgentConfig } from '../../../src/config/agent/load.js';
import { ConfigFileError } from '../../../src/config/yaml/config-error.js';

const job = (sd: string) => `metrics:
  configs:
    - name: a
      scrape_configs:
        - job_name: d
${sd}
`;

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

const DNS = 'metrics.configs[0].scrape_configs[0].dns_sd_configs[0]';
const HTTP = 'metrics.configs[0].scrape_configs[0].http_sd_configs[0]';

describe('dns_sd_configs and http_sd_configs at load time', () => {
  test('Prometheus’s defaults: SRV every 30s; HTTP every 60s, following redirects', () => {
    const text =
      job(`          dns_sd_configs: [{ names: [_x._tcp.example.com] }, { names: [a.example.com], type: aaaa, port: 9100 }]
          http_sd_configs: [{ url: "https://sd.example.com/targets" }]`);
    const sc = parseAgentConfig(text, 'agent.yaml').config.instances[0]!.jobs[0]!.file;
    assert.deepEqual(sc.dns_sd_configs, [
      { names: ['_x._tcp.example.com'], type: 'SRV', port: 0, refresh_interval: 30_000 },
      { names: ['a.example.com'], type: 'AAAA', port: 9100, refresh_interval: 30_000 },
    ]);
    const http = sc.http_sd_configs[0]!;
    assert.equal(http.url, 'https://sd.example.com/targets');
    assert.equal(http.refresh_interval, 60_000);
    assert.equal(http.follow_redirects, true);
  });

  test('refused in Prometheus’s words, at their place', () => {
    const dns = (entry: string): string =>
      problems(job(`          dns_sd_configs:\n            - ${entry}`)).join('\n');
    assert.match(dns('{ names: [] }'), new RegExp(`^7:\\d+ ${DNS.replace(/[[\].]/g, '\\$&')}: DNS-SD config must contain at least one SRV record name`));
    assert.match(dns('{ names: [a.example.com], type: A }'), /dns_sd_configs\[0\]: a port is required in DNS-SD configs for all record types except SRV \(.*port: 9100/);
    assert.match(dns('{ names: [a.example.com], type: MX }'), /dns_sd_configs\[0\]: a port is required/);
    // NS came after 2.42; 2.42 refuses it with these words, so does Signet.
    assert.match(dns('{ names: [a.example.com], type: NS, port: 53 }'), /\.type: invalid DNS-SD records type, not 'NS' \(use one of SRV, A, AAAA, MX\)/);
    assert.match(dns('{ type: A, port: 1 }'), /dns_sd_configs\[0\]: DNS-SD config must contain at least one SRV record name/);
    assert.match(dns('{ names: [a.example.com], refresh_interval: 0s }'), /\.refresh_interval: must be more than 0/);
    assert.match(dns('{ names: [a.example.com], server: 127.0.0.1 }'), /\.server: /);
    const http = (entry: string): string =>
      problems(job(`          http_sd_configs:\n            - ${entry}`)).join('\n');
    assert.match(http('{ url: "ftp://sd.example.com/" }'), new RegExp(`${HTTP.replace(/[[\].]/g, '\\$&')}\\.url: URL scheme must be 'http' or 'https'`));
    assert.match(http('{ refresh_interval: 10s }'), /\.url: /);
    assert.match(http('{ url: "http://sd/", authorization: { type: Basic, credentials: x } }'), /\.authorization\.type: authorization type cannot be set to "basic"/);
    assert.match(http('{ url: "http://sd/", authorization: { sigv4: { region: us-east-1 } } }'), /\.authorization\.sigv4: http_sd_configs does not sign its requests/);
    assert.match(http('{ url: "http://sd/", sigv4: { region: us-east-1 } }'), /\.sigv4: /);
    assert.match(http('{ url: "http://sd/", basic_auth: { username: a }, bearer_token: b }'), new RegExp(`${HTTP.replace(/[[\].]/g, '\\$&')}: sets basic_auth and bearer_token; at most one way to authenticate`));
    assert.match(http('{ url: "http://sd/", bearer_token_file: /nonexistent/token }'), /http_sd_configs\[0\]\.bearer_token_file: .*\/nonexistent\/token/);
    assert.match(http('{ url: "http://sd/", oauth2: { client_id: a } }'), /\.oauth2: Signet does not implement oauth2: requests would be sent without the OAuth 2.0 token/);
  }); // prettier-ignore
});
