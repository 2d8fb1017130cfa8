/**
 * The API stand-in checked by a real client: kubectl lists and watches pods
 * against it as it would against a cluster. Written to work with Debian's
 * kubernetes-client (1.20) and current kubectl alike: only `get -o json`,
 * `--watch --output-watch-events`, selectors and `-A`, which both have.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeApiServer } from '../../../helpers/kube-apiserver.js';
import { tempDir, waitFor } from '../../../agent/harness.js';
import { selfSignedCertificate, type SelfSigned } from '../../../helpers/forward-proxy.js';
import { simplePod } from './fixtures.js';

const run = promisify(execFile);
const kubectlMissing = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).error;
const opensslMissing = spawnSync('openssl', ['version'], { stdio: 'ignore' }).error;

/** Splits kubectl's stream of JSON documents (pretty-printed one after another). */
function jsonDocuments(text: string): unknown[] {
  const docs: unknown[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') {
      if (depth++ === 0) start = i;
    } else if (ch === '}' && --depth === 0) docs.push(JSON.parse(text.slice(start, i + 1)));
  }
  return docs;
}

interface Listed {
  readonly kind: string;
  readonly items: { metadata: { name: string; namespace: string } }[];
}

describe(
  'the Kubernetes API stand-in, as kubectl sees it',
  {
    skip: kubectlMissing
      ? 'kubectl is not installed'
      : opensslMissing
        ? 'openssl is not installed (the stand-in serves TLS, as kubectl needs for a token)'
        : false,
  },
  () => {
    let api: KubeApiServer;
    let dir: { path: string; remove(): void };
    let kubeconfig = '';
    let cert: SelfSigned | undefined;
    const kubectl = (...args: string[]) => [
      '--kubeconfig',
      kubeconfig,
      '--cache-dir',
      join(dir.path, 'cache'),
      '--request-timeout',
      '10s',
      ...args,
    ];

    before(async () => {
      dir = tempDir('signet-kubectl-');
      // Over TLS, as a cluster is: kubectl does not send a bearer token over plain http.
      const made = selfSignedCertificate();
      if (typeof made === 'string')
        throw new Error(`openssl could not make a certificate: ${made}`);
      cert = made;
      api = await KubeApiServer.start({
        tokens: ['kubectl-token'],
        tls: { cert: cert.cert, key: cert.key },
      });
      kubeconfig = join(dir.path, 'config');
      writeFileSync(
        kubeconfig,
        `apiVersion: v1
kind: Config
current-context: stand-in
clusters:
- name: stand-in
  cluster: { server: "${api.url}", certificate-authority-data: "${cert.cert.toString('base64')}" }
users:
- name: tester
  user: { token: kubectl-token }
contexts:
- name: stand-in
  context: { cluster: stand-in, user: tester, namespace: default }
`,
      );
      api.add('pods', simplePod('one', { node: 'node-a' }));
      api.add('pods', simplePod('two', { node: 'node-b' }));
      api.add('pods', simplePod('other-ns', { namespace: 'kube-system' }));
    });
    after(async () => {
      await api.stop();
      dir.remove();
    });

    test('kubectl get pods -o json lists the namespace; -A all; --field-selector and -l filter', async () => {
    const names = async (...args: string[]) => {
      const { stdout } = await run('kubectl', kubectl('get', 'pods', '-o', 'json', ...args));
      const list = JSON.parse(stdout) as Listed;
      assert.equal(list.kind, 'List');
      return list.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`).sort();
    };
    assert.deepEqual(await names(), ['default/one', 'default/two']);
    assert.deepEqual(await names('-A'), ['default/one', 'default/two', 'kube-system/other-ns']);
    assert.deepEqual(await names('--field-selector', 'spec.nodeName=node-a'), ['default/one']);
    assert.deepEqual(await names('-l', 'app in (two,three)'), ['default/two']);
    assert.ok(api.requests.some((r) => r.path === '/api/v1/pods'));
    assert.ok(api.requests.every((r) => r.authorization === 'Bearer kubectl-token'));
    // kubectl reads the server's refusal of a bad token as the Status it is.
    const bad = await run('kubectl', [...kubectl('get', 'pods', '-o', 'json'), '--token', 'wrong']).catch((e: { stderr: string }) => e);
    assert.match((bad).stderr, /Unauthorized|must be logged in/);
  }); // prettier-ignore

    test('kubectl get pods --watch reads the events as pods are added, changed and deleted', async () => {
    const child = spawn('kubectl', kubectl('get', 'pods', '--watch', '--output-watch-events', '-o', 'json'), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    type Event = { type: string; object: { metadata: { name: string; resourceVersion: string } } };
    const events = () => jsonDocuments(out) as Event[];
    try {
      await waitFor(`the initial pods (stderr: ${err})`, () => (events().length >= 2 ? true : undefined));
      await waitFor('the watch request', () => (api.openWatches > 0 ? true : undefined));
      api.add('pods', simplePod('three'));
      api.update('pods', simplePod('three', { port: 9999 }));
      api.remove('pods', 'default', 'one');
      api.bookmark();
      const seen = await waitFor(`the watch events (stderr: ${err})`, () => {
        const e = events().map((x) => `${x.type} ${x.object.metadata.name}`);
        return e.length >= 5 ? e : undefined;
      });
      assert.deepEqual(seen, ['ADDED one', 'ADDED two', 'ADDED three', 'MODIFIED three', 'DELETED one']);
      const watch = api.requests.find((r) => r.query.get('watch') === 'true' || r.query.get('watch') === '1');
      assert.ok(watch, 'kubectl watched');
      const listRv = api.requests.find((r) => r.path === '/api/v1/namespaces/default/pods' && !r.query.get('watch'));
      assert.ok(listRv, 'kubectl listed first');
      assert.ok(Number(watch.query.get('resourceVersion')) > 0, 'and watched from the list’s resourceVersion');
    } finally {
      child.kill();
    }
  }); // prettier-ignore
  },
);
