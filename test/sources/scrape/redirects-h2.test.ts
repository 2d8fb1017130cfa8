/**
 * A scrape job's follow_redirects and enable_http2, as Prometheus has them:
 * redirects followed by default (a 302 is not a failed scrape), a 3xx a clear
 * failure when they are not; h2 offered over TLS by default, not when off.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Agent } from '../../../src/agent/agent.js';
import { parseAgentConfig } from '../../../src/config/agent/load.js';
import { LogCapture, TestTarget, apiTargets, tempDir, waitFor } from '../../agent/harness.js';
import { selfSignedCertificate, type SelfSigned } from '../../helpers/forward-proxy.js';
import { Receiver } from '../../sinks/remote-write/receiver.js';

const PAGE = '# TYPE redirected_thing gauge\nredirected_thing 7\n';

let target: TestTarget;
let redirector: Server;
let redirectorAddress = '';
let cert: SelfSigned | string;
let secure: Http2SecureServer | undefined;
let secureAddress = '';
/** The HTTP version of each scrape of the TLS target, by path. */
const versions: { path: string; version: string }[] = [];

before(async () => {
  target = await TestTarget.start(PAGE);
  // /metrics moved: 302 to the real target, as a load balancer or a renamed path does.
  redirector = createServer((req, res) =>
    res.writeHead(302, { location: `http://${target.address}${req.url ?? '/'}` }).end(),
  );
  await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
  redirectorAddress = `127.0.0.1:${(redirector.address() as AddressInfo).port}`;
  cert = selfSignedCertificate();
  if (typeof cert === 'string') return;
  secure = createSecureServer({ key: cert.key, cert: cert.cert, allowHTTP1: true }, (req, res) => {
    versions.push({ path: req.url, version: req.httpVersion });
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(PAGE);
  });
  await new Promise<void>((r) => secure!.listen(0, '127.0.0.1', r));
  secureAddress = `127.0.0.1:${(secure.address() as AddressInfo).port}`;
});
after(async () => {
  redirector.closeAllConnections();
  await new Promise<void>((r) => redirector.close(() => r()));
  await target.close();
  if (secure) await new Promise<void>((r) => secure!.close(() => r()));
  if (typeof cert !== 'string') cert.remove();
});

async function runAgent(jobs: string, check: (agentUrl: string) => Promise<void>): Promise<void> {
  const wal = tempDir('signet-scrape-redirect-wal-');
  const receiver = new Receiver();
  await receiver.start();
  const { config } = parseAgentConfig(
    `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${wal.path}
  global: { scrape_interval: 200ms, scrape_timeout: 200ms }
  configs:
    - name: redirects
      scrape_configs:
${jobs}
      remote_write:
        - { url: '${receiver.url}', queue_config: { batch_send_deadline: 50ms } }
`,
    'redirects.yaml',
  );
  const agent = await Agent.start(config, [], { logStream: new LogCapture(), env: {} });
  try {
    await check(agent.server.url);
  } finally {
    await agent.stop(1000);
    await receiver.stop();
    wal.remove();
  }
}

describe('scrape follow_redirects and enable_http2', () => {
  test('a 302 is followed by default, as Prometheus does; with follow_redirects: false the 3xx fails the scrape and says why', async () => {
    await runAgent(
      `        - job_name: follows
          static_configs: [{ targets: ['${redirectorAddress}'] }]
        - job_name: stays
          follow_redirects: false
          static_configs: [{ targets: ['${redirectorAddress}'] }]`,
      async (agentUrl) => {
        const before = target.scrapes;
        const targets = await waitFor('both jobs scraped', async () => {
          const list = await apiTargets(agentUrl);
          return list.every((t) => t.health !== 'unknown') && list.length === 2 ? list : undefined;
        });
        const follows = targets.find((t) => t.job === 'follows')!;
        const stays = targets.find((t) => t.job === 'stays')!;
        assert.equal(follows.health, 'up', follows.scrape_error);
        assert.ok(target.scrapes > before, 'the redirect reached the real target');
        assert.equal(stays.health, 'down');
        assert.match(stays.scrape_error, /HTTP status 302/);
        assert.match(stays.scrape_error, /not followed: follow_redirects is false/);
        assert.match(stays.scrape_error, new RegExp(`to http://${target.address}/metrics`));
      },
    );
  });

  test('h2 is offered over TLS by default (Prometheus scrapes default to enable_http2: true); enable_http2: false keeps HTTP/1.1', async (t) => {
    if (typeof cert === 'string') return t.skip(`openssl could not make a certificate: ${cert}`);
    await runAgent(
      `        - job_name: default
          scheme: https
          metrics_path: /default
          tls_config: { ca_file: '${cert.certFile}' }
          static_configs: [{ targets: ['${secureAddress}'] }]
        - job_name: h1
          scheme: https
          metrics_path: /h1
          enable_http2: false
          tls_config: { ca_file: '${cert.certFile}' }
          static_configs: [{ targets: ['${secureAddress}'] }]`,
      async (agentUrl) => {
        await waitFor('both jobs up', async () => {
          const list = await apiTargets(agentUrl);
          return list.length === 2 && list.every((x) => x.health === 'up') ? true : undefined;
        });
        const of = (path: string) =>
          new Set(versions.filter((v) => v.path === path).map((v) => v.version));
        assert.deepEqual(of('/default'), new Set(['2.0']));
        assert.deepEqual(of('/h1'), new Set(['1.1']));
      },
    );
  });
});
