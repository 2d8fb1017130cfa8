/**
 * A Loki push receiver on 127.0.0.1 whose answers a test scripts (500, 429,
 * 400, …, then 204 as Loki answers), recording every request it got.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

/** Receivers a failed test did not close, closed when its file is done so the file can exit. */
const open = new Set<Server>();
after(() => {
  for (const server of open) {
    server.closeAllConnections();
    server.close();
  }
});

export interface Push {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly status: number;
}

export interface ScriptedReceiver {
  readonly url: string;
  readonly port: number;
  /** Every request, answered or not. */
  readonly pushes: Push[];
  /** Answers to give, in order (status 0: never answer); once used up, 204. */
  readonly script: { status: number; body?: string; headers?: Record<string, string> }[];
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<ScriptedReceiver> {
  const pushes: Push[] = [];
  const script: ScriptedReceiver['script'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = script.shift() ?? { status: 204 };
      pushes.push({ headers: req.headers, body: Buffer.concat(chunks), status: answer.status });
      if (answer.status === 0) return;
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  open.add(server);
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/loki/api/v1/push`,
    port: bound,
    pushes,
    script,
    close: () =>
      new Promise<void>((resolve) => {
        open.delete(server);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
