/**
 * dns_sd_configs in a logs scrape config, as Promtail has it: names looked
 * up through /etc/resolv.conf's server (a DNS stand-in, in a namespace where
 * resolv.conf points at it), targets relabeled into paths to tail, changed
 * within one refresh_interval, and kept while the lookup fails.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { namespaceUnavailable, runInDnsNamespace } from './sd-helpers.js';

const RUNNER = fileURLToPath(new URL('./logs-dns-runner.js', import.meta.url));

type Seen = { path: string; labels: Record<string, string> }[];

describe('logs dns_sd_configs', () => {
  test('names become paths to tail; changes follow; a failing name keeps its targets', { skip: namespaceUnavailable(false) }, () => {
    const out = runInDnsNamespace(RUNNER, 30_000) as { first: Seen; changed: Seen; failing: Seen; logs: string[] };
    const labels = { dns_name: 'logs.sd.test' }; // Promtail adds no job label of its own
    assert.deepEqual(out.first, [
      { path: '/var/log/remote/10.0.0.1.log', labels },
      { path: '/var/log/remote/10.0.0.2.log', labels },
    ]);
    assert.deepEqual(out.changed, [{ path: '/var/log/remote/10.0.0.3.log', labels }]);
    assert.deepEqual(out.failing, out.changed);
    assert.deepEqual(
      out.logs.filter((l) => l.startsWith('warn')),
      ['warn: logs.configs[0].scrape_configs[0].dns_sd_configs[0]: A lookup of logs.sd.test failed (ESERVFAIL); keeping its last good targets'],
    );
  }); // prettier-ignore
});
