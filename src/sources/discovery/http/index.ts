/** HTTP service discovery (`http_sd_configs`). */
export { HttpDiscoverer, type HttpDiscoveryOptions } from './discoverer.js';
export { URL_LABEL, parseHttpSd } from './parse.js';
export type { HttpSdSettings } from './options.js';
