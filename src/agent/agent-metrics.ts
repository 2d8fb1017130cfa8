/**
 * The agent's own self-metrics, whatever pipelines run: the process (Node's
 * defaults), the build and configuration loads (Grafana Agent's `agent_*`,
 * which scripts and dashboards read), and the AWS credentials and clock every
 * destination shares. Each pipeline kind registers its own beside these.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { CorrectedClock } from '../aws/clock.js';
import type { CredentialRegistry } from '../aws/credentials/registry.js';
import { gauge } from '../server/collected-metrics.js';
import type { BuildInfo } from './build-info.js';

export interface AgentView {
  readonly credentials: CredentialRegistry;
  readonly clock: CorrectedClock;
  readonly build: BuildInfo;
}

/** Told of every attempt to load the configuration: at start, and on each reload. */
export interface ConfigLoads {
  succeeded(): void;
  failed(): void;
}

const NODEJS_GAUGES_NAMED_TOTAL = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

export function agentMetrics(view: AgentView): { registry: Registry; configLoads: ConfigLoads } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client's totals of these are gauges named like counters, which
  // promtool refuses; the by-type gauges beside them (nodejs_active_handles
  // and the like) hold the same numbers.
  for (const misnamed of NODEJS_GAUGES_NAMED_TOTAL) registry.removeSingleMetric(misnamed);
  new Gauge({
    name: 'agent_build_info',
    help: 'A metric with a constant 1 value labeled by version, revision (git commit), branch and nodeversion from which Signet was built.',
    labelNames: ['version', 'revision', 'branch', 'nodeversion'],
    registers: [registry],
  }).set(
    {
      version: view.build.version,
      revision: view.build.revision,
      branch: view.build.branch,
      nodeversion: process.version,
    },
    1,
  );
  const configLoads = configLoadMetrics(registry);
  gauge(
    registry,
    'signet_aws_clock_offset_seconds',
    "AWS's clock minus the local clock, as measured from AWS's answers.",
    [],
    (g) => g.set(view.clock.offsetMs / 1000),
  );
  // Providers are never dropped (a reload reuses them), so these sums never go back.
  new Counter({
    name: 'signet_aws_credentials_refreshes_total',
    help: 'Credential resolutions that succeeded, by source.',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of view.credentials.statuses())
        this.inc({ source: s.source ?? 'none' }, s.refreshes);
    },
  });
  new Counter({
    name: 'signet_aws_credentials_failures_total',
    help: 'Credential resolutions that failed.',
    registers: [registry],
    collect() {
      this.reset();
      for (const s of view.credentials.statuses()) this.inc(s.failures);
    },
  });
  gauge(
    registry,
    'signet_aws_credentials_up',
    '1 when the credentials of a destination are valid, 0 while none could be found or AWS refuses them.',
    ['source'],
    (g) => {
      for (const s of view.credentials.statuses())
        g.set({ source: s.source ?? 'none' }, s.accessKeyId && !s.lastError && !s.refused ? 1 : 0);
    },
  );
  return { registry, configLoads };
}

/** Grafana Agent's names; the start counts as a successful load. */
function configLoadMetrics(registry: Registry): ConfigLoads {
  const successful = new Gauge({
    name: 'agent_config_last_load_successful',
    help: 'Config loaded successfully.',
    registers: [registry],
  });
  const successTime = new Gauge({
    name: 'agent_config_last_load_success_timestamp_seconds',
    help: 'Timestamp of the last successful configuration load.',
    registers: [registry],
  });
  const failures = new Counter({
    name: 'agent_config_load_failures_total',
    help: 'Configuration load failures.',
    registers: [registry],
  });
  return {
    succeeded: () => {
      successful.set(1);
      successTime.set(Date.now() / 1000);
    },
    failed: () => {
      successful.set(0);
      failures.inc();
    },
  };
}
