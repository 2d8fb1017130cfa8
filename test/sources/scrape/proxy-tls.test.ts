import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent } from '../../../src/agent/agent.js';
import { parseAgentConfig } from '../../../src/config/agent/load.js';
import { LogCapture, TestTarget, apiTargets, tempDir, waitFor } from '../../agent/harness.js';
import {
  selfSignedCertificate,
  startForwardProxy,
  type ForwardProxy,
  type SelfSigned,
} from '../../helpers/forward-proxy.js';
import { Receiver } from '../../sinks/remote-write/receiver.js';

/** A name only the proxy can resolve: scraping it proves the request went through the proxy. */
const HIDDEN = 'metrics.internal.test:9100';
const PAGE = '# TYPE proxied_thing gauge\nproxied_thing 42\n';

let cert: SelfSigned | string;
let certFile = '';
let opensslMissing = '';
let plain: TestTarget;
let secure: Server;
let secureAddress = '';
let secureScrapes = 0;
let proxy: ForwardProxy;
before(async () => {
  plain = await TestTarget.start(PAGE);
  proxy = await startForwardProxy((host) => (host === HIDDEN ? plain.address : undefined));
  cert = selfSignedCertificate();
  if (typeof cert === 'string') {
    opensslMissing = cert;
    return;
  }
  certFile = cert.certFile;
  secure = createHttpsServer({ key: cert.key, cert: cert.cert }, (_req, res) => {
    secureScrapes++;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(PAGE);
  });
  await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
  secureAddress = `127.0.0.1:${(secure.address() as AddressInfo).port}`;
});
after(async () => {
  await Promise.all([
    plain.close(),
    proxy.close(),
    new Promise<void>((r) => {
      if (!secure?.listening) return r();
      secure.closeAllConnections();
      secure.close(() => r());
    }),
  ]);
  if (typeof cert !== 'string') cert.remove();
});

/** The latest `up` the receiver got for each job. */
function upByJob(receiver: Receiver): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of receiver.received)
    for (const s of r.series) {
      const get = (n: string) => s.labels.find((l) => l.name === n)?.value;
      if (get('__name__') === 'up' && s.samples.length > 0)
        out.set(get('job')!, s.samples.at(-1)!.value);
    }
  return out;
}

async function runAgent(jobs: string, check: (agent: Agent, rx: Receiver) => Promise<void>) {
  const wal = tempDir('signet-scrape-tls-wal-');
  const receiver = new Receiver();
  await receiver.start();
  const { config } = parseAgentConfig(
    `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${wal.path}
  global: { scrape_interval: 200ms, scrape_timeout: 200ms }
  configs:
    - name: net
      scrape_configs:
${jobs}
      remote_write:
        - { url: '${receiver.url}', queue_config: { batch_send_deadline: 50ms } }
`,
    'proxy-tls.yaml',
  );
  const agent = await Agent.start(config, [], { logStream: new LogCapture(), env: {} });
  try {
    await check(agent, receiver);
  } finally {
    await agent.stop(1000);
    await receiver.stop();
    wal.remove();
  }
}

const proxyUrl = () => proxy.url;

describe('scraping through proxy_url and with tls_config', () => {
  test('proxy_url: an http target is fetched with an absolute-URI GET through the proxy', async () => {
    await runAgent(
      `        - job_name: proxied
          proxy_url: ${proxyUrl()}
          static_configs: [{ targets: ['${HIDDEN}'] }]`,
      async (agent, receiver) => {
        const before = plain.scrapes;
        const up = await waitFor('up for the proxied job', () => upByJob(receiver).get('proxied'));
        const [target] = await apiTargets(agent.server.url);
        assert.equal(up, 1, target?.scrape_error);
        assert.equal(target?.health, 'up');
        assert.ok(plain.scrapes > before, 'the proxy reached the real target');
        assert.ok(proxy.seen.includes(`GET http://${HIDDEN}/metrics`), proxy.seen.join('\n'));
        assert.ok(!proxy.seen.some((l) => l.startsWith(`CONNECT ${HIDDEN}`)), 'not tunnelled');
      },
    );
  });

  test('https target with a self-signed certificate: ca_file trusts it, no tls_config refuses it, insecure_skip_verify skips the check; through a proxy too', async (t) => {
    if (opensslMissing) return t.skip(`openssl could not make a certificate: ${opensslMissing}`);
    const job = (name: string, extra: string) => `        - job_name: ${name}
          scheme: https
          static_configs: [{ targets: ['${secureAddress}'] }]${extra}`;
    await runAgent(
      [
        job('with-ca', `\n          tls_config: { ca_file: '${certFile}' }`),
        job('default-verify', ''),
        job('insecure', `\n          tls_config: { insecure_skip_verify: true }`),
        job(
          'ca-via-proxy',
          `\n          tls_config: { ca_file: '${certFile}' }\n          proxy_url: ${proxyUrl()}`,
        ),
      ].join('\n'),
      async (agent, receiver) => {
        const ups = await waitFor('up for every job', () => {
          const m = upByJob(receiver);
          return m.size === 4 ? m : undefined;
        });
        const targets = await apiTargets(agent.server.url);
        const report = (job: string) => targets.find((x) => x.job === job);
        for (const ok of ['with-ca', 'insecure', 'ca-via-proxy']) {
          assert.equal(ups.get(ok), 1, `${ok}: ${report(ok)?.scrape_error}`);
          assert.equal(report(ok)?.health, 'up');
        }
        assert.equal(ups.get('default-verify'), 0);
        assert.equal(report('default-verify')?.health, 'down');
        assert.match(report('default-verify')?.scrape_error ?? '', /self[- ]signed certificate/i);
        assert.ok(secureScrapes > 0);
        assert.ok(proxy.seen.includes(`CONNECT ${secureAddress}`), proxy.seen.join('\n'));
      },
    );
  });
});
