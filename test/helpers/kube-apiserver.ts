/**
 * A Kubernetes API server stand-in on 127.0.0.1 that speaks the real list and
 * watch protocol for pods, nodes, services, endpoints and endpointslices, so
 * discovery is tested over a socket the way it talks to a cluster (and
 * kubectl can check the stand-in itself):
 *
 * - lists are JSON `…List` objects with `metadata.resourceVersion` (and
 *   `limit`/`continue` paging); items carry no kind, as the server omits it;
 * - `?watch=1|true&resourceVersion=N` answers 200 with chunked
 *   newline-delimited events (`ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` when
 *   `allowWatchBookmarks=true`, `ERROR`) from after N, then live ones; an
 *   object that starts or stops matching the selectors arrives as ADDED or
 *   DELETED, as the server's watch cache sends it;
 * - a resourceVersion older than the compacted history is `410 Gone`: an
 *   ERROR event carrying a Status of code 410 on a watch (or a 410 response,
 *   `goneWatchAs: 'status'`), a 410 response on a list;
 * - `labelSelector` and `fieldSelector` (see kube-selectors.ts), bearer tokens
 *   checked against a set the test can rotate, `timeoutSeconds`.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  apiVersionOf,
  discoveryDocument,
  RESOURCES,
  status,
  type KubeApiServerOptions,
  type OpenWatch,
  type RecordedRequest,
  type ResourceInfo,
  type ResourceName,
  type StoredEvent,
} from './kube-api-resources.js';
import { fieldValue, parseSelector, SelectorError, type KubeObject } from './kube-selectors.js';

export type { KubeObject } from './kube-selectors.js';
export type { KubeApiServerOptions, RecordedRequest, ResourceName } from './kube-api-resources.js';

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

export class KubeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly store = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoredEvent[] = [];
  private readonly watches = new Set<OpenWatch>();
  private rv = 1000;
  private compactedRv = 0;
  private tokens: Set<string> | undefined;
  private failures: { count: number; code: number } = { count: 0, code: 500 };
  private held: (() => void)[] | undefined;
  private basic: string | undefined;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: KubeApiServerOptions,
  ) {
    this.tokens = options.tokens ? new Set(options.tokens) : undefined;
    for (const name of Object.keys(RESOURCES)) this.store.set(name, new Map());
  }

  static async start(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
    const holder: { api?: KubeApiServer } = {};
    const handler = (req: IncomingMessage, res: ServerResponse): void =>
      holder.api!.handle(req, res);
    const server = options.tls
      ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler)
      : createHttpServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const api = new KubeApiServer(
      server,
      `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
      options,
    );
    holder.api = api;
    return api;
  }

  /** The resourceVersion of the last write. */
  get resourceVersion(): string {
    return String(this.rv);
  }

  get openWatches(): number {
    return this.watches.size;
  }

  /** Replaces the accepted tokens (a rotated service-account token; the old one is refused from now on). */
  setTokens(tokens: readonly string[]): void {
    this.tokens = new Set(tokens);
  }

  /** Also accepts HTTP basic authentication with these credentials (an API server behind an authenticating proxy). */
  setBasicAuth(username: string, password: string): void {
    this.basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  /** The next `count` requests are answered with `code` (a Status), to exercise backoff. */
  failNext(count: number, code = 500): void {
    this.failures = { count, code };
  }

  add(resource: ResourceName, obj: KubeObject): KubeObject {
    const key = keyOf(obj);
    if (this.store.get(resource)!.has(key)) throw new Error(`${resource} ${key} already exists`);
    return this.write(resource, 'ADDED', obj, undefined);
  }

  update(resource: ResourceName, obj: KubeObject): KubeObject {
    const previous = this.store.get(resource)!.get(keyOf(obj));
    if (!previous) throw new Error(`${resource} ${keyOf(obj)} does not exist`);
    return this.write(resource, 'MODIFIED', obj, previous);
  }

  remove(resource: ResourceName, namespace: string | undefined, name: string): void {
    const key = `${namespace ?? ''}/${name}`;
    const previous = this.store.get(resource)!.get(key);
    if (!previous) throw new Error(`${resource} ${key} does not exist`);
    this.write(resource, 'DELETED', previous, previous);
  }

  get(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(resource)!.get(`${namespace ?? ''}/${name}`);
  }

  /** Sends a BOOKMARK at the current resourceVersion to every watch that asked for them. */
  bookmark(): void {
    for (const w of this.watches) {
      if (!w.bookmarks) continue;
      const info = RESOURCES[w.resource]!;
      const object = {
        kind: info.kind,
        apiVersion: apiVersionOf(info),
        metadata: { resourceVersion: String(this.rv) },
      };
      w.res.write(`${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
    }
  }

  /**
   * Compacts the whole history (as etcd does) and ends every watch with an
   * ERROR event carrying 410 Gone: clients must list again.
   */
  expireWatches(): void {
    this.compactedRv = this.rv;
    for (const w of [...this.watches]) this.endWithGone(w.res, this.compactedRv);
  }

  /** New watch requests wait unanswered until releaseWatches(), as behind a stalled connection. */
  holdWatches(): void {
    this.held ??= [];
  }

  releaseWatches(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const resume of held) resume();
  }

  /** Ends every watch without an error, as a watch timeout or a restarting server does. */
  closeWatches(): void {
    for (const w of [...this.watches]) w.res.end();
    this.watches.clear();
  }

  async stop(): Promise<void> {
    this.held = undefined;
    this.closeWatches();
    await new Promise<void>((r) => {
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }

  private write(
    resource: string,
    type: StoredEvent['type'],
    obj: KubeObject,
    previous: KubeObject | undefined,
  ): KubeObject {
    const info = RESOURCES[resource]!;
    const rv = ++this.rv;
    const stored: KubeObject = structuredClone({
      ...obj,
      kind: info.kind,
      apiVersion: apiVersionOf(info),
      metadata: { ...obj.metadata, resourceVersion: String(rv) },
    });
    if (type === 'DELETED') this.store.get(resource)!.delete(keyOf(stored));
    else this.store.get(resource)!.set(keyOf(stored), stored);
    const event: StoredEvent = { rv, type, resource, object: stored, previous };
    this.history.push(event);
    for (const w of this.watches) this.deliver(w, event);
    return stored;
  }

  private deliver(w: OpenWatch, event: StoredEvent): void {
    if (w.resource !== event.resource) return;
    if (w.namespace !== undefined && event.object.metadata.namespace !== w.namespace) return;
    const before = event.previous !== undefined && w.matches(event.previous);
    const now = event.type !== 'DELETED' && w.matches(event.object);
    let type: string | undefined;
    if (event.type === 'DELETED') type = before ? 'DELETED' : undefined;
    else if (now) type = before ? 'MODIFIED' : 'ADDED';
    else if (before) type = 'DELETED';
    if (type) w.res.write(`${JSON.stringify({ type, object: event.object })}\n`);
  }

  private endWithGone(res: ServerResponse, since: number): void {
    const gone = status(410, 'Expired', `too old resource version: ${since} (${this.compactedRv})`);
    res.end(`${JSON.stringify({ type: 'ERROR', object: gone })}\n`);
    for (const w of this.watches) if (w.res === res) this.watches.delete(w);
  }

  private reply(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    code: number,
    body: unknown,
  ): void {
    this.record(req, url, code);
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private record(req: IncomingMessage, url: URL, code: number): void {
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
      status: code,
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (this.tokens) {
      const auth = req.headers.authorization ?? '';
      const token = /^Bearer (.+)$/i.exec(auth)?.[1];
      if ((!token || !this.tokens.has(token)) && (this.basic === undefined || auth !== this.basic))
        return this.reply(req, res, url, 401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    if (this.failures.count > 0) {
      this.failures.count--;
      const code = this.failures.code;
      return this.reply(
        req,
        res,
        url,
        code,
        status(code, 'InternalError', 'the stand-in was told to fail'),
      );
    }
    if (req.method !== 'GET')
      return this.reply(
        req,
        res,
        url,
        405,
        status(405, 'MethodNotAllowed', 'the stand-in only reads'),
      );
    const discovery = discoveryDocument(url.pathname, this.url);
    if (discovery) return this.reply(req, res, url, 200, discovery);
    const m =
      /^\/(?:api\/v1|apis\/discovery\.k8s\.io\/v1)\/(?:namespaces\/([^/]+)\/)?([a-z]+)(?:\/([^/]+))?$/.exec(
        url.pathname,
      );
    const resource = m?.[2];
    const info = resource ? RESOURCES[resource] : undefined;
    const groupOk =
      info && url.pathname.startsWith(info.group ? `/apis/${info.group}/` : '/api/v1/');
    if (!m || !info || !groupOk || (m[1] !== undefined && !info.namespaced))
      return this.reply(
        req,
        res,
        url,
        404,
        status(404, 'NotFound', 'the server could not find the requested resource'),
      );
    const namespace = m[1];
    if (m[3]) {
      const obj = this.store.get(resource!)!.get(`${namespace ?? ''}/${m[3]}`);
      return obj
        ? this.reply(req, res, url, 200, obj)
        : this.reply(
            req,
            res,
            url,
            404,
            status(404, 'NotFound', `${resource} "${m[3]}" not found`),
          );
    }
    let matches: (obj: KubeObject) => boolean;
    try {
      const labels = parseSelector(url.searchParams.get('labelSelector') ?? '');
      const fields = parseSelector(url.searchParams.get('fieldSelector') ?? '');
      matches = (obj) =>
        labels((k) => obj.metadata.labels?.[k]) && fields((f) => fieldValue(resource!, obj, f));
      // A field the kind cannot be selected by is refused up front, as the server does.
      fields((f) => fieldValue(resource!, { metadata: { name: '' } }, f));
    } catch (error) {
      if (!(error instanceof SelectorError)) throw error;
      return this.reply(req, res, url, 400, status(400, 'BadRequest', error.message));
    }
    const watch = url.searchParams.get('watch');
    if ((watch === '1' || watch === 'true') && this.held) {
      this.held.push(() => this.watch(req, res, url, resource!, namespace, matches));
      return;
    }
    if (watch === '1' || watch === 'true')
      return this.watch(req, res, url, resource!, namespace, matches);
    return this.list(req, res, url, resource!, info, namespace, matches);
  }

  private list(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    resource: string,
    info: ResourceInfo,
    namespace: string | undefined,
    matches: (obj: KubeObject) => boolean,
  ): void {
    const asked = url.searchParams.get('resourceVersion');
    const exact = url.searchParams.get('resourceVersionMatch') === 'Exact';
    if (asked && exact && Number(asked) < this.compactedRv)
      return this.reply(
        req,
        res,
        url,
        410,
        status(410, 'Expired', `too old resource version: ${asked} (${this.compactedRv})`),
      );
    const all = [...this.store.get(resource)!.values()]
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .filter(matches)
      .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    const start = Number(url.searchParams.get('continue') ?? 0) || 0;
    const limit = Number(url.searchParams.get('limit') ?? 0) || all.length;
    const page = all.slice(start, start + limit);
    const metadata: Record<string, string> = { resourceVersion: String(this.rv) };
    if (start + limit < all.length) metadata.continue = String(start + limit);
    const items = page.map((o) => {
      const item: Record<string, unknown> = { ...o };
      delete item.kind;
      delete item.apiVersion;
      return item;
    });
    this.reply(req, res, url, 200, {
      kind: `${info.kind}List`,
      apiVersion: apiVersionOf(info),
      metadata,
      items,
    });
  }

  private watch(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    resource: string,
    namespace: string | undefined,
    matches: (obj: KubeObject) => boolean,
  ): void {
    const from = url.searchParams.get('resourceVersion');
    if (
      from &&
      from !== '0' &&
      Number(from) < this.compactedRv &&
      this.options.goneWatchAs === 'status'
    )
      return this.reply(
        req,
        res,
        url,
        410,
        status(410, 'Expired', `too old resource version: ${from} (${this.compactedRv})`),
      );
    this.record(req, url, 200);
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    if (from && from !== '0' && Number(from) < this.compactedRv)
      return this.endWithGone(res, Number(from));
    const w: OpenWatch = {
      resource,
      namespace,
      matches,
      bookmarks: url.searchParams.get('allowWatchBookmarks') === 'true',
      res,
    };
    if (!from || from === '0') {
      // No resourceVersion: the current state as synthetic ADDED events first.
      for (const obj of this.store.get(resource)!.values())
        if ((namespace === undefined || obj.metadata.namespace === namespace) && matches(obj))
          res.write(`${JSON.stringify({ type: 'ADDED', object: obj })}\n`);
    } else {
      for (const event of this.history) if (event.rv > Number(from)) this.deliver(w, event);
    }
    this.watches.add(w);
    const timeout = Number(url.searchParams.get('timeoutSeconds') ?? 0);
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    timer?.unref();
    res.on('close', () => {
      if (timer) clearTimeout(timer);
      this.watches.delete(w);
    });
  }
}
