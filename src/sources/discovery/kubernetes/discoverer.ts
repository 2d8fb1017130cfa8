/**
 * `kubernetes_sd_configs`: list-and-watch of the role's objects per namespace
 * (or across all of them), each object turned into its own target group as
 * Prometheus does (`pod/<ns>/<name>`, `node/<name>`, `svc/<ns>/<name>`,
 * `endpoints/<ns>/<name>`, `endpointslice/<ns>/<name>`); a deleted object,
 * or one gone from a fresh list after a 410, is announced as an empty group.
 * The endpoints roles also watch services and pods, whose labels they carry,
 * and rebuild the groups an update of one of those touches.
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
import { endpointSliceGroup, endpointsGroup, type RelatedObjects } from './endpoints.js';
import { emptyGroup, nodeGroup, podGroup, serviceGroup, sourceOf } from './groups.js';
import { ListWatcher, type WatchEventType } from './list-watch.js';
import type { Endpoints, EndpointSlice, KubeObject } from './objects.js';
import type { KubernetesDiscoveryOptions, KubernetesRole } from './options.js';

type Kind = 'pod' | 'node' | 'service' | 'endpoints' | 'endpointslice';

const API_PATH: Readonly<Record<Kind, string>> = {
  pod: '/api/v1/{ns}pods',
  node: '/api/v1/nodes',
  service: '/api/v1/{ns}services',
  endpoints: '/api/v1/{ns}endpoints',
  endpointslice: '/apis/discovery.k8s.io/v1/{ns}endpointslices',
};

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Addresses' and endpoints' pod references, to find the groups a pod update touches. */
function referencedPods(role: Kind, obj: KubeObject): string[] {
  if (role === 'endpoints')
    return ((obj as Endpoints).subsets ?? []).flatMap((s) =>
      [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]
        .filter((a) => a.targetRef?.kind === 'Pod')
        .map((a) => `${a.targetRef?.namespace ?? ''}/${a.targetRef?.name ?? ''}`),
    );
  return ((obj as EndpointSlice).endpoints ?? [])
    .filter((e) => e.targetRef?.kind === 'Pod')
    .map((e) => `${e.targetRef?.namespace ?? ''}/${e.targetRef?.name ?? ''}`);
}

function serviceOf(role: Kind, obj: KubeObject): string {
  const name =
    role === 'endpoints' ? obj.metadata.name : (obj.metadata.labels?.[SERVICE_NAME_LABEL] ?? '');
  return `${obj.metadata.namespace ?? ''}/${name}`;
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
    const role: KubernetesRole = this.o.settings.role;
    if (role === 'ingress') throw new Error(`${this.o.path}: the ingress role is not discovered`);
    const connection = connect(this.o);
    this.connection = connection;
    const namespaces = role === 'node' ? [undefined] : (this.namespaces(connection) ?? [undefined]);
    for (const ns of namespaces) this.watchNamespace(role, ns, connection, onUpdate);
    await Promise.all(this.watchers.map((w) => w.firstAttempt));
  }

  /** The role's objects in one namespace, plus services and pods for the endpoints roles. */
  private watchNamespace(
    role: Kind,
    ns: string | undefined,
    connection: ApiConnection,
    onUpdate: (groups: readonly DiscoveredGroup[]) => void,
  ): void {
    const joined = role === 'endpoints' || role === 'endpointslice';
    const stores = new Map<Kind, Map<string, KubeObject>>();
    for (const kind of joined ? [role, 'service', 'pod'] : [role])
      stores.set(kind as Kind, new Map());
    const main = stores.get(role)!;
    const related: RelatedObjects = {
      service: (namespace, name) => stores.get('service')?.get(`${namespace}/${name}`),
      pod: (namespace, name) => stores.get('pod')?.get(`${namespace}/${name}`),
    };
    const build = (obj: KubeObject): DiscoveredGroup => {
      if (role === 'pod') return podGroup(obj);
      if (role === 'service') return serviceGroup(obj);
      if (role === 'endpoints') return endpointsGroup(obj, related);
      if (role === 'endpointslice') return endpointSliceGroup(obj, related);
      return nodeGroup(obj) ?? emptyGroup(sourceOf(role, obj));
    };
    // Groups wait until every kind of the namespace has been listed once, as Prometheus waits for its caches.
    let synced = false;
    let announced = new Set<string>();
    const emitAll = (): void => {
      const groups = [...main.values()].map(build);
      const now = new Set(groups.map((g) => g.source));
      for (const source of announced) if (!now.has(source)) groups.push(emptyGroup(source));
      announced = now;
      onUpdate(groups);
    };
    const emitSome = (objects: KubeObject[]): void => {
      if (!synced || objects.length === 0) return;
      for (const obj of objects) announced.add(sourceOf(role, obj));
      onUpdate(objects.map(build));
    };
    const touched = (kind: Kind, obj: KubeObject): KubeObject[] => {
      if (kind === role) return [obj];
      const key = keyOf(obj);
      return [...main.values()].filter((m) =>
        kind === 'service' ? serviceOf(role, m) === key : referencedPods(role, m).includes(key),
      );
    };
    for (const [kind, store] of stores) {
      const selector = this.o.settings.selectors.find((s) => s.role === kind);
      const path = API_PATH[kind].replace(
        '{ns}',
        ns === undefined ? '' : `namespaces/${encodeURIComponent(ns)}/`,
      );
      const watcher = new ListWatcher({
        connection,
        path,
        labelSelector: selector?.label,
        fieldSelector: selector?.field,
        backoff: this.o.backoff ?? { initialMs: 800, maxMs: 30_000 },
        // client-go renews watches after a random 5 to 10 minutes, so they do not all end together.
        watchTimeoutSeconds: this.o.watchTimeoutSeconds ?? Math.round(300 + Math.random() * 300),
        onError: this.o.onError ?? (() => {}),
        onList: (items) => {
          store.clear();
          for (const obj of items) store.set(keyOf(obj), obj);
          if (!synced) return;
          // A fresh list of the role's objects may drop some; one of services or pods touches every group.
          if (kind === role) emitAll();
          else emitSome([...main.values()]);
        },
        onEvent: (type: WatchEventType, obj) => {
          const before = kind === role ? undefined : store.get(keyOf(obj));
          if (type === 'DELETED') store.delete(keyOf(obj));
          else store.set(keyOf(obj), obj);
          if (kind === role && type === 'DELETED') {
            announced.delete(sourceOf(role, obj));
            if (synced) onUpdate([emptyGroup(sourceOf(role, obj))]);
            return;
          }
          const affected = new Set([
            ...touched(kind, obj),
            ...(before ? touched(kind, before) : []),
          ]);
          emitSome([...affected]);
        },
      });
      this.watchers.push(watcher);
      watcher.start();
    }
    const mine = this.watchers.slice(-stores.size);
    void Promise.all(mine.map((w) => w.firstAttempt)).then(() => {
      if (this.watchers.length === 0) return;
      synced = true;
      emitAll();
    });
  }

  async stop(): Promise<void> {
    const watchers = this.watchers;
    this.watchers = [];
    await Promise.all(watchers.map((w) => w.stop()));
    await this.connection?.close();
    this.connection = undefined;
  }
}
