import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalConfigError } from '../../../src/local/config/config-error.js';
import { defaultLocalConfig } from '../../../src/local/config/defaults.js';
import { loadLocalConfig, parseLocalConfig } from '../../../src/local/config/load.js';
import { SignetError } from '../../../src/errors.js';
import { fixtureConfig } from './fixture.js';

function failure(text: string): LocalConfigError {
  try {
    parseLocalConfig(text, 'local.yaml');
  } catch (error) {
    assert.ok(error instanceof LocalConfigError, `expected LocalConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('the config was accepted');
}

const USER = `principals:
  - name: demo
    account_id: '123456789012'
    access_key_id: AKIAIOSFODNN7EXAMPLE
    secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
`;

describe('loadLocalConfig', () => {
  test('reads every section of a YAML file, resolving policy names', () => {
    const config = fixtureConfig();
    assert.equal(config.credentialDurationSeconds, 60);
    assert.equal(config.principals.length, 3);
    const alice = config.principals[0]!;
    assert.equal(alice.arn, 'arn:aws:iam::123456789012:user/alice');
    assert.deepEqual(alice.policy, [{ effect: 'Allow', actions: ['*'], resources: ['*'] }]);
    assert.deepEqual(
      config.principals[1]!.policy[0]!.resources,
      ['*'],
      'a single resource becomes a list',
    );
    const reader = config.roles[0]!;
    assert.equal(reader.name, 'Reader');
    assert.equal(reader.accountId, '123456789012');
    assert.equal(reader.maxSessionDuration, 7200);
    assert.equal(config.roles[1]!.maxSessionDuration, 3600, 'default');
    assert.equal(config.roles[1]!.trust.externalId, 'ext-123');
    assert.equal(config.roles[4]!.name, 'InstanceRole', 'the name is the last segment of a path');
    assert.equal(config.roles[3]!.trust.webIdentity?.audience, 'sts.amazonaws.com');
    const self = config.instances[0]!;
    assert.equal(self.self, true);
    assert.equal(self.launchTime, '2024-05-01T12:00:00.000Z');
    assert.equal(self.accountId, '123456789012');
    assert.deepEqual(self.tags, { Name: 'web-1', Env: 'prod' });
    assert.equal(config.instances[1]!.self, false);
    assert.equal(config.instances[1]!.publicIp, undefined);
    assert.equal(config.container?.fullUriPath, '/v1/credentials');
    assert.equal(config.container?.authorizationToken, 'container-secret-token');
    assert.deepEqual(Object.keys(config.executeApi), ['metrics', 'team/a/metrics']);
    assert.equal(config.executeApi['metrics'], '# TYPE up gauge\nup 1\n');
    assert.deepEqual(config.faults, [{ service: 'logs', kind: 'throttle' }]);
  });

  test('reads JSON, and fills defaults for what is left out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-config-'));
    const file = join(dir, 'local.json');
    writeFileSync(
      file,
      JSON.stringify({
        principals: [
          {
            name: 'ci',
            account_id: '123456789012',
            access_key_id: 'AKIACIEXAMPLE0000001',
            secret_access_key: 's3cr3t',
          },
        ],
      }),
    );
    const config = loadLocalConfig(file);
    assert.deepEqual(config.principals[0]!.policy, [], 'no policy: everything implicitly denied');
    assert.deepEqual(config.roles, []);
    assert.deepEqual(config.instances, []);
    assert.equal(config.container, undefined);
    assert.equal(config.credentialDurationSeconds, 3600);
  });

  test('the default config has the demo user allowed everything', () => {
    const config = defaultLocalConfig();
    assert.equal(config.principals.length, 1);
    const demo = config.principals[0]!;
    assert.equal(demo.accessKeyId, 'AKIAIOSFODNN7EXAMPLE');
    assert.equal(demo.secretAccessKey, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    assert.equal(demo.arn, 'arn:aws:iam::123456789012:user/demo');
    assert.deepEqual(demo.policy, [{ effect: 'Allow', actions: ['*'], resources: ['*'] }]);
    assert.equal(config.credentialDurationSeconds, 3600);
  });
});

describe('config errors', () => {
  test('a missing file names it and says what to do', () => {
    const error = (() => {
      try {
        loadLocalConfig('/nonexistent/signet.yaml');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof LocalConfigError && error instanceof SignetError);
    assert.match(
      error.message,
      /^\/nonexistent\/signet\.yaml: cannot read the config file \(ENOENT\)$/,
    );
    assert.match(error.hint ?? '', /--config/);
  });

  test('a YAML syntax error carries line:column', () => {
    const e = failure('principals:\n  - name: [demo\n    account_id: 1\n');
    assert.match(e.message, /^local\.yaml:\d+:\d+: /);
    assert.doesNotMatch(e.message, /\n/, 'one line');
  });

  test("a fault is checked where it is written, in the file's snake_case", () => {
    const kind = failure('faults:\n  - { service: logs, kind: explode }\n');
    assert.match(kind.message, /^local\.yaml:2:\d+: faults\[0\]\.kind: /);
    const camel = failure('faults:\n  - { service: logs, kind: latency, latencyMs: 5 }\n');
    assert.match(camel.message, /faults\[0\]\.latencyMs: unknown key 'latencyMs'/);
  });

  test('a duplicate key is a syntax error', () => {
    const e = failure('{"roles": [], "roles": []}');
    assert.match(e.message, /^local\.yaml:1:15: Map keys must be unique/);
  });

  test('an unknown key points at the key itself', () => {
    const e = failure(`${USER}    acess_key: x\n`);
    assert.equal(e.message, "local.yaml:6:5: principals[0].acess_key: unknown key 'acess_key'");
    assert.match(e.hint ?? '', /spelling/);
  });

  test('a wrong type names the key path and position of the value', () => {
    const e = failure(USER.replace("'123456789012'", '123456789012'));
    assert.equal(
      e.message,
      'local.yaml:3:17: principals[0].account_id: expected a string, got 123456789012',
    );
    assert.match(e.hint ?? '', /quote/);
  });

  test('a missing key points at its parent', () => {
    const e = failure(USER.replace(/ {4}secret_access_key.*\n/, ''));
    assert.equal(e.problems[0]?.keyPath, 'principals[0].secret_access_key');
    assert.equal(e.problems[0]?.line, 2);
    assert.match(e.message, /is required/);
    assert.match(e.hint ?? '', /add secret_access_key:/);
  });

  test('an invalid statement inside an inline policy is reported where it is', () => {
    const e = failure(
      `${USER}    policy:\n      - effect: allow\n        actions: ['logs:Put*']\n        resources: ['*']\n`,
    );
    assert.equal(
      e.message,
      "local.yaml:7:17: principals[0].policy[0].effect: must be one of Allow, Deny, not 'allow'",
    );
  });

  test('a malformed action says what an action looks like', () => {
    const e = failure(
      `${USER}    policy:\n      - effect: Allow\n        actions: PutLogEvents\n        resources: '*'\n`,
    );
    assert.equal(e.problems[0]?.keyPath, 'principals[0].policy[0].actions');
    assert.match(e.message, /^local\.yaml:8:18: .*must be `\*` or `service:Action`/);
    assert.match(e.hint ?? '', /logs:PutLogEvents/);
  });

  test('range errors carry their hint', () => {
    const e = failure(
      'roles:\n  - arn: arn:aws:iam::123456789012:role/R\n    max_session_duration: 50000\n    trust: { principals: [] }\n',
    );
    assert.equal(
      e.message,
      'local.yaml:3:27: roles[0].max_session_duration: must be at most 43200, not 50000',
    );
    assert.match(e.hint ?? '', /3600 to 43200/);
  });

  test('a policy name that policies does not define', () => {
    const e = failure(`${USER}    policy: admn\npolicies:\n  admin: []\n`);
    assert.equal(
      e.message,
      "local.yaml:6:13: principals[0].policy: names policy 'admn', which 'policies' does not define",
    );
    assert.match(e.hint ?? '', /admin/);
  });

  test('cross-references: unknown role, two self instances, duplicate keys; all problems listed', () => {
    const instance = (id: string): string =>
      `  - { instance_id: ${id}, image_id: ami-01234567, instance_type: t3.micro, private_ip: 10.0.0.1, state: running, availability_zone: us-east-1a, vpc_id: vpc-01234567, subnet_id: subnet-01234567, launch_time: '2024-01-01T00:00:00Z', self: true }\n`;
    const e = failure(
      `${USER}${USER.replace('principals:\n', '').replace('demo', 'other')}instances:\n${instance('i-01234567')}${instance('i-01234568')}container:\n  role: arn:aws:iam::123456789012:role/Missing\n`,
    );
    const paths = e.problems.map((p) => p.keyPath);
    assert.deepEqual(paths, ['principals[1].access_key_id', 'container.role', 'instances[1].self']);
    assert.match(e.message, /\(and 2 more\)$/);
    assert.deepEqual([e.problems[1]?.line, e.problems[1]?.column], [14, 9]);
  });

  test('an empty file is refused', () => {
    const e = failure('# nothing\n');
    assert.equal(e.message, 'local.yaml: is empty');
  });
});
