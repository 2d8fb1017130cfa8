/**
 * The agent's own HTTP endpoint: `/metrics` (its self-metrics, Prometheus
 * format), `/-/healthy`, `/-/ready`, `/-/reload`, and whatever pipelines add
 * to its route table (the targets status at Grafana Agent's path; receivers).
 * Binds to 127.0.0.1 unless configured otherwise. Nothing served here carries a secret: statuses hold masked key ids and plain-words errors.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { listenError } from './listen-error.js';
import type { RouteTable } from './routes.js';

export interface StatusSources {
  readonly registry: Registry;
  readonly ready: () => boolean;
  /** Every other path: pipelines' documents and receivers. */
  readonly routes: RouteTable;
  /** Re-reads and applies the configuration: undefined when done, else why not. */
  readonly reload?: () => Promise<string | undefined>;
}

export interface AgentServer {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

export function startAgentServer(
  address: string,
  port: number,
  sources: StatusSources,
): Promise<AgentServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (path === '/-/reload' && sources.reload) {
      // Grafana Agent answers any method here; Prometheus wants POST or PUT.
      sources
        .reload()
        .then((error) =>
          error === undefined
            ? send(200, 'text/plain', 'config reloaded\n')
            : send(400, 'text/plain', `failed to reload config: ${error}\n`),
        )
        .catch((e: unknown) => send(500, 'text/plain', `failed to reload config: ${String(e)}\n`));
      return;
    }
    const route = sources.routes.find(path);
    const methods = route?.methods ?? ['GET', 'HEAD'];
    if (!methods.includes(req.method ?? 'GET'))
      return send(405, 'text/plain', 'method not allowed\n');
    if (route) return route.handle(req, res);
    if (path === '/metrics') {
      sources.registry
        .metrics()
        .then((text) => send(200, sources.registry.contentType, text))
        .catch((e: unknown) => send(500, 'text/plain', `${String(e)}\n`));
      return;
    }
    if (path === '/-/healthy') return send(200, 'text/plain', 'Signet is Healthy.\n');
    if (path === '/-/ready')
      return sources.ready()
        ? send(200, 'text/plain', 'Signet is Ready.\n')
        : send(503, 'text/plain', 'Signet is not ready.\n');
    return send(404, 'text/plain', 'not found\n');
  });
  return new Promise((resolve, reject) => {
    const failed = (error: Error) =>
      reject(
        listenError(error, 'the agent', address, port, 'set server.http_listen_port to a free one'),
      );
    server.once('error', failed);
    server.listen(port, address, () => {
      server.off('error', failed);
      const a = server.address() as AddressInfo;
      const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolve({
        server,
        url: `http://${host}:${a.port}`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
