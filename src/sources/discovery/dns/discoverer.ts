/**
 * `dns_sd_configs`: every `refresh_interval`, each name is looked up (SRV, A,
 * AAAA or MX) and becomes one group whose source is the name, as Prometheus
 * 2.42's discovery/dns does. A name the DNS says does not exist, or has no
 * records of the type, yields an empty group (its targets go); a lookup that
 * fails (timeout, SERVFAIL, refused) yields nothing, so the name keeps its
 * last good targets — Prometheus's "outcome 3".
 *
 * Servers: node:dns's Resolver reads /etc/resolv.conf's nameservers, as
 * Prometheus does. Unlike Prometheus it does not try the search domains of
 * resolv.conf (c-ares's ares_query): write fully qualified names.
 */
import { promises as dns } from 'node:dns';
import { isIPv6 } from 'node:net';
import type { DiscoveredGroup, Discoverer } from '../types.js';
import { FailureLog, RefreshDiscoverer } from '../refresh.js';
import type { DnsSdSettings } from './options.js';

/** Prometheus's labels (discovery/dns/dns.go: dnsNameLabel, dnsSrvRecord*Label, dnsMxRecordTargetLabel). */
export const DNS_NAME_LABEL = '__meta_dns_name';
export const DNS_SRV_TARGET_LABEL = '__meta_dns_srv_record_target';
export const DNS_SRV_PORT_LABEL = '__meta_dns_srv_record_port';
export const DNS_MX_TARGET_LABEL = '__meta_dns_mx_record_target';

/** The DNS answered: the name has no records of the type, or does not exist. */
const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND']);

export interface DnsDiscoveryOptions {
  readonly settings: DnsSdSettings;
  /** Where it is configured, for messages. */
  readonly path: string;
  readonly log: (level: 'warn' | 'info', message: string) => void;
  /** Each lookup, and whether it failed: prometheus_sd_dns_lookups_total and …_failures_total. */
  readonly onLookup: (failed: boolean) => void;
  /** `host:port` of the servers to ask instead of /etc/resolv.conf's. */
  readonly servers?: readonly string[];
  /** Per try; Prometheus's DNS client gives each exchange 2 seconds. */
  readonly timeoutMs?: number;
}

/** Go's net.JoinHostPort: IPv6 hosts in brackets. */
function joinHostPort(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Go prints an IPv4-mapped IPv6 address (::ffff:a.b.c.d) in dotted IPv4 form
 * (net.IP.String), and Prometheus puts that string in `__address__`.
 */
export function goIpString(address: string): string {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return address;
  const [hi, lo] = [Number.parseInt(hex[1]!, 16), Number.parseInt(hex[2]!, 16)];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** A rooted name, as Prometheus's DNS client (miekg/dns) returns record targets ("host.example."). */
function rooted(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

type Target = Record<string, string>;

/** One name's targets; throws when the DNS could not say. */
async function lookup(resolver: dns.Resolver, name: string, s: DnsSdSettings): Promise<Target[]> {
  const withName = (address: string, extra: Record<string, string> = {}): Target => ({
    __address__: address,
    [DNS_NAME_LABEL]: name,
    ...extra,
  });
  // Labels Prometheus sets to "" for other record types are left out: an empty label is no label.
  switch (s.type) {
    case 'SRV':
      return (await resolver.resolveSrv(name)).map((r) =>
        withName(joinHostPort(r.name.replace(/\.+$/, ''), r.port), {
          [DNS_SRV_TARGET_LABEL]: rooted(r.name),
          [DNS_SRV_PORT_LABEL]: String(r.port),
        }),
      );
    case 'MX':
      return (await resolver.resolveMx(name)).map((r) =>
        withName(joinHostPort(r.exchange.replace(/\.+$/, ''), s.port), {
          [DNS_MX_TARGET_LABEL]: rooted(r.exchange),
        }),
      );
    case 'A':
      return (await resolver.resolve4(name)).map((a) => withName(joinHostPort(a, s.port)));
    case 'AAAA':
      return (await resolver.resolve6(name)).map((a) =>
        withName(joinHostPort(goIpString(a), s.port)),
      );
  }
}

export class DnsDiscoverer implements Discoverer {
  private readonly refresher: RefreshDiscoverer;
  private readonly resolver: dns.Resolver;
  private readonly failures: FailureLog;

  constructor(private readonly o: DnsDiscoveryOptions) {
    this.resolver = new dns.Resolver({ timeout: o.timeoutMs ?? 2000, tries: 2 });
    if (o.servers) this.resolver.setServers([...o.servers]);
    this.failures = new FailureLog(o.log);
    this.refresher = new RefreshDiscoverer({
      intervalMs: o.settings.refresh_interval,
      refresh: () => this.refresh(),
      onError: (error) => o.log('warn', `${o.path}: ${String(error)}`),
    });
  }

  private async refresh(): Promise<DiscoveredGroup[]> {
    const { names } = this.o.settings;
    const groups = await Promise.all(names.map((name) => this.refreshOne(name)));
    return groups.filter((g): g is DiscoveredGroup => g !== undefined);
  }

  private async refreshOne(name: string): Promise<DiscoveredGroup | undefined> {
    const what = `${this.o.path}: ${this.o.settings.type} lookup of ${name}`;
    let targets: Target[];
    try {
      targets = await lookup(this.resolver, name, this.o.settings);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!NO_RECORDS.has(code)) {
        this.o.onLookup(true);
        this.failures.failed(
          name,
          `${what} failed (${code || String(error)}); keeping its last good targets`,
        );
        return undefined;
      }
      targets = [];
    }
    this.o.onLookup(false);
    this.failures.succeeded(name, `${what} succeeds again`);
    return { source: name, targets, labels: {} };
  }

  start(onUpdate: (groups: readonly DiscoveredGroup[]) => void): Promise<void> {
    return this.refresher.start(onUpdate);
  }

  stop(): void {
    this.refresher.stop();
    this.resolver.cancel();
  }
}
