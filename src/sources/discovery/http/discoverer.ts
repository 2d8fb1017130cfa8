/**
 * `http_sd_configs`: every `refresh_interval`, a GET of the URL with
 * Prometheus's headers and the entry's HTTP client settings (TLS, proxy,
 * redirects, basic auth or an Authorization header, through the scraper's
 * client plumbing). A failed request, a status other than 200, another
 * content type or a bad body is counted (prometheus_sd_http_failures_total)
 * and the last good groups stay; groups gone from a good answer are
 * announced empty, as Prometheus does.
 */
import { request } from 'undici';
import { jobHttp, type JobHttp } from '../../scrape/http-client.js';
import { FailureLog, RefreshDiscoverer } from '../refresh.js';
import type { DiscoveredGroup, Discoverer } from '../types.js';
import type { HttpSdSettings } from './options.js';
import { checkContentType, HttpSdResponseError, parseHttpSd, sourceOf } from './parse.js';

export interface HttpDiscoveryOptions {
  readonly settings: HttpSdSettings;
  /** Where it is configured, for messages. */
  readonly path: string;
  readonly userAgent: string;
  readonly log: (level: 'warn' | 'info', message: string) => void;
  /** A refresh failed: prometheus_sd_http_failures_total. */
  readonly onFailure: () => void;
}

export class HttpDiscoverer implements Discoverer {
  private readonly refresher: RefreshDiscoverer;
  private readonly http: JobHttp;
  private readonly failures: FailureLog;
  /** How many groups the last good answer had, to announce the ones that went. */
  private lastLength = 0;

  constructor(private readonly o: HttpDiscoveryOptions) {
    this.http = jobHttp(o.settings, o.path);
    this.failures = new FailureLog(o.log);
    this.refresher = new RefreshDiscoverer({
      intervalMs: o.settings.refresh_interval,
      refresh: (signal) => this.refresh(signal),
      onError: (error) => {
        o.onFailure();
        const message = error instanceof Error ? error.message : String(error);
        this.failures.failed(
          'refresh',
          `${o.path}: discovery from ${o.settings.url} failed: ${message}; keeping the last good targets`,
        );
      },
    });
  }

  private async refresh(stop: AbortSignal): Promise<DiscoveredGroup[]> {
    const { url, refresh_interval: intervalMs } = this.o.settings;
    // Prometheus's client times out after one refresh interval.
    const signal = AbortSignal.any([stop, AbortSignal.timeout(intervalMs)]);
    const res = await request(url, {
      method: 'GET',
      headers: {
        'user-agent': this.o.userAgent,
        accept: 'application/json',
        'x-prometheus-refresh-interval-seconds': String(intervalMs / 1000),
        ...this.http.headers(),
      },
      dispatcher: this.http.dispatcher,
      signal,
    });
    const body = await res.body.text();
    if (res.statusCode !== 200)
      throw new HttpSdResponseError(`server returned HTTP status ${res.statusCode}`);
    const contentType = res.headers['content-type'];
    checkContentType(Array.isArray(contentType) ? contentType[0] : contentType);
    const groups = parseHttpSd(body, url);
    const answered = groups.length;
    for (let i = answered; i < this.lastLength; i++)
      groups.push({ source: sourceOf(url, i), targets: [], labels: {} });
    this.lastLength = answered;
    this.failures.succeeded('refresh', `${this.o.path}: discovery from ${url} succeeds again`);
    return groups;
  }

  start(onUpdate: (groups: readonly DiscoveredGroup[]) => void): Promise<void> {
    return this.refresher.start(onUpdate);
  }

  async stop(): Promise<void> {
    this.refresher.stop();
    await this.http.dispatcher.destroy();
  }
}
