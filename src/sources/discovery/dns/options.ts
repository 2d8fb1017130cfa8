/** A `dns_sd_configs` entry as the config loader validated and defaulted it. */
export interface DnsSdSettings {
  readonly names: readonly string[];
  readonly type: 'SRV' | 'A' | 'AAAA' | 'MX';
  /** Ignored for SRV, whose records carry the port. */
  readonly port: number;
  readonly refresh_interval: number;
}
