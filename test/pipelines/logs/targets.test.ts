import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRelabelConfigs } from '../../../src/process/relabel/index.js';
import { logTargets } from '../../../src/pipelines/logs/targets.js';

const rules = compileRelabelConfigs(
  [
    // The guides' pod-log rule: the path from the pod's uid and container name.
    {
      source_labels: ['__meta_kubernetes_pod_uid', '__meta_kubernetes_pod_container_name'],
      separator: '/',
      target_label: '__path__',
      replacement: '/var/log/pods/*$1/*.log',
    },
    { action: 'drop', source_labels: ['skip'], regex: 'yes' },
  ],
  'scrape_configs[0].relabel_configs',
);

describe('logs targets from discovery, as Promtail makes them', () => {
  it('relabels, keeps __path__ apart and removes every other __ label', () => {
    const { targets, dropped } = logTargets(
      [
        {
          source: 'pod/default/web',
          targets: [
            {
              __meta_kubernetes_pod_uid: 'abc-123',
              __meta_kubernetes_pod_container_name: 'nginx',
              __address__: '10.0.0.1',
            },
          ],
          labels: { job: 'pods', skip: 'no' },
        },
      ],
      rules,
      'node-1',
    );
    assert.deepEqual(dropped, []);
    assert.deepEqual(
      targets.map((t) => [t.path, t.labels]),
      [['/var/log/pods/*abc-123/nginx/*.log', { job: 'pods', skip: 'no' }]],
    );
  });

  it('drops targets without __path__, dropped by a rule, or meant for another __host__', () => {
    const { targets, dropped } = logTargets(
      [
        { source: 's0', targets: [{ __address__: 'localhost' }], labels: { job: 'nopath' } },
        {
          source: 's1',
          targets: [{ __address__: 'localhost' }],
          labels: { __path__: '/x/*.log', skip: 'yes' },
        },
        {
          source: 's2',
          targets: [{ __address__: 'localhost' }],
          labels: { __path__: '/y/*.log', __host__: 'other-node' },
        },
        {
          source: 's3',
          targets: [{ __address__: 'localhost' }],
          labels: { __path__: '/z/*.log', __path_exclude__: '/z/*.gz', __host__: 'node-1' },
        },
      ],
      compileRelabelConfigs([{ action: 'drop', source_labels: ['skip'], regex: 'yes' }], 'r'),
      'node-1',
    );
    assert.deepEqual(
      dropped.map((d) => d.reason),
      [
        'no __path__ label after relabeling',
        'dropped by relabel_configs',
        '__host__ is other-node, not this host (node-1)',
      ],
    );
    assert.deepEqual(
      targets.map((t) => [t.path, t.pathExclude, t.labels]),
      [['/z/*.log', '/z/*.gz', {}]],
    );
  });
});
