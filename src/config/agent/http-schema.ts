/**
 * Schema fragments shared by the blocks that talk to endpoints and discover
 * targets (metrics scrape configs and remote_write, logs clients and scrape
 * configs): Prometheus's HTTP client settings, static and file discovery.
 */
import { z } from 'zod';
import { duration, labelSet, notImplemented } from './values.js';

export const awsBlock = z.record(z.string(), z.unknown()).nullable();

export const basicAuth = z.strictObject({
  username: z.string(),
  password: z.string().optional(),
  password_file: z.string().optional(),
});

export const authorization = z
  .strictObject({
    // Sent as `Authorization: <type> <credentials>`; Prometheus refuses Basic here.
    type: z
      .string()
      .default('Bearer')
      .refine((type) => type.toLowerCase() !== 'basic', {
        message: 'authorization type cannot be set to "basic", use "basic_auth" instead',
        params: { hint: 'write basic_auth: { username: …, password: … } instead' },
      }),
    credentials: z.string().optional(),
    credentials_file: z.string().optional(),
    /** Seen in guides for API Gateway; accepted with a warning saying where it belongs. */
    sigv4: awsBlock.optional(),
  })
  .refine((a) => a.credentials === undefined || a.credentials_file === undefined, {
    message: 'sets both credentials and credentials_file',
    path: ['credentials_file'],
    params: { hint: 'keep one of them' },
  });

export const tlsConfig = z
  .strictObject({
    ca_file: z.string().optional(),
    ca: z.string().optional(),
    cert_file: z.string().optional(),
    key_file: z.string().optional(),
    server_name: z.string().optional(),
    insecure_skip_verify: z.boolean().default(false),
    min_version: notImplemented,
  })
  .superRefine((tls, ctx) => {
    if (tls.ca_file !== undefined && tls.ca !== undefined)
      ctx.issues.push({
        code: 'custom',
        input: tls,
        path: ['ca'],
        message: 'is set together with ca_file',
        params: { hint: 'keep one of them' },
      });
    const [has, missing] =
      tls.cert_file !== undefined ? ['cert_file', 'key_file'] : ['key_file', 'cert_file'];
    if ((tls.cert_file === undefined) !== (tls.key_file === undefined))
      ctx.issues.push({
        code: 'custom',
        input: tls,
        path: [has],
        message: `is set without ${missing}`,
        params: { hint: 'a client certificate needs both cert_file and key_file' },
      });
  });

/** Prometheus's proxies are http or https URLs (socks5 is not offered here). */
export const proxyUrl = z
  .string()
  .url()
  .refine((url) => /^https?:$/.test(new URL(url).protocol), {
    message: 'must be an http:// or https:// URL',
    params: { hint: 'write the proxy as http://host:port' },
  });

/** What every HTTP client block shares (scrape and remote_write). */
export const httpClient = {
  basic_auth: basicAuth.optional(),
  authorization: authorization.optional(),
  bearer_token: z.string().optional(),
  bearer_token_file: z.string().optional(),
  tls_config: tlsConfig.optional(),
  proxy_url: proxyUrl.optional(),
  sigv4: awsBlock.optional(),
  aws_auth: awsBlock.optional(),
  follow_redirects: z.boolean().default(true),
  // Prometheus's defaults differ: true for scrapes, false for remote_write (set below).
  enable_http2: z.boolean().default(true),
  oauth2: notImplemented,
  no_proxy: notImplemented,
  proxy_from_environment: notImplemented,
  proxy_connect_header: notImplemented,
};

export const staticConfig = z.strictObject({
  targets: z.array(z.string()).default([]),
  labels: labelSet.default({}),
});

export const fileSdConfig = z.strictObject({
  files: z.array(z.string()).min(1),
  refresh_interval: duration.prefault('5m'),
});

export const relabelList = z.array(z.unknown()).default([]);
