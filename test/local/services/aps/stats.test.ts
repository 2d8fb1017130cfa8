/**
 * `GET /_signet/aps/stats` over HTTP: remote writes signed by smithy's signer
 * against a real `signet local`, counted per workspace (received, repeated,
 * stored), and the counts surviving a restart on the same --data-dir.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compressSync } from 'snappy';
import { startLocal, type LocalStack } from '../../../../src/local/index.js';
import { smithySignedHeaders } from '../../../helpers/smithy-sign.js';
import { encodeWriteRequest, type TestSeries } from './helpers.js';

async function write(local: LocalStack, workspace: string, series: TestSeries[]): Promise<number> {
  const url = `${local.url}/workspaces/${workspace}/api/v1/remote_write`;
  const body = compressSync(encodeWriteRequest(series));
  const headers = await smithySignedHeaders({ service: 'aps', region: 'us-east-1' }, 'POST', url, {
    body,
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
  });
  const res = await fetch(url, { method: 'POST', headers, body });
  await res.arrayBuffer();
  return res.status;
}

async function stats(local: LocalStack): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${local.url}/_signet/aps/stats`);
  return { status: res.status, body: await res.json() };
}

const counter = (samples: [number, number][]): TestSeries[] => [
  { labels: [['__name__', 'soak_counter']], samples },
];

test('stats count samples received and repeated per workspace, and survive a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'signet-aps-stats-'));
  let local = await startLocal({ dataDir });
  try {
    assert.deepEqual(await stats(local), { status: 200, body: { workspaces: {} } });
    assert.equal(
      await write(
        local,
        'ws-a',
        counter([
          [1000, 1],
          [2000, 2],
        ]),
      ),
      200,
    );
    // A retry of a batch whose answer was lost: same series, same timestamps.
    assert.equal(
      await write(
        local,
        'ws-a',
        counter([
          [2000, 2],
          [3000, 3],
        ]),
      ),
      200,
    );
    assert.equal(await write(local, 'ws-b', counter([[1000, 7]])), 200);
    const expected = {
      workspaces: {
        'ws-a': { samples_received: 4, samples_repeated: 1, samples_stored: 3, series: 1 },
        'ws-b': { samples_received: 1, samples_repeated: 0, samples_stored: 1, series: 1 },
      },
    };
    assert.deepEqual(await stats(local), { status: 200, body: expected });

    await local.close();
    local = await startLocal({ dataDir });
    assert.deepEqual(await stats(local), { status: 200, body: expected }, 'kept across restart');
    // Restoring the saved samples is not counted as receiving them again.
    assert.equal(await write(local, 'ws-b', counter([[1000, 7]])), 200);
    const after = (await stats(local)).body as typeof expected;
    assert.deepEqual(after.workspaces['ws-b'], {
      samples_received: 2,
      samples_repeated: 1,
      samples_stored: 1,
      series: 1,
    });
  } finally {
    await local.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a refused remote write counts nothing; other paths under /_signet/aps/ are 404', async () => {
  const local = await startLocal();
  try {
    const bad = counter([[1000, 1]]);
    bad[0] = { labels: [['__name__', 'bad name']], samples: [[1000, 1]] };
    assert.equal(await write(local, 'ws-a', bad), 400);
    assert.deepEqual((await stats(local)).body, { workspaces: {} });
    const other = await fetch(`${local.url}/_signet/aps/nope`);
    assert.equal(other.status, 404);
    const post = await fetch(`${local.url}/_signet/aps/stats`, { method: 'POST' });
    assert.equal(post.status, 404);
  } finally {
    await local.close();
  }
});
