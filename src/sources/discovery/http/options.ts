import type { ScrapeHttpSettings } from '../../scrape/options.js';

/** An `http_sd_configs` entry as the config loader validated and defaulted it. */
export interface HttpSdSettings extends ScrapeHttpSettings {
  readonly url: string;
  readonly refresh_interval: number;
}
