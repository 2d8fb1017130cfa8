/**
 * The agent's own self-metrics, whatever pipelines run: the process (Node's
 * defaults), the AWS credentials and clock every destination shares. Each
 * pipeline kind registers its own beside these.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { CorrectedClock } from '../aws/clock.js';
import type { CredentialRegistry } from '../aws/credentials/registry.js';
import { gauge } from '../server/collected-metrics.js';

export interface AgentView {
  readonly credentials: CredentialRegistry;
  readonly clock: CorrectedClock;
}

export function agentMetrics(view: AgentView): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  gauge(
    registry,
    'signet_aws_clock_offset_seconds',
    "AWS's clock minus the local clock, as measured from AWS's answers.",
    [],
    (g) => g.set(view.clock.offsetMs / 1000),
  );
  gauge(
    registry,
    'signet_aws_credentials_refreshes_total',
    'Credential resolutions that succeeded, by source.',
    ['source'],
    (g) => {
      for (const s of view.credentials.statuses())
        g.inc({ source: s.source ?? 'none' }, s.refreshes);
    },
  );
  gauge(
    registry,
    'signet_aws_credentials_failures_total',
    'Credential resolutions that failed.',
    [],
    (g) => {
      for (const s of view.credentials.statuses()) g.inc(s.failures);
    },
  );
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
  return registry;
}
