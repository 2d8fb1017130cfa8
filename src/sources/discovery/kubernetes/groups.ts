/**
 * One target group per object, with the targets and meta labels Prometheus's
 * Kubernetes discovery gives for each role (discovery/kubernetes pod.go,
 * node.go, service.go). A group without targets says the object is gone, or
 * (a pod without an IP yet) has nothing to reach.
 */
import type { DiscoveredGroup } from '../types.js';
import {
  addObjectMetaLabels,
  joinHostPort,
  META,
  NAMESPACE_LABEL,
  type ContainerStatus,
  type KubeObject,
  type Node,
  type Pod,
  type Service,
} from './objects.js';

export function podSource(namespace: string, name: string): string {
  return `pod/${namespace}/${name}`;
}

export function emptyGroup(source: string): DiscoveredGroup {
  return { source, targets: [], labels: {} };
}

function podReady(pod: Pod): string {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  return (ready?.status ?? 'Unknown').toLowerCase();
}

/** Prometheus's podLabels: the pod's own meta labels, without its namespace. */
export function podMetaLabels(pod: Pod): Record<string, string> {
  const labels: Record<string, string> = {
    [`${META}pod_ip`]: pod.status?.podIP ?? '',
    [`${META}pod_ready`]: podReady(pod),
    [`${META}pod_phase`]: pod.status?.phase ?? '',
    [`${META}pod_node_name`]: pod.spec?.nodeName ?? '',
    [`${META}pod_host_ip`]: pod.status?.hostIP ?? '',
    [`${META}pod_uid`]: pod.metadata.uid ?? '',
  };
  addObjectMetaLabels(labels, pod.metadata, 'pod');
  const controller = pod.metadata.ownerReferences?.find((r) => r.controller === true);
  if (controller?.kind) labels[`${META}pod_controller_kind`] = controller.kind;
  if (controller?.name) labels[`${META}pod_controller_name`] = controller.name;
  return labels;
}

export function podGroup(pod: Pod): DiscoveredGroup {
  const ns = pod.metadata.namespace ?? '';
  const source = podSource(ns, pod.metadata.name);
  const ip = pod.status?.podIP ?? '';
  // A pod that is starting or was evicted has no IP: nothing to reach yet.
  if (ip === '') return emptyGroup(source);
  const labels = podMetaLabels(pod);
  labels[NAMESPACE_LABEL] = ns;

  const targets: Record<string, string>[] = [];
  const containerId = (statuses: readonly ContainerStatus[] | undefined, name: string): string =>
    statuses?.find((s) => s.name === name)?.containerID ?? '';
  const containers = [
    ...(pod.spec?.containers ?? []).map((c) => ({ c, init: false })),
    ...(pod.spec?.initContainers ?? []).map((c) => ({ c, init: true })),
  ];
  for (const { c, init } of containers) {
    const statuses = init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
    const container = {
      [`${META}pod_container_name`]: c.name,
      [`${META}pod_container_id`]: containerId(statuses, c.name),
      [`${META}pod_container_image`]: c.image ?? '',
      [`${META}pod_container_init`]: String(init),
    };
    // A container without ports is one target at the pod IP; the user adds a port.
    if (!c.ports || c.ports.length === 0) {
      targets.push({ __address__: ip, ...container });
      continue;
    }
    for (const port of c.ports)
      targets.push({
        __address__: joinHostPort(ip, port.containerPort),
        ...container,
        [`${META}pod_container_port_number`]: String(port.containerPort),
        [`${META}pod_container_port_name`]: port.name ?? '',
        [`${META}pod_container_port_protocol`]: port.protocol ?? '',
      });
  }
  return { source, targets, labels };
}

const NODE_ADDRESS_PRIORITY = [
  'InternalIP',
  'InternalDNS',
  'ExternalIP',
  'ExternalDNS',
  'LegacyHostIP',
  'Hostname',
];

export function nodeGroup(node: Node): DiscoveredGroup | undefined {
  const labels: Record<string, string> = {
    [`${META}node_provider_id`]: node.spec?.providerID ?? '',
  };
  addObjectMetaLabels(labels, node.metadata, 'node');
  const byType = new Map<string, string>();
  for (const a of node.status?.addresses ?? [])
    if (!byType.has(a.type)) byType.set(a.type, a.address);
  const host = NODE_ADDRESS_PRIORITY.map((t) => byType.get(t)).find((a) => a !== undefined);
  // Prometheus drops a node without an address (and warns) rather than emit a group.
  if (host === undefined) return undefined;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
  const target: Record<string, string> = {
    __address__: joinHostPort(host, port),
    instance: node.metadata.name,
  };
  for (const [type, address] of byType)
    target[`${META}node_address_${type}`.replace(/[^a-zA-Z0-9_]/g, '_')] = address;
  return { source: `node/${node.metadata.name}`, targets: [target], labels };
}

/** Prometheus's serviceLabels: the namespace and the service's meta labels. */
export function serviceMetaLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { [NAMESPACE_LABEL]: svc.metadata.namespace ?? '' };
  addObjectMetaLabels(labels, svc.metadata, 'service');
  return labels;
}

export function serviceGroup(svc: Service): DiscoveredGroup {
  const ns = svc.metadata.namespace ?? '';
  const labels = serviceMetaLabels(svc);
  const type = svc.spec?.type ?? '';
  const targets = (svc.spec?.ports ?? []).map((port) => {
    const target: Record<string, string> = {
      __address__: joinHostPort(`${svc.metadata.name}.${ns}.svc`, port.port),
      [`${META}service_port_name`]: port.name ?? '',
      [`${META}service_port_number`]: String(port.port),
      [`${META}service_port_protocol`]: port.protocol ?? '',
      [`${META}service_type`]: type,
    };
    if (type === 'ExternalName')
      target[`${META}service_external_name`] = svc.spec?.externalName ?? '';
    else target[`${META}service_cluster_ip`] = svc.spec?.clusterIP ?? '';
    if (type === 'LoadBalancer')
      target[`${META}service_loadbalancer_ip`] = svc.spec?.loadBalancerIP ?? '';
    return target;
  });
  return { source: `svc/${ns}/${svc.metadata.name}`, targets, labels };
}

/** The source of an object's group, for the empty group that says it was deleted. */
export function sourceOf(role: string, obj: KubeObject): string {
  const ns = obj.metadata.namespace ?? '';
  if (role === 'pod') return podSource(ns, obj.metadata.name);
  if (role === 'node') return `node/${obj.metadata.name}`;
  if (role === 'service') return `svc/${ns}/${obj.metadata.name}`;
  return `${role}/${ns}/${obj.metadata.name}`;
}
