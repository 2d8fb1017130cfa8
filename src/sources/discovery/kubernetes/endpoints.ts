/**
 * The endpoints and endpointslice roles (Prometheus's endpoints.go and
 * endpointslice.go): one target per address and port, with the service's
 * labels when the service is known, and the pod's when an address points at
 * a known pod, its container labels where a container port is the endpoint
 * port; container ports of those pods that no endpoint covers are targets too.
 */
import type { DiscoveredGroup } from '../types.js';
import { podMetaLabels, serviceMetaLabels } from './groups.js';
import {
  addObjectMetaLabels,
  joinHostPort,
  META,
  NAMESPACE_LABEL,
  sanitizeLabelName,
  type Endpoints,
  type EndpointSlice,
  type ObjectReference,
  type Pod,
  type Service,
} from './objects.js';

/** What a build looks up in the other watched kinds. */
export interface RelatedObjects {
  service(namespace: string, name: string): Service | undefined;
  pod(namespace: string, name: string): Pod | undefined;
}

interface SeenPod {
  readonly pod: Pod;
  readonly ports: Set<number>;
}

/** Resolves a Pod target reference, merges its labels and its matching container's; remembers the port. */
function withPod(
  target: Record<string, string>,
  ref: ObjectReference | undefined,
  port: number | undefined,
  protocol: (containerProtocol: string | undefined) => string,
  related: RelatedObjects,
  seen: Map<string, SeenPod>,
): Record<string, string> {
  if (ref?.kind !== 'Pod' || !ref.name) return target;
  const pod = related.pod(ref.namespace ?? '', ref.name);
  if (!pod) return target;
  const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
  let entry = seen.get(key);
  if (!entry) seen.set(key, (entry = { pod, ports: new Set() }));
  const merged = { ...target, ...podMetaLabels(pod) };
  if (port !== undefined) {
    // As in Prometheus, a later container with the same port overrides an earlier one.
    for (const c of pod.spec?.containers ?? [])
      for (const cport of c.ports ?? [])
        if (cport.containerPort === port) {
          merged[`${META}pod_container_name`] = c.name;
          merged[`${META}pod_container_image`] = c.image ?? '';
          merged[`${META}pod_container_port_name`] = cport.name ?? '';
          merged[`${META}pod_container_port_number`] = String(port);
          merged[`${META}pod_container_port_protocol`] = protocol(cport.protocol);
          merged[`${META}pod_container_init`] = 'false';
          break;
        }
    entry.ports.add(port);
  }
  return merged;
}

/** Targets for the container ports of seen pods that no endpoint port covered. */
function uncoveredPorts(seen: Map<string, SeenPod>): Record<string, string>[] {
  const targets: Record<string, string>[] = [];
  for (const { pod, ports } of seen.values()) {
    const ip = pod.status?.podIP ?? '';
    if (ip === '') continue;
    for (const c of pod.spec?.containers ?? [])
      for (const cport of c.ports ?? []) {
        if (ports.has(cport.containerPort)) continue;
        targets.push({
          __address__: joinHostPort(ip, cport.containerPort),
          [`${META}pod_container_name`]: c.name,
          [`${META}pod_container_image`]: c.image ?? '',
          [`${META}pod_container_port_name`]: cport.name ?? '',
          [`${META}pod_container_port_number`]: String(cport.containerPort),
          [`${META}pod_container_port_protocol`]: cport.protocol ?? '',
          [`${META}pod_container_init`]: 'false',
          ...podMetaLabels(pod),
        });
      }
  }
  return targets;
}

export function endpointsGroup(eps: Endpoints, related: RelatedObjects): DiscoveredGroup {
  const ns = eps.metadata.namespace ?? '';
  let labels: Record<string, string> = { [NAMESPACE_LABEL]: ns };
  const svc = related.service(ns, eps.metadata.name);
  if (svc) labels = { ...labels, ...serviceMetaLabels(svc) };
  addObjectMetaLabels(labels, eps.metadata, 'endpoints');
  const seen = new Map<string, SeenPod>();
  const targets: Record<string, string>[] = [];
  for (const subset of eps.subsets ?? [])
    for (const port of subset.ports ?? []) {
      const ready = (subset.addresses ?? []).map((a) => [a, 'true'] as const);
      const notReady = (subset.notReadyAddresses ?? []).map((a) => [a, 'false'] as const);
      for (const [addr, isReady] of [...ready, ...notReady]) {
        const target: Record<string, string> = {
          __address__: joinHostPort(addr.ip, port.port),
          [`${META}endpoint_port_name`]: port.name ?? '',
          [`${META}endpoint_port_protocol`]: port.protocol ?? '',
          [`${META}endpoint_ready`]: isReady,
        };
        if (addr.targetRef) {
          target[`${META}endpoint_address_target_kind`] = addr.targetRef.kind ?? '';
          target[`${META}endpoint_address_target_name`] = addr.targetRef.name ?? '';
        }
        if (addr.nodeName !== undefined) target[`${META}endpoint_node_name`] = addr.nodeName;
        if (addr.hostname) target[`${META}endpoint_hostname`] = addr.hostname;
        // endpoints.go labels the container port with the endpoint port's protocol.
        const protocol = (): string => port.protocol ?? '';
        targets.push(withPod(target, addr.targetRef, port.port, protocol, related, seen));
      }
    }
  targets.push(...uncoveredPorts(seen));
  return { source: `endpoints/${ns}/${eps.metadata.name}`, targets, labels };
}

/** The label every EndpointSlice carries naming its service. */
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export function endpointSliceGroup(slice: EndpointSlice, related: RelatedObjects): DiscoveredGroup {
  const ns = slice.metadata.namespace ?? '';
  const labels: Record<string, string> = {
    [NAMESPACE_LABEL]: ns,
    [`${META}endpointslice_address_type`]: slice.addressType ?? '',
  };
  addObjectMetaLabels(labels, slice.metadata, 'endpointslice');
  const serviceName = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  const svc = serviceName !== undefined ? related.service(ns, serviceName) : undefined;
  if (svc) Object.assign(labels, serviceMetaLabels(svc));
  const seen = new Map<string, SeenPod>();
  const targets: Record<string, string>[] = [];
  const P = `${META}endpointslice_`;
  for (const ep of slice.endpoints ?? [])
    for (const port of slice.ports ?? [])
      for (const addr of ep.addresses ?? []) {
        const target: Record<string, string> = {
          __address__: port.port !== undefined ? joinHostPort(addr, port.port) : addr,
        };
        if (port.name !== undefined) target[`${P}port_name`] = port.name;
        if (port.protocol !== undefined) target[`${P}port_protocol`] = port.protocol;
        if (port.port !== undefined) target[`${P}port`] = String(port.port);
        if (port.appProtocol !== undefined) target[`${P}port_app_protocol`] = port.appProtocol;
        const cond = ep.conditions ?? {};
        if (cond.ready !== undefined) target[`${P}endpoint_conditions_ready`] = String(cond.ready);
        if (cond.serving !== undefined)
          target[`${P}endpoint_conditions_serving`] = String(cond.serving);
        if (cond.terminating !== undefined)
          target[`${P}endpoint_conditions_terminating`] = String(cond.terminating);
        if (ep.hostname !== undefined) target[`${P}endpoint_hostname`] = ep.hostname;
        if (ep.targetRef) {
          target[`${P}address_target_kind`] = ep.targetRef.kind ?? '';
          target[`${P}address_target_name`] = ep.targetRef.name ?? '';
        }
        if (ep.nodeName !== undefined) target[`${P}endpoint_node_name`] = ep.nodeName;
        if (ep.zone !== undefined) target[`${P}endpoint_zone`] = ep.zone;
        for (const [k, v] of Object.entries(ep.deprecatedTopology ?? {})) {
          target[`${P}endpoint_topology_${sanitizeLabelName(k)}`] = v;
          target[`${P}endpoint_topology_present_${sanitizeLabelName(k)}`] = 'true';
        }
        const protocol = (containerProtocol: string | undefined): string => containerProtocol ?? '';
        targets.push(withPod(target, ep.targetRef, port.port, protocol, related, seen));
      }
  targets.push(...uncoveredPorts(seen));
  return { source: `endpointslice/${ns}/${slice.metadata.name}`, targets, labels };
}
