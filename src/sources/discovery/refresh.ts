/**
 * Discovery by polling, as Prometheus's discovery/refresh runs DNS and HTTP
 * SD: a refresh at start, then one every `refresh_interval`. A refresh yields
 * the groups it could get; a source it could not refresh is simply not in
 * them, so its consumer keeps that source's last good targets. A refresh that
 * fails as a whole delivers nothing. Refreshes never overlap: a slow one
 * delays the next rather than racing it.
 */
import type { DiscoveredGroup, Discoverer } from './types.js';

export interface RefreshOptions {
  readonly intervalMs: number;
  /** The groups of the sources it could refresh; throws when it got nothing at all. */
  readonly refresh: (signal: AbortSignal) => Promise<readonly DiscoveredGroup[]>;
  /** A refresh that threw; the last good groups stay. */
  readonly onError: (error: unknown) => void;
}

export class RefreshDiscoverer implements Discoverer {
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(private readonly o: RefreshOptions) {}

  async start(onUpdate: (groups: readonly DiscoveredGroup[]) => void): Promise<void> {
    const once = async (): Promise<void> => {
      try {
        const groups = await this.o.refresh(this.abort.signal);
        if (!this.stopped) onUpdate(groups);
      } catch (error) {
        if (!this.stopped) this.o.onError(error);
      }
    };
    const loop = (): void => {
      this.timer = setTimeout(() => {
        void once().then(() => {
          if (!this.stopped) loop();
        });
      }, this.o.intervalMs);
      this.timer.unref();
    };
    await once();
    if (!this.stopped) loop();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
  }
}

/**
 * Says a failure once when it starts or changes, then at most every
 * `everyMs` while it lasts, and once when it is over: a name that fails on
 * every 5-second refresh must not fill the log.
 */
export class FailureLog {
  private readonly last = new Map<string, { message: string; at: number }>();

  constructor(
    private readonly log: (level: 'warn' | 'info', message: string) => void,
    private readonly everyMs = 5 * 60_000,
  ) {}

  failed(key: string, message: string, now = Date.now()): void {
    const previous = this.last.get(key);
    if (previous && previous.message === message && now - previous.at < this.everyMs) return;
    this.last.set(key, { message, at: now });
    this.log('warn', message);
  }

  succeeded(key: string, message: string): void {
    if (this.last.delete(key)) this.log('info', message);
  }
}
