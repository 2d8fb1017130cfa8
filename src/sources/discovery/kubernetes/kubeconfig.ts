/**
 * The parts of a kubeconfig file (`kubeconfig_file`) that say how to reach
 * and authenticate to the API server: the current context's cluster (server,
 * CA, insecure-skip-tls-verify, tls-server-name) and user (token, tokenFile,
 * client certificate, username/password). Relative paths are taken from the
 * file's directory, as client-go does. exec and auth-provider plugins run
 * programs or cloud SDKs; they are refused with a message rather than ignored.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SignetError } from '../../../errors.js';

export class KubernetesConfigError extends SignetError {}

export interface ClusterAccess {
  readonly server: string;
  readonly ca?: Buffer | undefined;
  readonly cert?: Buffer | undefined;
  readonly key?: Buffer | undefined;
  readonly insecureSkipVerify: boolean;
  readonly serverName?: string | undefined;
  readonly token?: string | undefined;
  readonly tokenFile?: string | undefined;
  readonly basic?: { readonly username: string; readonly password: string } | undefined;
  readonly namespace?: string | undefined;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function named(list: unknown, name: string, what: string, file: string): Obj {
  const entry = Array.isArray(list)
    ? (list as unknown[]).find((e) => isObj(e) && e.name === name)
    : undefined;
  const inner = isObj(entry) ? entry[what] : undefined;
  if (!isObj(inner))
    throw new KubernetesConfigError(`${file}: no ${what} named '${name}'`, {
      hint: `add it under ${what === 'cluster' ? 'clusters' : `${what}s`}:, or fix the context`,
    });
  return inner;
}

function str(o: Obj, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function readKubeconfig(file: string): ClusterAccess {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new KubernetesConfigError(`kubeconfig_file ${file}: ${(error as Error).message}`, {
      hint: 'give the path of a readable kubeconfig (as kubectl uses)',
    });
  }
  if (!isObj(doc))
    throw new KubernetesConfigError(`kubeconfig_file ${file}: not a kubeconfig`, {
      hint: 'it needs clusters, users, contexts and current-context',
    });
  const dir = dirname(file);
  const path = (p: string): string => (isAbsolute(p) ? p : resolve(dir, p));
  const readPem = (o: Obj, fileKey: string, dataKey: string): Buffer | undefined => {
    const data = str(o, dataKey);
    if (data) return Buffer.from(data, 'base64');
    const f = str(o, fileKey);
    if (!f) return undefined;
    try {
      return readFileSync(path(f));
    } catch (error) {
      throw new KubernetesConfigError(
        `kubeconfig_file ${file}: ${fileKey} ${f}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        { hint: 'give the path of a readable PEM file' },
      );
    }
  };
  const contextName = str(doc, 'current-context');
  if (!contextName)
    throw new KubernetesConfigError(`kubeconfig_file ${file}: no current-context`, {
      hint: 'set current-context: to one of its contexts (kubectl config use-context …)',
    });
  const context = named(doc.contexts, contextName, 'context', file);
  const cluster = named(doc.clusters, str(context, 'cluster') ?? '', 'cluster', file);
  const userName = str(context, 'user');
  const user = userName ? named(doc.users, userName, 'user', file) : {};
  for (const plugin of ['exec', 'auth-provider'])
    if (user[plugin] !== undefined)
      throw new KubernetesConfigError(
        `kubeconfig_file ${file}: user '${userName}' uses ${plugin}, which Signet does not run`,
        { hint: 'use a token, tokenFile or client certificate for this user' },
      );
  const server = str(cluster, 'server');
  if (!server)
    throw new KubernetesConfigError(`kubeconfig_file ${file}: cluster has no server`, {
      hint: 'set server: https://host:port for the cluster',
    });
  const username = str(user, 'username');
  return {
    server,
    ca: readPem(cluster, 'certificate-authority', 'certificate-authority-data'),
    cert: readPem(user, 'client-certificate', 'client-certificate-data'),
    key: readPem(user, 'client-key', 'client-key-data'),
    insecureSkipVerify: cluster['insecure-skip-tls-verify'] === true,
    serverName: str(cluster, 'tls-server-name'),
    token: str(user, 'token'),
    tokenFile: str(user, 'tokenFile') ? path(str(user, 'tokenFile')!) : undefined,
    basic: username ? { username, password: str(user, 'password') ?? '' } : undefined,
    namespace: str(context, 'namespace'),
  };
}
