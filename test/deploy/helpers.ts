/**
 * What the deploy tests share: where deploy/ is, its YAML documents parsed
 * with the project's `yaml` package, and the Kubernetes schema package
 * (kubernetes-models), found in the project or, while it is not a
 * devDependency yet, in the node_modules directory SIGNET_KUBERNETES_MODELS_DIR names.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const DEPLOY = join(REPO, 'deploy');

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface YamlDocument {
  /** file:index, for messages. */
  readonly where: string;
  readonly value: unknown;
}

/** Every .yaml/.yml file under dir, sorted. */
export function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f))
    .sort();
}

/** Every document of a YAML text; a syntax error or warning fails with its place. */
export function parseDocuments(text: string, name: string): YamlDocument[] {
  return parseAllDocuments(text).map((doc, i) => {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) throw new Error(`${name} document ${i}: ${problems[0]!.message}`);
    return { where: `${name}#${i}`, value: doc.toJS() as unknown };
  });
}

export function readDocuments(file: string): YamlDocument[] {
  return parseDocuments(readFileSync(file, 'utf8'), relative(REPO, file));
}

export function isKustomization(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'Kustomization'
  );
}

/** The objects `kubectl kustomize DIR` renders, or undefined without kubectl. */
export function kustomize(dir: string): YamlDocument[] | undefined {
  if (!existsSync('/usr/bin/kubectl') && !onPath('kubectl')) return undefined;
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return parseDocuments(out, `kubectl kustomize ${relative(REPO, dir)}`);
}

export function onPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir !== '' && existsSync(join(dir, program))) return join(dir, program);
  }
  return undefined;
}

export function byKind(docs: readonly YamlDocument[], kind: string): KubeObject[] {
  return docs
    .map((d) => d.value as KubeObject)
    .filter((o) => typeof o === 'object' && o !== null && o.kind === kind);
}

interface Validating {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validating;
/** A Kubernetes object's model class by apiVersion and kind, or undefined when the package has none. */
export type ModelLookup = (apiVersion: string, kind: string) => Promise<ModelClass | undefined>;

/**
 * kubernetes-models' classes validate with the OpenAPI schemas of
 * Kubernetes' API (compiled ajv validators), offline. Undefined when the
 * package is not to be found, so the test can say it skipped.
 */
export async function kubernetesModels(): Promise<ModelLookup | undefined> {
  const dir = process.env.SIGNET_KUBERNETES_MODELS_DIR;
  const specifier = (groupVersion: string): string =>
    dir
      ? pathToFileURL(join(dir, 'kubernetes-models', groupVersion, 'index.js')).href
      : `kubernetes-models/${groupVersion}`;
  try {
    await import(specifier('v1'));
  } catch {
    return undefined;
  }
  return async (apiVersion, kind) => {
    const module = (await import(specifier(apiVersion))) as Record<string, unknown>;
    const model = module[kind];
    return typeof model === 'function' ? (model as ModelClass) : undefined;
  };
}
