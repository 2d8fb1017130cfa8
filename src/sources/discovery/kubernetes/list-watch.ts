/**
 * client-go's reflector for one resource path: list (in pages), then watch
 * from the list's resourceVersion with bookmarks, following every event's
 * resourceVersion so a renewed watch resumes where the last one ended. A 410
 * Gone (an ERROR event, or the response status) means the history was
 * compacted: list again at once. Other failures wait with a doubling backoff;
 * a 401 also makes the connection read its token file again.
 */
import { request } from 'undici';
import type { ApiConnection } from './connection.js';
import type { KubeObject } from './objects.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ListWatchOptions {
  readonly connection: ApiConnection;
  /** e.g. `/api/v1/namespaces/default/pods` or `/api/v1/pods`. */
  readonly path: string;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** A full list: the objects now, replacing whatever was known. */
  readonly onList: (items: readonly KubeObject[]) => void;
  readonly onEvent: (type: WatchEventType, obj: KubeObject) => void;
  readonly onError: (message: string) => void;
  readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  readonly watchTimeoutSeconds: number;
}

class GoneError extends Error {}
class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const PAGE_SIZE = 500;

interface Status {
  readonly code?: number;
  readonly message?: string;
  readonly reason?: string;
}

export class ListWatcher {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private resourceVersion: string | undefined;
  private firstOutcome!: () => void;
  /** Resolves after the first list, or its first failure. */
  readonly firstAttempt = new Promise<void>((r) => (this.firstOutcome = r));

  constructor(private readonly o: ListWatchOptions) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.firstOutcome();
    await this.running;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async loop(): Promise<void> {
    let delay = this.o.backoff.initialMs;
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) {
          const { items, resourceVersion } = await this.list();
          this.resourceVersion = resourceVersion;
          this.o.onList(items);
          this.firstOutcome();
        }
        const started = Date.now();
        const events = await this.watch();
        delay = this.o.backoff.initialMs;
        // A watch the server ends at once, again and again, must not spin.
        if (events === 0 && Date.now() - started < 1000) await this.sleep(delay);
      } catch (error) {
        if (this.stopped) return;
        if (error instanceof GoneError) {
          this.resourceVersion = undefined;
          continue;
        }
        if (error instanceof HttpStatusError && error.status === 401)
          this.o.connection.unauthorized();
        this.o.onError(`${this.o.path}: ${error instanceof Error ? error.message : String(error)}`);
        this.firstOutcome();
        await this.sleep(delay);
        delay = Math.min(delay * 2, this.o.backoff.maxMs);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const wake = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      signal.addEventListener('abort', wake, { once: true });
    });
  }

  private url(extra: Record<string, string>): string {
    const query = new URLSearchParams();
    if (this.o.labelSelector) query.set('labelSelector', this.o.labelSelector);
    if (this.o.fieldSelector) query.set('fieldSelector', this.o.fieldSelector);
    for (const [k, v] of Object.entries(extra)) query.set(k, v);
    return `${this.o.connection.server}${this.o.path}?${query.toString()}`;
  }

  private async get(
    url: string,
    bodyTimeoutMs?: number,
  ): Promise<Awaited<ReturnType<typeof request>>> {
    const authorization = this.o.connection.authorization();
    const response = await request(url, {
      dispatcher: this.o.connection.dispatcher,
      signal: this.abort.signal,
      ...(bodyTimeoutMs !== undefined ? { bodyTimeout: bodyTimeoutMs } : {}),
      headers: {
        accept: 'application/json',
        'user-agent': 'signet-agent',
        ...(authorization ? { authorization } : {}),
      },
    });
    if (response.statusCode === 200) return response;
    const text = await response.body.text().catch(() => '');
    let status: Status = {};
    try {
      status = JSON.parse(text) as Status;
    } catch {
      // Not a Status: the status code says enough.
    }
    if (response.statusCode === 410) throw new GoneError(status.message ?? 'Gone');
    const reason = status.message ?? text.slice(0, 200);
    throw new HttpStatusError(
      response.statusCode,
      `HTTP ${response.statusCode}${reason ? `: ${reason}` : ''}`,
    );
  }

  private async list(): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const items: KubeObject[] = [];
    let next: string | undefined;
    let resourceVersion = '';
    do {
      const response = await this.get(
        this.url({ limit: String(PAGE_SIZE), ...(next ? { continue: next } : {}) }),
      );
      const page = (await response.body.json()) as {
        metadata?: { resourceVersion?: string; continue?: string };
        items?: KubeObject[];
      };
      items.push(...(page.items ?? []));
      resourceVersion = page.metadata?.resourceVersion ?? '';
      next = page.metadata?.continue || undefined;
    } while (next);
    return { items, resourceVersion };
  }

  /** One watch until the server ends it; the number of events it carried. */
  private async watch(): Promise<number> {
    const response = await this.get(
      this.url({
        watch: '1',
        resourceVersion: this.resourceVersion ?? '',
        allowWatchBookmarks: 'true',
        timeoutSeconds: String(this.o.watchTimeoutSeconds),
      }),
      // A quiet watch sends nothing until the server ends it: undici's default
      // 5-minute body timeout would cut it short and report a failure.
      (this.o.watchTimeoutSeconds + 60) * 1000,
    );
    let events = 0;
    let buffered = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      buffered += decoder.decode(chunk as Buffer, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line === '') continue;
        events++;
        this.handleEvent(JSON.parse(line) as { type: string; object: KubeObject & Status });
      }
    }
    return events;
  }

  private handleEvent(event: { type: string; object: KubeObject & Status }): void {
    const obj = event.object;
    if (event.type === 'ERROR') {
      if (obj.code === 410) throw new GoneError(obj.message ?? 'Gone');
      throw new HttpStatusError(
        obj.code ?? 500,
        `watch error: ${obj.message ?? JSON.stringify(obj)}`,
      );
    }
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED')
      this.o.onEvent(event.type, obj);
  }
}
