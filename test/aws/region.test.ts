import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRegion } from '../../src/aws/region.js';
import type { LocalStack } from '../../src/local/index.js';
import { TempHome, isolatedEnv, startStack } from './credentials/harness.js';

let stack: LocalStack;
before(async () => {
  stack = await startStack();
});
after(() => stack.close());

describe('the signing region when none is configured', () => {
  const home = new TempHome({
    '.aws/config': '[default]\nregion = ap-south-1\n[profile eu]\nregion = eu-north-1\n',
  });
  after(() => home.remove());
  const amp = 'https://aps-workspaces.eu-west-2.amazonaws.com/workspaces/ws-1/api/v1/remote_write';

  test('configured, then the endpoint host, then AWS_REGION, AWS_DEFAULT_REGION, the profile, IMDS', async () => {
    const env = isolatedEnv(home, { AWS_REGION: 'us-west-1', AWS_DEFAULT_REGION: 'us-west-2' });
    assert.deepEqual(await resolveRegion({ configured: 'sa-east-1', url: amp, env }), {
      region: 'sa-east-1',
      from: 'config',
    });
    assert.deepEqual(await resolveRegion({ url: amp, env }), {
      region: 'eu-west-2',
      from: 'endpoint',
    });
    assert.deepEqual(await resolveRegion({ url: 'http://127.0.0.1:1/x', env }), {
      region: 'us-west-1',
      from: 'AWS_REGION',
    });
    const noRegion = { ...env, AWS_REGION: undefined };
    assert.deepEqual(await resolveRegion({ env: noRegion }), {
      region: 'us-west-2',
      from: 'AWS_DEFAULT_REGION',
    });
    const neither = { ...noRegion, AWS_DEFAULT_REGION: undefined };
    assert.deepEqual(await resolveRegion({ env: neither }), {
      region: 'ap-south-1',
      from: 'profile',
    });
    assert.deepEqual(await resolveRegion({ env: neither, profile: 'eu' }), {
      region: 'eu-north-1',
      from: 'profile',
    });
    assert.deepEqual(await resolveRegion({ env: { ...neither, AWS_PROFILE: 'eu' } }), {
      region: 'eu-north-1',
      from: 'profile',
    });
    const bare = new TempHome();
    assert.deepEqual(
      await resolveRegion({
        env: isolatedEnv(bare, { AWS_EC2_METADATA_SERVICE_ENDPOINT: stack.url }),
      }),
      { region: 'eu-west-1', from: 'imds' },
    );
    await assert.rejects(resolveRegion({ env: isolatedEnv(bare) }), /No AWS region configured/);
    bare.remove();
  });
});
