/**
 * One port for HTTP/1.1 and cleartext HTTP/2. AWS endpoints speak both (HTTP/2
 * by TLS ALPN); some SDK clients — `@aws-sdk/client-kinesis`, for one — send
 * every request over HTTP/2, and against an `http://` endpoint they open with
 * HTTP/2's connection preface directly (h2c with prior knowledge). The first
 * bytes of a connection tell which it is, and the connection is handed to
 * the matching server.
 */
import { createServer as createHttp1Server } from 'node:http';
import { createServer as createHttp2Server, type Http2Session } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { listenError } from '../server/listen-error.js';
import { controlEndpoint } from './control.js';
import type { KnownKey } from './auth/verify.js';
import { handle, type CoreOptions, type CoreRequest, type CoreResponse } from './server.js';

export interface ListeningServer {
  readonly port: number;
  readonly url: string;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

/** Every HTTP/2 connection opens with these bytes; no HTTP/1.1 request starts with `PRI `. */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/** Reads until the first bytes decide the protocol, then puts them back. */
function sniff(socket: Socket, route: (http2: boolean) => void): void {
  let seen = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    seen = Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, PREFACE.length);
    const http2 = seen.subarray(0, n).equals(PREFACE.subarray(0, n));
    if (http2 && n < PREFACE.length) return; // not enough yet to be sure
    socket.off('data', onData);
    socket.pause();
    socket.unshift(seen);
    route(http2);
    // The HTTP/2 session takes the put-back bytes from the buffer itself (on
    // the next tick); resuming would spill them as 'data' nobody listens to.
    if (!http2) socket.resume();
  };
  socket.on('data', onData);
}

/** Listens on 127.0.0.1 (or the host given) and serves the core over HTTP/1.1 and h2c. */
export async function listen<K extends KnownKey>(
  core: CoreOptions<K>,
  port: number,
  host = '127.0.0.1',
): Promise<ListeningServer> {
  const control = controlEndpoint(core.faults, core.log, core.clock, core.services);
  const serve = (req: CoreRequest, res: CoreResponse) => {
    handle(core, req, res, control).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  };
  const http1 = createHttp1Server(serve);
  const http2 = createHttp2Server(serve);
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  http2.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    sniff(socket, (isHttp2) => (isHttp2 ? http2 : http1).emit('connection', socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        listenError(error, 'signet local', host, port, 'pass --port N, where 0 picks a free one'),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
