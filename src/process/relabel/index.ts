/**
 * Prometheus relabeling (relabel_configs, metric_relabel_configs,
 * write_relabel_configs) with Prometheus's semantics: rules are validated and
 * compiled once, with RE2 regexes translated to V8's engine, then applied per
 * target or series.
 */
export { compileRelabelConfigs } from './config.js';
export { relabel } from './apply.js';
export { RelabelConfigError } from './errors.js';
export type { NameValidation } from './names.js';
export {
  RELABEL_ACTIONS,
  type RelabelAction,
  type RelabelConfigInput,
  type RelabelOptions,
  type RelabelRule,
} from './types.js';
