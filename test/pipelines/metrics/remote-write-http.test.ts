/**
 * remote_write's HTTP client keys at work, through `signet run`'s agent to
 * real servers on 127.0.0.1: proxy_url (a forward proxy that must see the
 * requests), tls_config (a receiver with a self-signed certificate),
 * follow_redirects, enable_http2 and authorization.type — signed and unsigned.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Agent } from '../../../src/agent/agent.js';
import { parseAgentConfig } from '../../../src/config/agent/load.js';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  startLocal,
} from '../../../src/local/index.js';
import type { TestTarget } from '../../agent/harness.js';
import { LogCapture, counterTarget, tempDir, waitFor } from '../../agent/harness.js';
import {
  selfSignedCertificate,
  startForwardProxy,
  type ForwardProxy,
  type SelfSigned,
} from '../../helpers/forward-proxy.js';
import { Receiver } from '../../sinks/remote-write/receiver.js';

interface FrontRequest {
  readonly path: string;
  readonly httpVersion: string;
  /** The client certificate's CN, when one was presented. */
  readonly clientCn: string | undefined;
}

/**
 * A TLS (h2 or HTTP/1.1, as the client offers) front to a plain Receiver:
 * records each request's path, HTTP version and client certificate, then
 * passes it on.
 */
async function startTlsFront(
  cert: SelfSigned,
  receiver: Receiver,
): Promise<{ server: Http2SecureServer; port: number; seen: FrontRequest[] }> {
  const seen: FrontRequest[] = [];
  const server = createSecureServer(
    {
      key: cert.key,
      cert: cert.cert,
      allowHTTP1: true,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req: Http2ServerRequest, res: Http2ServerResponse) => {
      const peer = (req.socket as unknown as TLSSocket).getPeerCertificate?.();
      const cn = peer && 'subject' in peer && peer.subject ? String(peer.subject.CN) : undefined;
      seen.push({ path: req.url, httpVersion: req.httpVersion, clientCn: cn });
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([name]) => !name.startsWith(':')),
      );
      const upstream = httpRequest(
        receiver.url,
        { method: req.method, headers: { ...headers, host: new URL(receiver.url).host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

const HIDDEN = 'rw.internal.test:9201';

let target: TestTarget;
let cert: SelfSigned | string;
before(async () => {
  target = await counterTarget('rw_http_test_total');
  cert = selfSignedCertificate();
});
after(async () => {
  await target.close();
  if (typeof cert !== 'string') cert.remove();
});

async function runAgent(
  remoteWrite: string,
  check: (logs: LogCapture) => Promise<void>,
  env: NodeJS.ProcessEnv = {},
): Promise<void> {
  const wal = tempDir('signet-rw-http-wal-');
  const { config } = parseAgentConfig(
    `server: { http_listen_port: 0 }
metrics:
  wal_directory: ${wal.path}
  global: { scrape_interval: 100ms, scrape_timeout: 100ms }
  configs:
    - name: rw
      scrape_configs:
        - job_name: counter
          static_configs: [{ targets: ['${target.address}'] }]
      remote_write:
${remoteWrite}
`,
    'rw-http.yaml',
  );
  const logs = new LogCapture();
  const agent = await Agent.start(config, [], { logStream: logs, env });
  try {
    await check(logs);
  } finally {
    await agent.stop(1000);
    wal.remove();
  }
}

const arrived = (receiver: Receiver) => (receiver.received.length > 0 ? true : undefined);

describe('remote_write HTTP client keys', () => {
  let proxy: ForwardProxy;
  const receivers: Record<string, Receiver> = {};
  before(async () => {
    for (const name of ['proxied', 'token', 'basic', 'redirected', 'tls']) {
      receivers[name] = new Receiver();
      await receivers[name].start();
    }
    proxy = await startForwardProxy((host) =>
      host === HIDDEN ? new URL(receivers['proxied']!.url).host : undefined,
    );
  });
  after(async () => {
    await proxy.close();
    await Promise.all(Object.values(receivers).map((r) => r.stop()));
  });

  test('proxy_url sends an http endpoint its POSTs through the proxy as absolute-URI requests; authorization type Token, basic_auth and headers arrive as set', async () => {
    await runAgent(
      `        - name: proxied
          url: http://${HIDDEN}/api/v1/write
          proxy_url: ${proxy.url}
          queue_config: { batch_send_deadline: 50ms }
        - name: token
          url: ${receivers['token']!.url}
          authorization: { type: Token, credentials: x }
          queue_config: { batch_send_deadline: 50ms }
        - name: basic
          url: ${receivers['basic']!.url}
          basic_auth: { username: u, password: p }
          headers: { X-Scope-OrgID: team-a }
          queue_config: { batch_send_deadline: 50ms }`,
      async () => {
        await waitFor('samples through the proxy', () => arrived(receivers['proxied']!));
        assert.ok(proxy.seen.includes(`POST http://${HIDDEN}/api/v1/write`), proxy.seen.join('\n'));
        assert.ok(!proxy.seen.some((l) => l.startsWith('CONNECT')), 'http is not tunnelled');
        assert.ok(receivers['proxied']!.received[0]!.samples > 0);

        await waitFor('samples with the Token header', () => arrived(receivers['token']!));
        assert.equal(receivers['token']!.received[0]!.headers['authorization'], 'Token x');

        await waitFor('samples with basic auth', () => arrived(receivers['basic']!));
        const basic = receivers['basic']!.received[0]!.headers;
        assert.equal(basic['authorization'], `Basic ${Buffer.from('u:p').toString('base64')}`);
        assert.equal(basic['x-scope-orgid'], 'team-a');
      },
    );
  });

  test('follow_redirects: a 307 is followed with the body by default, and not at all when false', async () => {
    let redirects = 0;
    const redirector = createServer((req, res) => {
      redirects++;
      req.resume();
      res.writeHead(307, { location: receivers['redirected']!.url }).end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    const address = `127.0.0.1:${(redirector.address() as AddressInfo).port}`;
    try {
      await runAgent(
        `        - name: follows
          url: http://${address}/follow
          queue_config: { batch_send_deadline: 50ms }
        - name: stays
          url: http://${address}/stay
          follow_redirects: false
          queue_config: { batch_send_deadline: 50ms }`,
        async (logs) => {
          await waitFor('samples after the redirect', () => arrived(receivers['redirected']!));
          await waitFor('the 307 of the queue that does not follow, in the log', () =>
            logs.lines.find((l) => /remote_name=stays/.test(l) && /HTTP 307/.test(l)),
          );
          const got = receivers['redirected']!.received;
          assert.ok(
            got.every((r) => r.samples > 0),
            'the body came along',
          );
          assert.ok(!logs.lines.some((l) => /remote_name=follows/.test(l) && /HTTP 307/.test(l)));
        },
      );
    } finally {
      redirector.closeAllConnections();
      redirector.close();
    }
    assert.ok(redirects > 0);
  });

  test('tls_config: ca_file (or an inline ca) trusts a self-signed receiver (directly and through a CONNECT proxy), a client certificate is presented, server_name is checked; without trust nothing is sent', async (t) => {
    if (typeof cert === 'string') return t.skip(`openssl could not make a certificate: ${cert}`);
    const front = await startTlsFront(cert, receivers['tls']!);
    const at = (path: string) => `https://127.0.0.1:${front.port}/${path}`;
    const rw = (name: string, extra: string) => `        - name: ${name}
          url: ${at(name)}
          queue_config: { batch_send_deadline: 50ms, max_backoff: 100ms }${extra}`;
    try {
      await runAgent(
        [
          rw('trusted', `\n          tls_config: { ca_file: '${cert.certFile}' }`),
          rw(
            'client-cert',
            `\n          tls_config: { ca_file: '${cert.certFile}', cert_file: '${cert.certFile}', key_file: '${cert.keyFile}' }`,
          ),
          rw(
            'proxied',
            `\n          tls_config: { ca_file: '${cert.certFile}' }\n          proxy_url: ${proxy.url}`,
          ),
          rw(
            'inline-ca',
            `\n          tls_config: { ca: ${JSON.stringify(cert.cert.toString())} }`,
          ),
          rw('insecure', `\n          tls_config: { insecure_skip_verify: true }`),
          rw('untrusted', ''),
          rw(
            'wrong-name',
            `\n          tls_config: { ca_file: '${cert.certFile}', server_name: wrong.example }`,
          ),
          rw(
            'h2',
            `\n          tls_config: { ca_file: '${cert.certFile}' }\n          enable_http2: true`,
          ),
        ].join('\n'),
        async (logs) => {
          const paths = () => new Set(front.seen.map((s) => s.path));
          await waitFor('requests on every trusted path', () =>
            ['/trusted', '/client-cert', '/proxied', '/inline-ca', '/insecure', '/h2'].every((p) =>
              paths().has(p),
            )
              ? true
              : undefined,
          );
          await waitFor('the refused certificate in the log', () =>
            logs.lines.find((l) => /remote_name=untrusted/.test(l) && /self[- ]signed/i.test(l)),
          );
          await waitFor('the refused server name in the log', () =>
            logs.lines.find(
              (l) => /remote_name=wrong-name/.test(l) && /wrong\.example|altname/i.test(l),
            ),
          );
          assert.ok(!paths().has('/untrusted') && !paths().has('/wrong-name'));
          assert.ok(proxy.seen.includes(`CONNECT 127.0.0.1:${front.port}`), proxy.seen.join('\n'));
          const on = (p: string) => front.seen.filter((s) => s.path === p);
          assert.ok(on('/client-cert').every((s) => s.clientCn === 'signet-test'));
          assert.ok(on('/trusted').every((s) => s.clientCn === undefined));
          // Prometheus's remote_write default is HTTP/1.1; enable_http2 offers h2 over ALPN.
          assert.ok(on('/trusted').every((s) => s.httpVersion === '1.1'));
          assert.ok(
            on('/h2').every((s) => s.httpVersion === '2.0'),
            JSON.stringify(on('/h2')),
          );
          assert.ok(receivers['tls']!.received.every((r) => r.samples > 0));
        },
      );
    } finally {
      front.server.close();
    }
  });

  test('a signed (sigv4) remote_write goes through proxy_url too, and its signature still verifies', async () => {
    const local = await startLocal({ region: 'us-east-1' });
    const hidden = 'amp.internal.test:9202';
    const signedProxy = await startForwardProxy((host) =>
      host === hidden ? new URL(local.url).host : undefined,
    );
    const home = tempDir('signet-rw-http-home-');
    try {
      await runAgent(
        `        - name: signed
          url: http://${hidden}/workspaces/ws-proxy/api/v1/remote_write
          proxy_url: ${signedProxy.url}
          sigv4: { region: us-east-1, access_key: ${DEMO_ACCESS_KEY_ID}, secret_key: ${DEMO_SECRET_ACCESS_KEY} }
          queue_config: { batch_send_deadline: 50ms }`,
        async () => {
          const writes = await waitFor('signed writes at the local AMP', () => {
            const got = local.log.list().filter((r) => r.service === 'aps');
            return got.length > 0 ? got : undefined;
          });
          assert.deepEqual(
            writes.filter((r) => r.signature !== 'verified').map((r) => r.signature),
            [],
          );
          assert.ok(
            signedProxy.seen.includes(
              `POST http://${hidden}/workspaces/ws-proxy/api/v1/remote_write`,
            ),
            signedProxy.seen.join('\n'),
          );
        },
        { HOME: home.path, AWS_EC2_METADATA_DISABLED: 'true' },
      );
    } finally {
      await signedProxy.close();
      await local.close();
      home.remove();
    }
  });
});
