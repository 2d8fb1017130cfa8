/**
 * What Kubernetes discovery is given: one `kubernetes_sd_configs` entry by
 * Prometheus's key names, as the config loader validated and defaulted it
 * (src/config/agent/kubernetes-sd-schema.ts), plus what tests and callers may
 * point elsewhere (the service-account directory, the environment).
 */
import type { HttpClientKeys } from '../../../net/http-dispatcher.js';

export type KubernetesRole = 'pod' | 'node' | 'service' | 'endpoints' | 'endpointslice' | 'ingress';

export interface KubernetesSdSettings extends HttpClientKeys {
  readonly role: KubernetesRole;
  readonly api_server?: string | undefined;
  readonly kubeconfig_file?: string | undefined;
  readonly namespaces: { readonly names: readonly string[]; readonly own_namespace: boolean };
  readonly selectors: readonly {
    readonly role: KubernetesRole;
    readonly label?: string | undefined;
    readonly field?: string | undefined;
  }[];
  readonly basic_auth?:
    | {
        readonly username: string;
        readonly password?: string | undefined;
        readonly password_file?: string | undefined;
      }
    | undefined;
  readonly authorization?:
    | {
        readonly type: string;
        readonly credentials?: string | undefined;
        readonly credentials_file?: string | undefined;
      }
    | undefined;
  readonly bearer_token?: string | undefined;
  readonly bearer_token_file?: string | undefined;
}

/** Where the in-cluster service account lives, as the kubelet mounts it. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubernetesDiscoveryOptions {
  readonly settings: KubernetesSdSettings;
  /** Where the entry is configured, for messages: `…scrape_configs[0].kubernetes_sd_configs[1]`. */
  readonly path: string;
  /** The service-account directory (token, ca.crt, namespace); tests point it at a temporary one. */
  readonly serviceAccountDir?: string;
  /** KUBERNETES_SERVICE_HOST/PORT are read from here; process.env when not given. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Told about every failure (list, watch, auth); discovery goes on with backoff. */
  readonly onError?: (message: string) => void;
  /** First and longest wait between failed attempts (client-go: 800ms doubling to 30s). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** How long a watch may stay open before it is renewed (client-go: 5 to 10 minutes). */
  readonly watchTimeoutSeconds?: number;
  /** How long a token read from a file is used before it is read again (client-go: 1 minute). */
  readonly tokenRefreshMs?: number;
}
