/**
 * `kubernetes_sd_configs`: one list-and-watch per namespace (or one across
 * all of them) of the role's objects, each object turned into its own target
 * group as Prometheus does (`pod/<ns>/<name>`, `node/<name>`,
 * `svc/<ns>/<name>`); a deleted object, or one gone from a fresh list after
 * a 410, is announced as an empty group.
 *
 * Why undici and not @kubernetes/client-node: its current release (2.x)
 * depends on undici 8, which requires Node 22.19 or later, and Signet runs on
 * Node 20; the 1.x line needs node-fetch 2 and fifteen other packages (ws,
 * tar-fs, openid-client, socks-proxy-agent…) and ships @types/node 24 as a
 * runtime dependency, which would replace the project's Node 20 typings.
 * The protocol discovery needs (a paged list, a watch of newline-delimited
 * events, resourceVersion, bookmarks, 410) is small enough to speak directly.
 */
import type { DiscoveredGroup, Discoverer } from '../types.js';
import { connect, type ApiConnection } from './connection.js';
import { emptyGroup, nodeGroup, podGroup, serviceGroup, sourceOf } from './groups.js';
import { ListWatcher } from './list-watch.js';
import type { KubeObject } from './objects.js';
import type { KubernetesDiscoveryOptions } from './options.js';

type SupportedRole = 'pod' | 'node' | 'service';

const RESOURCE: Readonly<Record<SupportedRole, string>> = {
  pod: 'pods',
  node: 'nodes',
  service: 'services',
};

function buildGroup(role: SupportedRole, obj: KubeObject): DiscoveredGroup {
  if (role === 'pod') return podGroup(obj);
  if (role === 'service') return serviceGroup(obj);
  return nodeGroup(obj) ?? emptyGroup(sourceOf(role, obj));
}

export class KubernetesDiscoverer implements Discoverer {
  private connection: ApiConnection | undefined;
  private watchers: ListWatcher[] = [];

  constructor(private readonly o: KubernetesDiscoveryOptions) {}

  /** The namespaces to watch; undefined for all of them (Prometheus's NamespaceAll). */
  private namespaces(connection: ApiConnection): string[] | undefined {
    const { names, own_namespace } = this.o.settings.namespaces;
    if (names.length === 0 && !own_namespace) return undefined;
    return own_namespace && connection.ownNamespace
      ? [...names, connection.ownNamespace]
      : [...names];
  }

  async start(onUpdate: (groups: readonly DiscoveredGroup[]) => void): Promise<void> {
    const role = this.o.settings.role;
    if (role !== 'pod' && role !== 'node' && role !== 'service')
      throw new Error(`${this.o.path}: the ${role} role is not discovered`);
    const onError = this.o.onError ?? (() => {});
    const connection = connect(this.o);
    this.connection = connection;
    const resource = RESOURCE[role];
    const selector = this.o.settings.selectors.find((s) => s.role === role);
    const paths =
      role === 'node'
        ? ['/api/v1/nodes']
        : (this.namespaces(connection)?.map((ns) => `/api/v1/namespaces/${encodeURIComponent(ns)}/${resource}`) ?? [`/api/v1/${resource}`]); // prettier-ignore
    for (const path of paths) {
      // Sources each list-watch has announced, so objects missing from a re-list are removed.
      let known = new Set<string>();
      const watcher = new ListWatcher({
        connection,
        path,
        labelSelector: selector?.label,
        fieldSelector: selector?.field,
        backoff: this.o.backoff ?? { initialMs: 800, maxMs: 30_000 },
        // client-go renews watches after a random 5 to 10 minutes, so they do not all end together.
        watchTimeoutSeconds: this.o.watchTimeoutSeconds ?? Math.round(300 + Math.random() * 300),
        onError,
        onList: (items) => {
          const groups = items.map((obj) => buildGroup(role, obj));
          const now = new Set(groups.map((g) => g.source));
          for (const source of known) if (!now.has(source)) groups.push(emptyGroup(source));
          known = now;
          onUpdate(groups);
        },
        onEvent: (type, obj) => {
          const source = sourceOf(role, obj);
          if (type === 'DELETED') {
            known.delete(source);
            onUpdate([emptyGroup(source)]);
          } else {
            known.add(source);
            onUpdate([buildGroup(role, obj)]);
          }
        },
      });
      this.watchers.push(watcher);
      watcher.start();
    }
    await Promise.all(this.watchers.map((w) => w.firstAttempt));
  }

  async stop(): Promise<void> {
    const watchers = this.watchers;
    this.watchers = [];
    await Promise.all(watchers.map((w) => w.stop()));
    await this.connection?.close();
    this.connection = undefined;
  }
}
