/**
 * What the HTTP client tests talk through and to: a forward proxy on
 * 127.0.0.1 (absolute-URI requests forwarded, CONNECT tunnelled, every
 * request line recorded) and a self-signed certificate made fresh by openssl.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../agent/harness.js';

export interface ForwardProxy {
  readonly url: string;
  /** `GET http://host/path` or `CONNECT host:port`, in arrival order. */
  readonly seen: string[];
  close(): Promise<void>;
}

/**
 * `resolve` maps the host:port a client asked for to the address to reach
 * (names only the proxy knows prove a request went through it); unmapped
 * hosts are reached as asked.
 */
export async function startForwardProxy(
  resolve: (hostPort: string) => string | undefined = () => undefined,
): Promise<ForwardProxy> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      return void res.writeHead(400).end('not an absolute URI\n');
    }
    const [host, port] = (resolve(url.host) ?? url.host).split(':');
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
    const [host, port] = (resolve(req.url ?? '') ?? req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface SelfSigned {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: Buffer;
  readonly key: Buffer;
  remove(): void;
}

/** A certificate for 127.0.0.1 and localhost, or why openssl could not make one. */
export function selfSignedCertificate(): SelfSigned | string {
  const dir = tempDir('signet-cert-');
  const certFile = join(dir.path, 'cert.pem');
  const keyFile = join(dir.path, 'key.pem');
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '1',
      '-subj', '/CN=signet-test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ], { stdio: 'pipe' }); // prettier-ignore
  } catch (error) {
    dir.remove();
    return String(error);
  }
  return {
    certFile,
    keyFile,
    cert: readFileSync(certFile),
    key: readFileSync(keyFile),
    remove: () => dir.remove(),
  };
}
