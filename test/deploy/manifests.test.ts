/**
 * deploy/kubernetes: every object valid against Kubernetes' OpenAPI schemas
 * (offline, with kubernetes-models), the ConfigMap's agent config accepted
 * by `signet config check` with nothing unimplemented, RBAC no wider than
 * discovery needs, and the DaemonSet wired to what its config expects.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { runSignet } from '../helpers/run-cli.js';
import {
  DEPLOY,
  byKind,
  isKustomization,
  kubernetesModels,
  kustomize,
  readDocuments,
  yamlFiles,
  type KubeObject,
  type YamlDocument,
} from './helpers.js';

const KUBERNETES = join(DEPLOY, 'kubernetes');
const BASE = join(KUBERNETES, 'base');
const NODE_NAME = 'ip-10-0-1-23.ec2.internal';

/**
 * The Kubernetes objects under deploy/ as written, and as each kustomization
 * renders them. Every YAML document under deploy/ is parsed; those with an
 * apiVersion and a kind are Kubernetes objects (the others are Signet agent
 * configs, checked with config check), and deploy/kubernetes holds only objects.
 */
function allObjects(): { written: YamlDocument[]; rendered: YamlDocument[] | undefined } {
  const docs = yamlFiles(DEPLOY).flatMap(readDocuments);
  const isObject = (d: YamlDocument): boolean => {
    const o = d.value as Partial<KubeObject> | null;
    return typeof o?.apiVersion === 'string' && typeof o.kind === 'string';
  };
  for (const d of docs)
    if (d.where.startsWith('deploy/kubernetes/'))
      assert.ok(isObject(d), `${d.where}: no apiVersion and kind`);
  const written = docs.filter((d) => isObject(d) && !isKustomization(d.value));
  const overlays = docs.filter((d) => isKustomization(d.value)).map((d) => d.where);
  const rendered: YamlDocument[] = [];
  for (const where of overlays) {
    const out = kustomize(dirname(join(DEPLOY, '..', where.replace(/#\d+$/, ''))));
    if (out === undefined) return { written, rendered: undefined };
    rendered.push(...out);
  }
  return { written, rendered };
}

function daemonSet(): KubeObject & {
  spec: { template: { spec: { containers: Container[]; volumes: Volume[] } } };
} {
  const [ds] = byKind(yamlFiles(BASE).flatMap(readDocuments), 'DaemonSet');
  assert.ok(ds, 'a DaemonSet in deploy/kubernetes/base');
  return ds as ReturnType<typeof daemonSet>;
}
interface Container {
  args: string[];
  env: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  securityContext: Record<string, unknown>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Volume {
  name: string;
  configMap?: { name: string };
  hostPath?: { path: string; type: string };
}

function agentConfigText(): string {
  const [cm] = byKind(yamlFiles(BASE).flatMap(readDocuments), 'ConfigMap');
  const text = (cm as { data?: Record<string, string> } | undefined)?.data?.['agent.yaml'];
  assert.ok(text, 'the ConfigMap holds agent.yaml');
  return text;
}

describe('deploy/kubernetes', { concurrency: true }, () => {
  test('every object validates against the Kubernetes OpenAPI schemas, as written and as kustomize renders it', async (t) => {
    const models = await kubernetesModels();
    if (!models) {
      t.skip(
        'kubernetes-models is not installed: add it, or set SIGNET_KUBERNETES_MODELS_DIR to a node_modules holding it',
      );
      return;
    }
    // The validator is not one that says yes to anything.
    const DaemonSet = await models('apps/v1', 'DaemonSet');
    assert.ok(DaemonSet);
    const broken = structuredClone(daemonSet()) as unknown as {
      spec: { template: { spec: { containers: { resources: unknown }[] } } };
    };
    broken.spec.template.spec.containers[0]!.resources = { limits: { cpu: true } };
    assert.throws(() => new DaemonSet(broken).validate(), /limits\/cpu/);

    const { written, rendered } = allObjects();
    if (rendered === undefined) t.diagnostic('kubectl is missing: kustomizations not rendered');
    const objects = [...written, ...(rendered ?? [])];
    assert.ok(written.length >= 6, `found ${written.length} objects`);
    for (const { where, value } of objects) {
      const o = value as KubeObject;
      const Model = await models(o.apiVersion, o.kind);
      assert.ok(Model, `${where}: ${o.apiVersion} ${o.kind} is not a Kubernetes kind`);
      assert.doesNotThrow(() => new Model(o).validate(), `${where}: ${o.kind} ${o.metadata.name}`);
    }
    const kinds = new Set(objects.map((d) => (d.value as KubeObject).kind));
    for (const kind of [
      'Namespace',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'DaemonSet',
    ])
      assert.ok(kinds.has(kind), `a ${kind}`);
  });

  test("the ConfigMap's agent config passes signet config check, with no key not implemented", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-deploy-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'agent.yaml');
    writeFileSync(file, agentConfigText());
    // As the DaemonSet runs it: its args, HOSTNAME from spec.nodeName.
    const args = daemonSet().spec.template.spec.containers[0]!.args.map((a) =>
      a.startsWith('-config.file=') ? `-config.file=${file}` : a,
    );
    const result = await runSignet(['config', 'check', ...args], { env: { HOSTNAME: NODE_NAME } });
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stdout + result.stderr, /not implement|warn/i);
    assert.match(result.stdout, /valid \(1 instance\(s\), 3 scrape job\(s\), 1 remote_write/);
    // The control: the same file with one key Signet does not implement is refused, in those words.
    writeFileSync(file, `${agentConfigText()}traces: {}\n`);
    const refused = await runSignet(['config', 'check', ...args], { env: { HOSTNAME: NODE_NAME } });
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /does not implement traces/);
  });

  test('the agent config keeps its state on the hostPath and watches only its own node', () => {
    const config = parse(agentConfigText()) as {
      metrics: { wal_directory: string };
      logs: { positions_directory: string; configs: { scrape_configs: { relabel_configs: { replacement?: string; target_label?: string }[] }[] }[] };
    }; // prettier-ignore
    const state = daemonSet().spec.template.spec.volumes.find((v) => v.name === 'state');
    assert.deepEqual(state?.hostPath, { path: '/var/lib/signet', type: 'DirectoryOrCreate' });
    assert.match(config.metrics.wal_directory, /^\/var\/lib\/signet\//);
    assert.match(config.logs.positions_directory, /^\/var\/lib\/signet\//);
    const path = config.logs.configs[0]!.scrape_configs[0]!.relabel_configs.find(
      (r) => r.target_label === '__path__',
    );
    assert.equal(path?.replacement, '/var/log/pods/*$1/*.log');
    for (const selector of agentConfigText().match(/field: .*/g) ?? [])
      assert.match(selector, /=\$\{HOSTNAME\}$/);
    assert.equal(agentConfigText().match(/field: /g)?.length, 3);
  });

  test('RBAC grants get, list and watch on pods, nodes, services, endpoints and endpointslices, and nothing else', () => {
    const docs = yamlFiles(BASE).flatMap(readDocuments);
    const roles = [...byKind(docs, 'ClusterRole'), ...byKind(docs, 'Role')];
    assert.equal(roles.length, 1, 'one role');
    const granted = (roles[0] as unknown as { rules: { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: unknown; nonResourceURLs?: unknown }[] }).rules.flatMap((rule) => {
      assert.equal(rule.resourceNames, undefined);
      assert.equal(rule.nonResourceURLs, undefined);
      assert.deepEqual([...rule.verbs].sort(), ['get', 'list', 'watch']);
      return rule.apiGroups.flatMap((g) => rule.resources.map((r) => `${g}/${r}`));
    }); // prettier-ignore
    assert.deepEqual(granted.sort(), [
      '/endpoints',
      '/nodes',
      '/pods',
      '/services',
      'discovery.k8s.io/endpointslices',
    ]);
    const [binding] = byKind(docs, 'ClusterRoleBinding') as unknown as {
      roleRef: { name: string };
      subjects: { kind: string; name: string; namespace: string }[];
    }[];
    assert.equal(binding?.roleRef.name, roles[0]!.metadata.name);
    assert.deepEqual(binding?.subjects, [
      { kind: 'ServiceAccount', name: 'signet', namespace: 'signet' },
    ]);
  });

  test('the base ServiceAccount carries the IRSA role; the Pod Identity overlay renders it without', (t) => {
    const [sa] = byKind(yamlFiles(BASE).flatMap(readDocuments), 'ServiceAccount');
    assert.match(
      sa?.metadata.annotations?.['eks.amazonaws.com/role-arn'] ?? '',
      /^arn:aws:iam::\d{12}:role\//,
    );
    const rendered = kustomize(join(KUBERNETES, 'pod-identity'));
    if (rendered === undefined) {
      t.skip('kubectl is missing: the pod-identity overlay is not rendered');
      return;
    }
    const [podIdentitySa] = byKind(rendered, 'ServiceAccount');
    assert.equal(podIdentitySa?.metadata.name, 'signet');
    assert.equal(podIdentitySa?.metadata.annotations, undefined);
    assert.deepEqual(rendered.map((d) => (d.value as KubeObject).kind).sort(), [
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'DaemonSet',
      'Namespace',
      'ServiceAccount',
    ]);
  });

  test('the DaemonSet: sized from the benchmarks, root only to read /var/log/pods, nothing else writable', () => {
    const pod = daemonSet().spec.template.spec;
    const [container] = pod.containers;
    assert.ok(container);
    assert.deepEqual(container.resources, {
      requests: { cpu: '200m', memory: '256Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    });
    assert.deepEqual(container.securityContext, {
      runAsUser: 0,
      runAsGroup: 0,
      runAsNonRoot: false,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    const mounts = Object.fromEntries(container.volumeMounts.map((m) => [m.mountPath, m]));
    assert.equal(mounts['/var/log/pods']?.readOnly, true);
    assert.equal(mounts['/etc/signet']?.readOnly, true);
    assert.deepEqual(
      container.volumeMounts.filter((m) => m.readOnly !== true).map((m) => m.mountPath),
      ['/var/lib/signet'],
    );
    const hostname = container.env.find((e) => e.name === 'HOSTNAME');
    assert.equal(hostname?.valueFrom?.fieldRef?.fieldPath, 'spec.nodeName');
    assert.ok(container.args.includes('-config.expand-env'));
    assert.ok(container.args.includes('-config.file=/etc/signet/agent.yaml'));
  });
});
