/** Kubernetes service discovery (`kubernetes_sd_configs`). */
export { KubernetesDiscoverer } from './discoverer.js';
export { KubernetesConfigError } from './kubeconfig.js';
export type {
  KubernetesDiscoveryOptions,
  KubernetesSdSettings,
  KubernetesRole,
} from './options.js';
export { SERVICE_ACCOUNT_DIR } from './options.js';
