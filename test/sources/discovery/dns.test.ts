/**
 * dns_sd_configs against a DNS stand-in on 127.0.0.1 (UDP and TCP): the
 * labels Prometheus 2.42 sets (discovery/dns/dns.go refreshOne), targets
 * that appear, change and go within one refresh_interval, the last good
 * targets kept while lookups fail, and the TCP retry of a truncated answer.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DnsDiscoverer, goIpString } from '../../../src/sources/discovery/dns/index.js';
import type { DnsSdSettings } from '../../../src/sources/discovery/dns/index.js';
import { startDnsStandIn, type ZoneEntry } from '../../helpers/dns-server.js';
import { addresses, collect } from './sd-helpers.js';

const REFRESH_MS = 150;

async function discover(
  zone: Record<string, ZoneEntry>,
  settings: Omit<DnsSdSettings, 'refresh_interval'>,
) {
  const dns = await startDnsStandIn(zone);
  const logs: string[] = [];
  const lookups = { ok: 0, failed: 0 };
  const discoverer = new DnsDiscoverer({
    settings: { ...settings, refresh_interval: REFRESH_MS },
    path: 'scrape_configs[0].dns_sd_configs[0]',
    log: (level, message) => logs.push(`${level}: ${message}`),
    onLookup: (failed) => (failed ? lookups.failed++ : lookups.ok++),
    servers: [`127.0.0.1:${dns.port}`],
    timeoutMs: 500,
  });
  const seen = await collect(discoverer);
  return {
    dns,
    logs,
    lookups,
    seen,
    stop: async (): Promise<void> => {
      discoverer.stop();
      await dns.close();
    },
  };
}

async function using<T extends { stop(): Promise<void> }>(
  ctx: Promise<T>,
  body: (c: T) => void | Promise<void>,
): Promise<void> {
  const c = await ctx;
  try {
    await body(c);
  } finally {
    await c.stop();
  }
}

const ZONE: Record<string, ZoneEntry> = {
  '_node._tcp.sd.test': {
    SRV: [
      { priority: 10, weight: 5, port: 9100, target: 'node-a.sd.test' },
      { priority: 10, weight: 5, port: 9101, target: 'node-b.sd.test' },
    ],
  },
  'hosts.sd.test': {
    A: ['10.0.0.1', '10.0.0.2'],
    AAAA: ['2001:db8::7', '::ffff:10.1.2.3'],
    MX: [{ preference: 10, exchange: 'mail.sd.test' }],
  },
};

describe('dns_sd_configs', { concurrency: true }, () => {
  test('SRV: address from target and port, the rooted target and the port as meta labels', () =>
    using(discover(ZONE, { names: ['_node._tcp.sd.test'], type: 'SRV', port: 0 }), (c) => {
      assert.deepEqual(c.seen.groups.get('_node._tcp.sd.test'), {
        source: '_node._tcp.sd.test',
        labels: {},
        targets: [
          {
            __address__: 'node-a.sd.test:9100',
            __meta_dns_name: '_node._tcp.sd.test',
            __meta_dns_srv_record_target: 'node-a.sd.test.',
            __meta_dns_srv_record_port: '9100',
          },
          {
            __address__: 'node-b.sd.test:9101',
            __meta_dns_name: '_node._tcp.sd.test',
            __meta_dns_srv_record_target: 'node-b.sd.test.',
            __meta_dns_srv_record_port: '9101',
          },
        ],
      });
      assert.deepEqual(c.lookups, { ok: 1, failed: 0 });
    }));

  test('A, AAAA and MX: the configured port; IPv6 in brackets, IPv4-mapped printed as Go prints it', async () => {
    const name = 'hosts.sd.test';
    const labels = async (type: 'A' | 'AAAA' | 'MX'): Promise<unknown> => {
      const c = await discover(ZONE, { names: [name], type, port: 9100 });
      await c.stop();
      return c.seen.groups.get(name)?.targets;
    };
    const [a, aaaa, mx] = await Promise.all([labels('A'), labels('AAAA'), labels('MX')]);
    assert.deepEqual(a, [
      { __address__: '10.0.0.1:9100', __meta_dns_name: name },
      { __address__: '10.0.0.2:9100', __meta_dns_name: name },
    ]);
    assert.deepEqual(aaaa, [
      { __address__: '[2001:db8::7]:9100', __meta_dns_name: name },
      { __address__: '10.1.2.3:9100', __meta_dns_name: name },
    ]);
    assert.deepEqual(mx, [
      {
        __address__: 'mail.sd.test:9100',
        __meta_dns_name: name,
        __meta_dns_mx_record_target: 'mail.sd.test.',
      },
    ]);
    assert.equal(goIpString('::ffff:a01:203'), '10.1.2.3');
    assert.equal(goIpString('::1'), '::1');
  });

  test('targets appear, change and go within one refresh_interval', () =>
    using(discover({}, { names: ['web.sd.test'], type: 'A', port: 80 }), async (c) => {
      assert.equal(c.seen.groups.size, 0, 'NXDOMAIN: no targets');
      c.dns.setZone({ 'web.sd.test': { A: ['10.0.0.1'] } });
      const appeared = await c.seen.until((g) => g.has('web.sd.test'), REFRESH_MS + 400);
      c.dns.setZone({ 'web.sd.test': { A: ['10.0.0.2', '10.0.0.3'] } });
      const changed = await c.seen.until(
        (g) => addresses(g, 'web.sd.test').join() === '10.0.0.2:80,10.0.0.3:80',
        REFRESH_MS + 400,
      );
      c.dns.setZone({ 'web.sd.test': {} }); // the name stays, with no A records
      const gone = await c.seen.until((g) => !g.has('web.sd.test'), REFRESH_MS + 400);
      for (const ms of [appeared, changed, gone]) assert.ok(ms <= REFRESH_MS + 400, `${ms} ms`);
      assert.equal(c.lookups.failed, 0, 'NXDOMAIN and no data are answers, not failures');
    }));

  test('a failing lookup keeps the last good targets; counted, logged once, recovery said', () =>
    using(
      discover(
        { 'a.sd.test': { A: ['10.0.0.1'] }, 'b.sd.test': { A: ['10.0.0.9'] } },
        { names: ['a.sd.test', 'b.sd.test'], type: 'A', port: 9100 },
      ),
      async (c) => {
        c.dns.setZone({ 'a.sd.test': { fail: true }, 'b.sd.test': { A: ['10.0.0.8'] } });
        await c.seen.until((g) => addresses(g, 'b.sd.test')[0] === '10.0.0.8:9100', 1000);
        const failedBefore = c.lookups.failed;
        await new Promise((r) => setTimeout(r, REFRESH_MS * 3));
        assert.ok(c.lookups.failed >= failedBefore + 2, JSON.stringify(c.lookups));
        assert.deepEqual(addresses(c.seen.groups, 'a.sd.test'), ['10.0.0.1:9100']);
        const warnings = c.logs.filter((l) => l.startsWith('warn:'));
        assert.equal(warnings.length, 1, c.logs.join('\n'));
        assert.match(
          warnings[0]!,
          /A lookup of a\.sd\.test failed \(ESERVFAIL\); keeping its last good targets/,
        );
        c.dns.setZone({ 'a.sd.test': { A: ['10.0.0.5'] }, 'b.sd.test': { A: ['10.0.0.8'] } });
        await c.seen.until((g) => addresses(g, 'a.sd.test')[0] === '10.0.0.5:9100', 1000);
        assert.ok(
          c.logs.some((l) => /^info: .*a\.sd\.test succeeds again/.test(l)),
          c.logs.join('\n'),
        );
      },
    ));

  test('a truncated UDP answer is asked again over TCP', () =>
    using(
      discover(
        { 'big.sd.test': { A: ['10.2.0.1', '10.2.0.2'], truncate: true } },
        { names: ['big.sd.test'], type: 'A', port: 9100 },
      ),
      (c) => {
        assert.deepEqual(addresses(c.seen.groups, 'big.sd.test'), [
          '10.2.0.1:9100',
          '10.2.0.2:9100',
        ]);
        assert.ok(c.dns.queries.tcp >= 1, JSON.stringify(c.dns.queries));
      },
    ));
});
