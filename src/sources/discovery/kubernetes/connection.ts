/**
 * How discovery reaches the API server, chosen as Prometheus chooses it:
 * `kubeconfig_file`, else `api_server` with Prometheus's HTTP client keys,
 * else in-cluster (KUBERNETES_SERVICE_HOST/PORT and the service account's
 * token, ca.crt and namespace).
 *
 * Service-account tokens are bound and rotated by the kubelet; like client-go
 * (its cached file token source), a token read from a file is used for a
 * minute and then read again, and read again at once after a 401.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import { createHttpDispatcher } from '../../../net/http-dispatcher.js';
import { KubernetesConfigError, readKubeconfig } from './kubeconfig.js';
import { SERVICE_ACCOUNT_DIR, type KubernetesDiscoveryOptions } from './options.js';

export interface ApiConnection {
  /** The server's base URL, without a trailing slash. */
  readonly server: string;
  readonly dispatcher: Dispatcher;
  /** The namespace this pod runs in (in-cluster only), for `own_namespace`. */
  readonly ownNamespace: string | undefined;
  /** The Authorization header for the next request, if any. */
  authorization(): string | undefined;
  /** A 401 came back: token files are read again before the next request. */
  unauthorized(): void;
  close(): Promise<void>;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new KubernetesConfigError(
      `cannot read the ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      { hint: 'check that the file exists and is readable by the agent' },
    );
  }
}

/** A token from a file, cached for `refreshMs` and dropped on a 401. */
class FileToken {
  private value: string | undefined;
  private readAt = 0;
  constructor(
    private readonly file: string,
    private readonly refreshMs: number,
  ) {}
  get(): string {
    const now = Date.now();
    if (this.value === undefined || now - this.readAt >= this.refreshMs) {
      this.value = readText(this.file, 'token file');
      this.readAt = now;
    }
    return this.value;
  }
  reset(): void {
    this.value = undefined;
  }
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

function withTokens(
  server: string,
  dispatcher: Dispatcher,
  ownNamespace: string | undefined,
  header: () => string | undefined,
  tokens: readonly FileToken[],
): ApiConnection {
  return {
    server: server.replace(/\/+$/, ''),
    dispatcher,
    ownNamespace,
    authorization: header,
    unauthorized: () => tokens.forEach((t) => t.reset()),
    close: () => dispatcher.close(),
  };
}

export function connect(o: KubernetesDiscoveryOptions): ApiConnection {
  const s = o.settings;
  const refreshMs = o.tokenRefreshMs ?? 60_000;
  if (s.kubeconfig_file !== undefined) {
    const access = readKubeconfig(s.kubeconfig_file);
    const dispatcher = new Agent({
      connect: {
        ...(access.ca ? { ca: access.ca } : {}),
        ...(access.cert ? { cert: access.cert } : {}),
        ...(access.key ? { key: access.key } : {}),
        ...(access.serverName ? { servername: access.serverName } : {}),
        rejectUnauthorized: !access.insecureSkipVerify,
      },
    });
    const file = access.tokenFile ? new FileToken(access.tokenFile, refreshMs) : undefined;
    const header = (): string | undefined => {
      if (access.token) return `Bearer ${access.token}`;
      if (file) return `Bearer ${file.get()}`;
      if (access.basic) return basicHeader(access.basic.username, access.basic.password);
      return undefined;
    };
    return withTokens(access.server, dispatcher, undefined, header, file ? [file] : []);
  }
  if (s.api_server !== undefined) {
    const dispatcher = createHttpDispatcher(s, o.path);
    const tokenFile = s.bearer_token_file ? new FileToken(s.bearer_token_file, 0) : undefined;
    const auth = s.authorization;
    const credentialsFile = auth?.credentials_file
      ? new FileToken(auth.credentials_file, 0)
      : undefined;
    const header = (): string | undefined => {
      if (s.basic_auth) {
        const b = s.basic_auth;
        const password = b.password_file
          ? readText(b.password_file, 'password_file')
          : (b.password ?? '');
        return basicHeader(b.username, password);
      }
      if (auth && (auth.credentials || credentialsFile))
        return `${auth.type} ${credentialsFile ? credentialsFile.get() : auth.credentials}`;
      if (s.bearer_token) return `Bearer ${s.bearer_token}`;
      if (tokenFile) return `Bearer ${tokenFile.get()}`;
      return undefined;
    };
    return withTokens(s.api_server, dispatcher, undefined, header, []);
  }
  const env = o.env ?? process.env;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port)
    throw new KubernetesConfigError(
      `${o.path}: unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined`,
      {
        hint: 'run the agent in a pod, or set api_server or kubeconfig_file to reach the cluster from outside',
      },
    );
  const dir = o.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const token = new FileToken(join(dir, 'token'), refreshMs);
  token.get(); // A missing token fails now, with its path, as client-go's InClusterConfig does.
  let ca: Buffer | undefined;
  try {
    ca = readFileSync(join(dir, 'ca.crt'));
  } catch {
    // client-go goes on without the CA (and the system roots then decide).
  }
  const ownNamespace = s.namespaces.own_namespace
    ? readText(join(dir, 'namespace'), 'service-account namespace file')
    : undefined;
  if (ownNamespace === '')
    throw new KubernetesConfigError(`${o.path}: ${join(dir, 'namespace')} is empty`, {
      hint: 'own_namespace needs the namespace the kubelet writes there',
    });
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const dispatcher = new Agent({ connect: ca ? { ca } : {} });
  return withTokens(server, dispatcher, ownNamespace, () => `Bearer ${token.get()}`, [token]);
}
