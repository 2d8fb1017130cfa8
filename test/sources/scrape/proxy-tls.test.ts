import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Agent } from '../../../src/agent/agent.js';
import { parseAgentConfig } from '../../../src/config/agent/load.js';
import { LogCapture, TestTarget, apiTargets, tempDir, waitFor } from '../../agent/harness.js';
import { Receiver } from '../../sinks/remote-write/receiver.js';

/** A name only the proxy can resolve: scraping it proves the request went through the proxy. */
const HIDDEN = 'metrics.internal.test:9100';
const PAGE = '# TYPE proxied_thing gauge\nproxied_thing 42\n';

/**
 * A small forward proxy: absolute-URI requests are forwarded (HIDDEN mapped
 * to the plain target), CONNECT is tunnelled. It records every request line.
 */
function startProxy(plain: TestTarget, seen: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '');
    if (url.host !== HIDDEN) return void res.writeHead(502).end('unknown host\n');
    const [host, port] = plain.address.split(':');
    const upstream = request(
      { host, port, path: url.pathname + url.search, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const certs = tempDir('signet-scrape-tls-');
const certFile = join(certs.path, 'cert.pem');
let opensslMissing = '';
let plain: TestTarget;
let secure: Server;
let secureAddress = '';
let secureScrapes = 0;
let proxy: Server;
const proxySeen: string[] = [];
before(async () => {
  try {
    // A self-signed certificate for 127.0.0.1, made fresh for this run.
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(certs.path, 'key.pem'), '-out', certFile, '-days', '1',
      '-subj', '/CN=signet-scrape-test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ], { stdio: 'pipe' }); // prettier-ignore
  } catch (error) {
    opensslMissing = String(error);
  }
  plain = await TestTarget.start(PAGE);
  proxy = await startProxy(plain, proxySeen);
  if (opensslMissing) return;
  secure = createHttpsServer(
    { key: readFileSync(join(certs.path, 'key.pem')), cert: readFileSync(certFile) },
    (_req, res) => {
      secureScrapes++;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(PAGE);
    },
  );
  await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
  secureAddress = `127.0.0.1:${(secure.address() as AddressInfo).port}`;
});
after(async () => {
  const close = (s: Server | undefined) =>
    new Promise<void>((r) => {
      if (!s?.listening) return r();
      s.closeAllConnections();
      s.close(() => r());
    });
  await Promise.all([plain.close(), close(proxy), close(secure)]);
  certs.remove();
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

const proxyUrl = () => `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

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
        assert.ok(proxySeen.includes(`GET http://${HIDDEN}/metrics`), proxySeen.join('\n'));
        assert.ok(!proxySeen.some((l) => l.startsWith(`CONNECT ${HIDDEN}`)), 'not tunnelled');
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
        assert.ok(proxySeen.includes(`CONNECT ${secureAddress}`), proxySeen.join('\n'));
      },
    );
  });
});
