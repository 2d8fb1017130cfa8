/**
 * `kubernetes_sd_configs` refused at load time as Prometheus refuses it
 * (SDConfig.UnmarshalYAML), each problem with its place and key path, and
 * the roles Signet does not discover yet named as such.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAgentConfig } from '../../../src/config/agent/load.js';
import { ConfigFileError } from '../../../src/config/yaml/config-error.js';

const job = (sd: string) => `metrics:
  configs:
    - name: a
      scrape_configs:
        - job_name: k
          kubernetes_sd_configs:
${sd}
`;

function problems(text: string): string[] {
  try {
    parseAgentConfig(text, 'agent.yaml');
  } catch (error) {
    assert.ok(error instanceof ConfigFileError, String(error));
    return error.problems.map(
      (p) => `${p.line}:${p.column} ${p.keyPath}: ${p.message} (${p.hint})`,
    );
  }
  assert.fail('expected the file to be refused');
}

const AT = 'metrics.configs[0].scrape_configs[0].kubernetes_sd_configs[0]';

describe('kubernetes_sd_configs at load time', () => {
  test('the guides’ in-cluster pod role loads with Prometheus’s defaults', () => {
    const { config } = parseAgentConfig(job('            - role: pod'), 'agent.yaml');
    const sd = config.instances[0]!.jobs[0]!.file.kubernetes_sd_configs[0]!;
    assert.equal(sd.role, 'pod');
    assert.deepEqual(sd.namespaces, { names: [], own_namespace: false });
    assert.deepEqual(sd.selectors, []);
    assert.equal(sd.api_server, undefined);
  });

  test('a role Prometheus does not know, and one Signet does not discover yet, are refused by name', () => {
    assert.match(problems(job('            - role: pods'))[0]!, /^7:\d+ .*\.role: must be one of pod, node, service, endpoints, endpointslice, ingress, not 'pods'/);
    assert.match(problems(job('            - role: ingress'))[0]!, /\.role: Signet does not discover the ingress role yet.*\(use one of pod, node, service, endpoints, endpointslice/);
  }); // prettier-ignore

  test('api_server with kubeconfig_file, HTTP settings without api_server, own_namespace outside the cluster: refused', () => {
    assert.match(problems(job('            - { role: pod, api_server: "https://k8s.example:6443", kubeconfig_file: /k/config }'))[0]!, new RegExp(`${AT.replace(/[[\].]/g, '\\$&')}\\.kubeconfig_file: cannot use 'kubeconfig_file' and 'api_server' simultaneously`));
    assert.match(problems(job('            - { role: pod, bearer_token: x }'))[0]!, /\.bearer_token: to use custom HTTP client configuration please provide the 'api_server' URL explicitly/);
    assert.match(problems(job('            - { role: pod, kubeconfig_file: /k/config, tls_config: { insecure_skip_verify: true } }'))[0]!, /\.tls_config: cannot use a custom HTTP client configuration together with 'kubeconfig_file'/);
    assert.match(problems(job('            - { role: pod, api_server: "https://k8s.example:6443", namespaces: { own_namespace: true } }'))[0]!, /\.namespaces\.own_namespace: cannot use 'api_server' and 'namespaces\.own_namespace' simultaneously/);
  }); // prettier-ignore

  test('selectors: only the roles a role supports, each role once; misspelt keys get did-you-mean', () => {
    assert.match(problems(job('            - { role: pod, selectors: [{ role: node, field: "metadata.name=a" }] }'))[0]!, /\.selectors\[0\]\.role: pod role supports only pod selectors/);
    assert.match(problems(job('            - { role: pod, selectors: [{ role: pod, label: a=b }, { role: pod, field: "spec.nodeName=x" }] }'))[0]!, /\.selectors\[1\]\.role: duplicated selector role: pod/);
    assert.match(problems(job('            - { role: pod, selector: [] }')).join('\n'), /selector.*did you mean 'selectors'/i);
  }); // prettier-ignore
});
