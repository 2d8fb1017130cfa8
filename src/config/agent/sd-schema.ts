/**
 * `dns_sd_configs` and `http_sd_configs` entries, with Prometheus 2.42's keys,
 * defaults and checks (discovery/dns SDConfig.UnmarshalYAML, discovery/http
 * SDConfig.UnmarshalYAML). Shared by metrics scrape configs; logs scrape
 * configs take dns_sd_configs, as Promtail does.
 */
import { z } from 'zod';
import { authorization, basicAuth, proxyUrl, tlsConfig } from './http-schema.js';
import { duration, notImplemented } from './values.js';

/** The record types Prometheus 2.42 queries (NS came in a later release and is refused by 2.42 too). */
export const DNS_SD_TYPES = ['SRV', 'A', 'AAAA', 'MX'] as const;

export type DnsSdType = (typeof DNS_SD_TYPES)[number];

export const dnsSdConfigSchema = z
  .strictObject({
    names: z.array(z.string().min(1)).default([]),
    // Prometheus's default is SRV, and it takes the type in any case.
    type: z
      .string()
      .default('SRV')
      .transform((t) => t.toUpperCase() as DnsSdType),
    port: z.number().int().min(0).max(65535).default(0),
    refresh_interval: duration
      .refine((ms) => ms > 0, {
        message: 'must be more than 0',
        params: { hint: 'write e.g. 30s' },
      })
      .prefault('30s'),
  })
  .superRefine((c, ctx) => {
    if (c.names.length === 0)
      ctx.issues.push({
        code: 'custom',
        input: c,
        path: [], // names may be missing: the entry is the place
        message: 'DNS-SD config must contain at least one SRV record name',
        params: { hint: 'list the names to look up under names:' },
      });
    if (!DNS_SD_TYPES.includes(c.type))
      ctx.issues.push({
        code: 'custom',
        input: c,
        path: ['type'],
        message: 'invalid DNS-SD records type', // the formatter adds the type given
        params: { hint: `use one of ${DNS_SD_TYPES.join(', ')}` },
      });
    else if (c.type !== 'SRV' && c.port === 0)
      ctx.issues.push({
        code: 'custom',
        input: c,
        path: [], // the port is missing: the entry is the place
        message: 'a port is required in DNS-SD configs for all record types except SRV',
        params: {
          hint: `the ${c.type} records give hosts only: write the port to scrape, e.g. port: 9100`,
        },
      });
  });

export const httpSdConfigSchema = z
  .strictObject({
    url: z
      .string()
      .url()
      .refine((url) => /^https?:$/.test(new URL(url).protocol), {
        message: "URL scheme must be 'http' or 'https'",
        params: { hint: 'write the discovery endpoint as http://host:port/path' },
      })
      .refine((url) => new URL(url).host !== '', {
        message: 'host is missing in URL',
        params: { hint: 'write the discovery endpoint as http://host:port/path' },
      }),
    refresh_interval: duration
      .refine((ms) => ms > 0, {
        message: 'must be more than 0',
        params: { hint: 'write e.g. 60s' },
      })
      .prefault('60s'),
    // Prometheus's HTTP client settings (common/config HTTPClientConfig).
    basic_auth: basicAuth.optional(),
    authorization: authorization.optional(),
    bearer_token: z.string().optional(),
    bearer_token_file: z.string().optional(),
    tls_config: tlsConfig.optional(),
    proxy_url: proxyUrl.optional(),
    follow_redirects: z.boolean().default(true),
    enable_http2: z.boolean().default(true),
    oauth2: notImplemented,
    no_proxy: notImplemented,
    proxy_from_environment: notImplemented,
    proxy_connect_header: notImplemented,
  })
  .refine((c) => c.authorization?.sigv4 === undefined, {
    message: 'http_sd_configs does not sign its requests',
    path: ['authorization', 'sigv4'],
    params: {
      hint: 'remove sigv4: the discovery endpoint is called with the other credentials given here',
    },
  });

export type DnsSdConfigFile = z.output<typeof dnsSdConfigSchema>;
export type HttpSdConfigFile = z.output<typeof httpSdConfigSchema>;
