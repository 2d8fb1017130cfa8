/** Shared pieces of the agent tests: a target to scrape, temp dirs, waiting, reading back. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Agent } from '../../src/agent/agent.js';
import type { MetricsPipeline } from '../../src/pipelines/metrics/instance.js';
import { metricsKind } from '../../src/pipelines/metrics/kind.js';
import { pipelinesOf } from '../../src/pipelines/pipeline.js';
import { smithySignedHeaders } from '../helpers/smithy-sign.js';
import type { Receiver } from '../sinks/remote-write/receiver.js';

/** A Prometheus target on 127.0.0.1 whose page the test sets. */
export class TestTarget {
  page = '';
  /** When set, renders each scrape's page instead of `page` (called after `scrapes` counts it). */
  render: (() => string) | undefined;
  status = 200;
  scrapes = 0;
  private constructor(
    readonly server: Server,
    readonly address: string,
  ) {}

  static async start(page: string): Promise<TestTarget> {
    const holder: { target?: TestTarget } = {};
    const server = createServer((_req, res) => {
      const self = holder.target!;
      self.scrapes++;
      res.writeHead(self.status, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(self.render ? self.render() : self.page);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const target = new TestTarget(server, `127.0.0.1:${(server.address() as AddressInfo).port}`);
    target.page = page;
    holder.target = target;
    return target;
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }
}

/**
 * A target serving the counter `name` whose value is the number of the scrape
 * serving it (so every value scraped must arrive once), plus `padding` series.
 */
export async function counterTarget(name: string, padding = 0): Promise<TestTarget> {
  const target = await TestTarget.start('');
  target.render = () => {
    const n = target.scrapes;
    let page = `# TYPE ${name} counter\n${name} ${n}\n`;
    for (let i = 0; i < padding; i++) page += `${name}_padding{i="${i}"} ${n * 1.5 + i}\n`;
    return page;
  };
  return target;
}

/** The values of `name` a receiver accepted (2xx), and whether a staleness marker came for it. */
export function acceptedValues(
  receiver: Receiver,
  name: string,
): { values: Set<number>; stale: boolean } {
  const values = new Set<number>();
  let stale = false;
  for (const r of receiver.received) {
    if (r.status < 200 || r.status >= 300) continue;
    for (const s of r.series) {
      if (!s.labels.some((l) => l.name === '__name__' && l.value === name)) continue;
      for (const sample of s.samples)
        if (Number.isNaN(sample.value)) stale = true;
        else values.add(sample.value);
    }
  }
  return { values, stale };
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Polls until `check` returns a value, for at most `tries` × `everyMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  tries = 200,
  everyMs = 100,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface VectorSample {
  readonly metric: Record<string, string>;
  readonly value: number;
  readonly timestamp: number;
}

/**
 * An instant query against a Prometheus-compatible HTTP API: a real Prometheus
 * unsigned, or the local AMP signed (as AMP requires) by smithy's signer with
 * the demo keys for `region`.
 */
export async function instantQuery(
  base: string,
  promql: string,
  region?: string,
): Promise<VectorSample[]> {
  const url = `${base}/api/v1/query?query=${encodeURIComponent(promql)}`;
  const headers = region ? await smithySignedHeaders({ service: 'aps', region }, 'GET', url) : {};
  const res = await fetch(url, { headers });
  const body = (await res.json()) as {
    data?: { result?: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return (body.data?.result ?? []).map((r) => ({
    metric: r.metric,
    value: Number(r.value[1]),
    timestamp: r.value[0],
  }));
}

/** Collects the agent's log lines for assertions. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

/** A target as the agent's targets API (/agent/api/v1/metrics/targets) reports it. */
export interface ApiTarget {
  readonly instance: string;
  readonly target_group: string;
  readonly endpoint: string;
  readonly state: 'unknown' | 'up' | 'down';
  readonly scrape_error: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Kept beside Grafana Agent's names: target_group, endpoint and state. */
  readonly job: string;
  readonly url: string;
  readonly health: 'unknown' | 'up' | 'down';
}

/** Reads the running agent's targets API over HTTP. */
export async function apiTargets(agentUrl: string): Promise<ApiTarget[]> {
  const res = await fetch(`${agentUrl}/agent/api/v1/metrics/targets`);
  const body = (await res.json()) as { status: string; data: ApiTarget[] };
  if (res.status !== 200 || body.status !== 'success')
    throw new Error(`targets API: ${res.status}`);
  return body.data;
}

/** The agent's running metrics pipelines, in configuration order. */
export function metricsPipelines(agent: Agent): MetricsPipeline[] {
  return pipelinesOf(agent.pipelines, metricsKind);
}
