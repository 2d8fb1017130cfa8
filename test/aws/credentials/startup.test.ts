import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rename } from 'node:fs/promises';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import { OPS_KEY, OPS_SECRET, TempHome, isolatedEnv } from './harness.js';

describe('starting without credentials', () => {
  test('reports why, keeps retrying with backoff, and uses credentials within one retry after they appear', async () => {
    const home = new TempHome();
    const events: string[] = [];
    const provider = createCredentialProvider(
      {},
      {
        env: isolatedEnv(home),
        background: true,
        backoff: { initialMs: 100, maxMs: 400 },
        timeoutMs: 500,
        onRefresh: (_layer, e) => events.push(e.ok ? 'ok' : 'failed'),
      },
    );
    await provider.start();
    const failed = provider.status();
    assert.equal(failed.source, undefined);
    assert.ok(failed.failures >= 1);
    assert.match(failed.lastError ?? '', /No AWS credentials found/);
    assert.match(failed.lastError ?? '', /imds:/);
    assert.ok(failed.nextAttemptAt !== undefined, 'a retry is scheduled');

    // Let the backoff grow to its cap, proving retries continue on their own.
    while (provider.status().failures < 4) await new Promise((r) => setTimeout(r, 50));

    // The file appears whole (written aside, then renamed), as a config manager would.
    const staged = home.write(
      'staged',
      `[default]\naws_access_key_id = ${OPS_KEY}\naws_secret_access_key = ${OPS_SECRET}\n`,
    );
    const failuresAtWrite = provider.status().failures;
    await rename(staged, home.path('.aws/credentials'));
    while (provider.status().source === undefined) await new Promise((r) => setTimeout(r, 20));
    assert.ok(
      provider.status().failures - failuresAtWrite <= 1,
      'the first attempt that could see the file used it',
    );
    assert.equal((await provider.get()).accessKeyId, OPS_KEY);
    assert.equal(provider.status().source, 'shared-files');
    assert.equal(provider.status().lastError, undefined);
    assert.equal(events.at(-1), 'ok');
    provider.close();
    home.remove();
  });
});
