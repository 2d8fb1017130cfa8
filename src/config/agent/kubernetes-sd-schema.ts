/**
 * One `kubernetes_sd_configs` entry, with Prometheus's keys and its checks
 * (discovery/kubernetes SDConfig.UnmarshalYAML): a role; the API server
 * reached in-cluster (neither api_server nor kubeconfig_file), through a
 * kubeconfig file, or at api_server with Prometheus's HTTP client settings;
 * namespaces; selectors per role. Shared by metrics and logs scrape configs.
 * It carries its own copy of the HTTP client keys so that schema.ts can
 * import it without a cycle.
 */
import { z } from 'zod';
import { notImplemented } from './values.js';

/** The roles Prometheus has; the ones Signet does not discover are refused with their names. */
export const KUBERNETES_ROLES = [
  'pod',
  'node',
  'service',
  'endpoints',
  'endpointslice',
  'ingress',
] as const;
export const IMPLEMENTED_KUBERNETES_ROLES: readonly string[] = [
  'pod',
  'node',
  'service',
  'endpoints',
  'endpointslice',
];

const role = z.enum(KUBERNETES_ROLES);

const tlsConfig = z.strictObject({
  ca_file: z.string().optional(),
  ca: z.string().optional(),
  cert_file: z.string().optional(),
  key_file: z.string().optional(),
  server_name: z.string().optional(),
  insecure_skip_verify: z.boolean().default(false),
  min_version: notImplemented,
});

const selector = z.strictObject({
  role,
  label: z.string().optional(),
  field: z.string().optional(),
});

/** Which selector roles each role may carry (a pod selector narrows endpoints, for instance). */
const ALLOWED_SELECTORS: Readonly<Record<string, readonly string[]>> = {
  pod: ['pod'],
  service: ['service'],
  endpointslice: ['pod', 'service', 'endpointslice'],
  endpoints: ['pod', 'service', 'endpoints'],
  node: ['node'],
  ingress: ['ingress'],
};

const HTTP_KEYS = [
  'basic_auth',
  'authorization',
  'bearer_token',
  'bearer_token_file',
  'tls_config',
  'proxy_url',
] as const;

export const kubernetesSdConfigSchema = z
  .strictObject({
    role,
    api_server: z.string().url().optional(),
    kubeconfig_file: z.string().optional(),
    namespaces: z
      .strictObject({
        names: z.array(z.string()).default([]),
        own_namespace: z.boolean().default(false),
      })
      .prefault({}),
    selectors: z.array(selector).default([]),
    basic_auth: z
      .strictObject({
        username: z.string(),
        password: z.string().optional(),
        password_file: z.string().optional(),
      })
      .optional(),
    authorization: z
      .strictObject({
        type: z.string().default('Bearer'),
        credentials: z.string().optional(),
        credentials_file: z.string().optional(),
      })
      .optional(),
    bearer_token: z.string().optional(),
    bearer_token_file: z.string().optional(),
    tls_config: tlsConfig.optional(),
    proxy_url: z.string().url().optional(),
    follow_redirects: z.boolean().default(true),
    enable_http2: z.boolean().default(true),
    attach_metadata: notImplemented,
    oauth2: notImplemented,
    no_proxy: notImplemented,
    proxy_from_environment: notImplemented,
    proxy_connect_header: notImplemented,
  })
  .superRefine((c, ctx) => {
    const issue = (path: PropertyKey[], message: string, hint: string): void => {
      ctx.issues.push({ code: 'custom', input: c, path, message, params: { hint } });
    };
    if (!IMPLEMENTED_KUBERNETES_ROLES.includes(c.role))
      issue(['role'], `Signet does not discover the ${c.role} role yet`, `use one of ${IMPLEMENTED_KUBERNETES_ROLES.join(', ')}`);
    const customHttp = HTTP_KEYS.filter((k) => c[k] !== undefined);
    if (c.api_server !== undefined && c.kubeconfig_file !== undefined)
      issue(['kubeconfig_file'], "cannot use 'kubeconfig_file' and 'api_server' simultaneously", 'keep one of them');
    else if (c.kubeconfig_file !== undefined && customHttp.length > 0)
      issue([customHttp[0]!], "cannot use a custom HTTP client configuration together with 'kubeconfig_file'", 'put the credentials in the kubeconfig file, or use api_server instead');
    else if (c.api_server === undefined && customHttp.length > 0)
      issue([customHttp[0]!], "to use custom HTTP client configuration please provide the 'api_server' URL explicitly", 'add api_server: https://…, or remove it to use the in-cluster service account');
    if (c.namespaces.own_namespace && (c.api_server !== undefined || c.kubeconfig_file !== undefined))
      issue(['namespaces', 'own_namespace'], `cannot use '${c.api_server !== undefined ? 'api_server' : 'kubeconfig_file'}' and 'namespaces.own_namespace' simultaneously`, 'the own namespace is only known in-cluster: list the namespace under names instead');
    const seen = new Set<string>();
    c.selectors.forEach((s, i) => {
      if (seen.has(s.role)) issue(['selectors', i, 'role'], `duplicated selector role: ${s.role}`, 'merge the two selectors into one');
      seen.add(s.role);
      const allowed = ALLOWED_SELECTORS[c.role] ?? [];
      if (!allowed.includes(s.role))
        issue(['selectors', i, 'role'], `${c.role} role supports only ${allowed.join(', ')} selectors`, `write role: ${c.role}`);
    });
  }); // prettier-ignore

export type KubernetesSdConfigFile = z.output<typeof kubernetesSdConfigSchema>;
