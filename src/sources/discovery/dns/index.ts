/** DNS service discovery (`dns_sd_configs`). */
export {
  DnsDiscoverer,
  DNS_MX_TARGET_LABEL,
  DNS_NAME_LABEL,
  DNS_SRV_PORT_LABEL,
  DNS_SRV_TARGET_LABEL,
  goIpString,
  type DnsDiscoveryOptions,
} from './discoverer.js';
export type { DnsSdSettings } from './options.js';
