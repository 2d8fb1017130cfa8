/**
 * How discovery reaches the API server: in-cluster (KUBERNETES_SERVICE_HOST,
 * the service account's token and CA, over HTTPS to the stand-in with a
 * self-signed certificate), a kubeconfig file, api_server with a bearer token
 * file; and the rotated service-account token picked up after the stand-in
 * refuses the old one.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubernetesDiscoverer } from '../../../../src/sources/discovery/kubernetes/index.js';
import { KubeApiServer } from '../../../helpers/kube-apiserver.js';
import { selfSignedCertificate, type SelfSigned } from '../../../helpers/forward-proxy.js';
import { tempDir } from '../../../agent/harness.js';
import { GroupCollector, settings, simplePod } from './fixtures.js';

const FAST = { backoff: { initialMs: 50, maxMs: 200 } };

describe('kubernetes_sd_configs: reaching the API server', () => {
  let cert: SelfSigned | string;
  let api: KubeApiServer;
  let dir: { path: string; remove(): void };
  before(async () => {
    cert = selfSignedCertificate();
    dir = tempDir('signet-kube-sa-');
    if (typeof cert === 'string') return;
    api = await KubeApiServer.start({
      tls: { cert: cert.cert, key: cert.key },
      tokens: ['token-1'],
    });
    api.add('pods', simplePod('web', { namespace: 'apps' }));
    api.add('pods', simplePod('mine', { namespace: 'own' }));
  });
  after(async () => {
    await api?.stop();
    if (typeof cert !== 'string') cert.remove();
    dir.remove();
  });

  test('in-cluster: the service account token and CA; a rotated token is picked up when the old one is refused', async (t) => {
    if (typeof cert === 'string') return t.skip(`openssl could not make a certificate: ${cert}`);
    writeFileSync(join(dir.path, 'token'), 'token-1\n');
    writeFileSync(join(dir.path, 'ca.crt'), cert.cert);
    writeFileSync(join(dir.path, 'namespace'), 'own');
    const port = new URL(api.url).port;
    const c = new GroupCollector();
    const d = new KubernetesDiscoverer({
      settings: settings({ namespaces: { names: ['apps'], own_namespace: true } }),
      path: 'test',
      serviceAccountDir: dir.path,
      env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port },
      onError: c.onError,
      // Long enough that only the 401 can make it read the file again.
      tokenRefreshMs: 600_000,
      ...FAST,
    });
    try {
      await d.start(c.onUpdate);
      assert.deepEqual([...c.current.keys()].sort(), ['pod/apps/web', 'pod/own/mine']);
      assert.equal(c.errors.length, 0);

      // The kubelet rotates the token; the server stops taking the old one.
      writeFileSync(join(dir.path, 'token'), 'token-2\n');
      api.setTokens(['token-2']);
      api.closeWatches();
      api.add('pods', simplePod('after-rotation', { namespace: 'apps' }));
      await c.until('a pod seen with the new token', 'pod/apps/after-rotation', (g) => g.targets.length === 1);
      const refused = api.requests.filter((r) => r.status === 401);
      assert.ok(refused.length >= 1, 'the old token was refused once');
      assert.ok(refused.every((r) => r.authorization === 'Bearer token-1'));
      assert.ok(c.errors.some((e) => /HTTP 401/.test(e)), c.errors.join('\n'));
      const last = api.requests.at(-1)!;
      assert.equal(last.authorization, 'Bearer token-2');
      // Secrets stay out of what is reported.
      assert.ok(c.errors.every((e) => !e.includes('token-1') && !e.includes('token-2')));
    } finally {
      await d.stop();
    }
  }); // prettier-ignore

  test('in-cluster: a token file rotated ahead of time is read again after the refresh period, without a 401', async (t) => {
    if (typeof cert === 'string') return t.skip(`openssl could not make a certificate: ${cert}`);
    api.setTokens(['token-3', 'token-4']);
    writeFileSync(join(dir.path, 'token'), 'token-3');
    const c = new GroupCollector();
    const d = new KubernetesDiscoverer({
      settings: settings({ namespaces: { names: ['apps'], own_namespace: false } }),
      path: 'test',
      serviceAccountDir: dir.path,
      env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: new URL(api.url).port },
      onError: c.onError,
      tokenRefreshMs: 100,
      ...FAST,
    });
    try {
      await d.start(c.onUpdate);
      writeFileSync(join(dir.path, 'token'), 'token-4');
      await new Promise((r) => setTimeout(r, 150));
      const before = api.requests.length;
      api.closeWatches();
      await c.until('any group', 'pod/apps/web', () => api.requests.length > before);
      assert.equal(api.requests.at(-1)!.authorization, 'Bearer token-4');
      assert.deepEqual(c.errors, []);
    } finally {
      await d.stop();
    }
  }); // prettier-ignore

  test('in-cluster without KUBERNETES_SERVICE_HOST: a clear error naming the place and what to do', () => {
    const d = new KubernetesDiscoverer({ settings: settings(), path: 'metrics.configs[0].scrape_configs[0].kubernetes_sd_configs[0]', env: {} });
    return assert.rejects(d.start(() => {}), (e: Error & { hint?: string }) => {
      assert.match(e.message, /^metrics\.configs\[0\]\.scrape_configs\[0\]\.kubernetes_sd_configs\[0\]: unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined/);
      assert.match(e.hint ?? '', /api_server or kubeconfig_file/);
      return true;
    });
  }); // prettier-ignore

  test('kubeconfig_file: server, CA data and a token from the current context', async (t) => {
    if (typeof cert === 'string') return t.skip(`openssl could not make a certificate: ${cert}`);
    api.setTokens(['kubeconfig-token']);
    const file = join(dir.path, 'kubeconfig');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: test',
        'clusters:',
        '- name: other',
        '  cluster: { server: "https://127.0.0.1:1" }',
        '- name: stand-in',
        `  cluster: { server: "${api.url}", certificate-authority-data: "${cert.cert.toString('base64')}" }`,
        'users:',
        '- name: me',
        '  user: { token: kubeconfig-token }',
        'contexts:',
        '- name: test',
        '  context: { cluster: stand-in, user: me, namespace: apps }',
      ].join('\n'),
    );
    const c = new GroupCollector();
    const d = new KubernetesDiscoverer({ settings: settings({ kubeconfig_file: file }), path: 'test', onError: c.onError, ...FAST });
    try {
      await d.start(c.onUpdate);
      assert.equal(c.current.get('pod/apps/web')?.targets.length, 1);
      assert.deepEqual(c.errors, []);
    } finally {
      await d.stop();
    }
  }); // prettier-ignore

  test('kubeconfig_file: a tokenFile relative to the file is found; an exec plugin is refused, not ignored', async (t) => {
    if (typeof cert === 'string') return t.skip(`openssl could not make a certificate: ${cert}`);
    api.setTokens(['from-token-file']);
    writeFileSync(join(dir.path, 'kube-token'), 'from-token-file\n');
    writeFileSync(join(dir.path, 'ca.pem'), cert.cert);
    const file = join(dir.path, 'kubeconfig-relative');
    const kubeconfig = (user: string) =>
      `current-context: c\nclusters: [{ name: k, cluster: { server: "${api.url}", certificate-authority: ca.pem } }]\nusers: [{ name: u, user: ${user} }]\ncontexts: [{ name: c, context: { cluster: k, user: u } }]\n`;
    writeFileSync(file, kubeconfig('{ tokenFile: kube-token }'));
    const c = new GroupCollector();
    const d = new KubernetesDiscoverer({ settings: settings({ kubeconfig_file: file }), path: 'test', onError: c.onError, ...FAST });
    try {
      await d.start(c.onUpdate);
      assert.equal(c.current.get('pod/apps/web')?.targets.length, 1);
    } finally {
      await d.stop();
    }
    writeFileSync(file, kubeconfig('{ exec: { command: aws, args: [eks, get-token] } }'));
    const refused = new KubernetesDiscoverer({ settings: settings({ kubeconfig_file: file }), path: 'test' });
    await assert.rejects(refused.start(() => {}), /user 'u' uses exec, which Signet does not run/);
  }); // prettier-ignore

  test('api_server with bearer_token_file and tls_config.ca_file or an inline tls_config.ca; a CA the server does not match is reported', async (t) => {
    if (typeof cert === 'string') return t.skip(`openssl could not make a certificate: ${cert}`);
    api.setTokens(['file-token']);
    writeFileSync(join(dir.path, 'bearer'), 'file-token\n');
    const c = new GroupCollector();
    const d = new KubernetesDiscoverer({
      settings: settings({
        api_server: api.url,
        bearer_token_file: join(dir.path, 'bearer'),
        tls_config: { ca_file: cert.certFile, insecure_skip_verify: false },
        namespaces: { names: ['apps'], own_namespace: false },
      }),
      path: 'test',
      onError: c.onError,
      ...FAST,
    });
    const inline = new GroupCollector();
    const withInlineCa = new KubernetesDiscoverer({
      settings: settings({ api_server: api.url, bearer_token: 'file-token', tls_config: { ca: cert.cert.toString(), insecure_skip_verify: false } }),
      path: 'test',
      onError: inline.onError,
      ...FAST,
    });
    const untrusted = new GroupCollector();
    const refused = new KubernetesDiscoverer({ settings: settings({ api_server: api.url, bearer_token: 'file-token' }), path: 'test', onError: untrusted.onError, ...FAST });
    try {
      await d.start(c.onUpdate);
      assert.equal(c.current.get('pod/apps/web')?.targets.length, 1);
      await withInlineCa.start(inline.onUpdate);
      assert.equal(inline.current.get('pod/apps/web')?.targets.length, 1);
      await refused.start(untrusted.onUpdate);
      assert.equal(untrusted.current.size, 0);
      assert.match(untrusted.errors[0] ?? '', /self[- ]signed certificate/i);
    } finally {
      await d.stop();
      await refused.stop();
      await withInlineCa.stop();
    }
  }); // prettier-ignore
});
