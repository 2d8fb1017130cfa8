/**
 * Paths on the agent's HTTP server that pipelines add: status documents now,
 * receivers (Loki push, OTLP/HTTP) later. The server keeps Grafana Agent's
 * fixed paths (`/metrics`, `/-/ready`, `/-/reload`…) and hands every other
 * request to the route registered for its path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignetError } from '../errors.js';

export interface Route {
  /** An exact path, e.g. `/agent/api/v1/metrics/targets`. */
  readonly path: string;
  /** Methods served; GET and HEAD when left out. Others get 405. */
  readonly methods?: readonly string[];
  handle(req: IncomingMessage, res: ServerResponse): void;
}

export class RouteTable {
  private readonly routes = new Map<string, Route>();

  /** Serves `route` until the returned function is called. */
  add(route: Route): () => void {
    if (this.routes.has(route.path))
      throw new SignetError(`the agent's server already serves ${route.path}`, {
        hint: 'two pipelines cannot share one path; give them different names or ports',
      });
    this.routes.set(route.path, route);
    return () => {
      if (this.routes.get(route.path) === route) this.routes.delete(route.path);
    };
  }

  find(path: string): Route | undefined {
    return this.routes.get(path);
  }
}

/** A JSON document in the Prometheus API's envelope: `{"status":"success","data":…}`. */
export function jsonDocument(path: string, data: () => unknown): Route {
  return {
    path,
    handle(_req, res) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ status: 'success', data: data() }, null, 1)}\n`);
    },
  };
}
