/**
 * Issue 15's "results equal what Prometheus 2.42 (Debian) produces for the
 * same DNS and HTTP SD inputs": Prometheus and `signet run` side by side, the
 * same jobs against the same DNS stand-in and HTTP SD server, their
 * `/api/v1/targets` discovered labels compared for three phases of answers
 * (targets added, changed, removed; a name that starts to fail; an HTTP
 * answer with keys in capitals, then one with an unknown field).
 *
 * Prometheus always asks /etc/resolv.conf's servers on port 53, so both run
 * in a user, mount and network namespace (`unshare -rnm`, no root needed)
 * where resolv.conf is bind-mounted to say 127.0.0.1 and the stand-in owns
 * port 53 of the namespace's loopback (see parity-runner.ts).
 *
 * Labels with empty values are left out of both sides: Signet's label sets
 * have none, and Prometheus 2.42 showed none here either (the runner reports
 * any it sees, and this test asserts there were none).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { namespaceUnavailable, runInDnsNamespace } from './sd-helpers.js';

const RUNNER = fileURLToPath(new URL('./parity-runner.js', import.meta.url));

type Snapshot = Record<string, Record<string, string>[]>;
interface Outcome {
  error?: string;
  logs?: string[];
  phases: { prometheus: Snapshot; signet: Snapshot; empties: string[] }[];
  counters: { prometheus: Record<string, number>; signet: Record<string, number> };
  signetSdLog: string[];
}

describe('DNS and HTTP SD against Prometheus 2.42', () => {
  const skip = namespaceUnavailable(true);
  test(
    'discovered labels equal those of Prometheus, through three phases of answers',
    { skip },
    () => {
      const out = runInDnsNamespace(RUNNER, 120_000) as Outcome;
      assert.equal(out.error, undefined, JSON.stringify(out, null, 1));
      assert.equal(out.phases.length, 3);
      for (const [i, phase] of out.phases.entries()) {
        assert.deepEqual(phase.signet, phase.prometheus, `phase ${i}`);
        assert.deepEqual(phase.empties, [], `phase ${i}: Prometheus showed empty labels`);
      }
      // The comparison is about something: each mechanism's labels are there.
      const first = out.phases[0]!.prometheus;
      assert.equal(first['dns-srv']![0]!.__meta_dns_srv_record_target, 'node-a.sd.test.');
      assert.equal(first['dns-mx']![0]!.__meta_dns_mx_record_target, 'mail.sd.test.');
      assert.match(first.http![0]!.__meta_url!, /^http:\/\/127\.0\.0\.1:\d+\/sd$/);
      // Same counters on both sides; the failing name is counted by both.
      for (const side of ['prometheus', 'signet'] as const) {
        const c = out.counters[side];
        assert.ok(c.prometheus_sd_dns_lookups_total! > 0, `${side}: ${JSON.stringify(c)}`);
        assert.ok(c.prometheus_sd_dns_lookup_failures_total! > 0, `${side}: ${JSON.stringify(c)}`);
        assert.ok(c.prometheus_sd_http_failures_total! > 0, `${side}: ${JSON.stringify(c)}`);
      }
      // Rate-limited: one warning per failing lookup, not one per refresh.
      const failing = out.signetSdLog.filter((l) => l.includes('lookup of hosts.sd.test failed'));
      assert.equal(failing.length, 3, out.signetSdLog.join('\n'));
    },
  );
});
