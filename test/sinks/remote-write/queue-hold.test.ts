/**
 * Refusals a fix can cure, against `signet local` over 127.0.0.1: the queue
 * holds the batches (never drops them), says why in its stats and logs,
 * reports no progress past them, fills up, and delivers everything once the
 * fix lands. Credentials come from a real shared-credentials file that the
 * test rewrites, as an operator would.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import { AwsClient } from '../../../src/aws/http/aws-client.js';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  startLocal,
  type LocalStack,
} from '../../../src/local/index.js';
import {
  batchOf,
  compareTokens,
  seriesTable,
  token,
  type LogLine,
  type Token,
  ampClient,
} from './helpers.js';
import { RemoteWriteQueue } from '../../../src/sinks/remote-write/queue.js';
import { until } from './receiver.js';

const SERIES = 10;
const BATCHES = 4;
const T0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;

/** Sample k of series id: one a second, so a query_range at 1 s steps reads each back. */
const valueOf = (id: number, k: number) => id * 100 + k;

describe('remote write holds what a fix can cure (signet local)', () => {
  let local: LocalStack;
  let dir: string;
  before(async () => {
    local = await startLocal();
    dir = mkdtempSync(join(tmpdir(), 'signet-hold-'));
  });
  after(async () => {
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function writeCredentials(file: string, keyId: string, secret: string): void {
    writeFileSync(
      file,
      `[writer]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${secret}\n`,
    );
  }

  /** A client whose credentials only a forced refresh re-reads (no file watching). */
  function clientReading(file: string, region: string): AwsClient {
    const provider = createCredentialProvider(
      { profile: 'writer' },
      {
        env: {
          AWS_SHARED_CREDENTIALS_FILE: file,
          AWS_CONFIG_FILE: join(dir, 'no-config'),
          HOME: dir,
        },
        minForceIntervalMs: 0,
        fileCheckIntervalMs: 3_600_000,
      },
    );
    return new AwsClient({ service: 'aps', region, credentials: provider });
  }

  function heldQueue(url: string, aws: AwsClient) {
    const progress: Token[] = [];
    const logs: LogLine[] = [];
    const table = seriesTable(SERIES);
    const queue = new RemoteWriteQueue<Token>({
      url,
      aws,
      name: 'amp',
      series: (id) => table.get(id)?.labels,
      compareTokens,
      onProgress: (t) => progress.push(t),
      log: (level, message, fields) => logs.push({ level, message, fields }),
      holdMaxBackoffMs: 40,
      failureLogIntervalMs: 100,
      queueConfig: {
        minShards: 2,
        maxShards: 2,
        capacity: (SERIES * BATCHES) / 2,
        maxSamplesPerSend: 5,
        batchSendDeadlineMs: 5,
        minBackoffMs: 2,
        maxBackoffMs: 20,
      },
    });
    for (let k = 0; k < BATCHES; k++) {
      const specs = Array.from(
        { length: SERIES },
        (_, i) => [i + 1, T0 + k * 1000, valueOf(i + 1, k)] as const,
      );
      assert.equal(queue.enqueue(batchOf(specs), token(k + 1)), true);
    }
    return { queue, progress, logs };
  }

  /** Each series' values at T0, T0+1s…, read back through AMP's query API with the demo keys. */
  async function readBack(workspace: string): Promise<Map<number, number[]>> {
    const reader = ampClient(local);
    const query = `query=test_metric&start=${T0 / 1000}&end=${(T0 + (BATCHES - 1) * 1000) / 1000}&step=1`;
    const answer = await reader.send({
      method: 'GET',
      url: `${local.url}/workspaces/${workspace}/api/v1/query_range?${query}`,
    });
    const parsed = JSON.parse(answer.body.toString('utf8')) as {
      data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    return new Map(
      parsed.data.result.map((r) => [
        Number(r.metric['series']) + 1,
        r.values.map((v) => Number(v[1])),
      ]),
    );
  }

  function assertAllDelivered(values: Map<number, number[]>): void {
    assert.equal(values.size, SERIES);
    for (let id = 1; id <= SERIES; id++) {
      assert.deepEqual(
        values.get(id),
        Array.from({ length: BATCHES }, (_, k) => valueOf(id, k)),
        `series ${id}`,
      );
    }
  }

  /** Held: blocked for `reason`, nothing sent, failed or reported, the queue full. */
  async function assertHeld(
    q: ReturnType<typeof heldQueue>,
    reason: string,
    said: RegExp,
  ): Promise<void> {
    await until(() => q.queue.stats.requestsFailed >= 8, 'several refused attempts');
    const stats = q.queue.stats;
    assert.equal(stats.blocked?.reason, reason);
    assert.match(stats.blocked.message, said);
    assert.ok(stats.blocked.hint.length > 10, 'a hint says what to do');
    assert.ok(stats.blocked.since <= Date.now());
    assert.equal(stats.samplesSent, 0);
    assert.equal(stats.samplesFailed, 0, 'nothing dropped');
    assert.equal(stats.samplesPending, SERIES * BATCHES);
    assert.deepEqual(q.progress, [], 'no progress past a held batch');
    assert.equal(q.queue.hasRoom, false, 'the queue fills, so the WAL reader waits');
    const blocked = q.logs.filter((l) => l.level === 'error' && /is blocked/.test(l.message));
    assert.equal(blocked.length, 1, 'the first refusal is said once, at once');
    assert.match(blocked[0]!.message, new RegExp(`remote write to amp is blocked \\(${reason}\\)`));
  }

  async function assertRecovered(q: ReturnType<typeof heldQueue>, workspace: string) {
    const room = q.queue.waitForRoom();
    await until(() => q.progress.at(-1)?.offset === BATCHES, 'progress to the last batch');
    assert.equal(await room, true);
    const stats = q.queue.stats;
    assert.equal(stats.blocked, undefined, 'the first success clears the blocked state');
    assert.equal(stats.samplesSent, SERIES * BATCHES);
    assert.equal(stats.samplesFailed, 0);
    assert.ok(
      q.logs.some(
        (l) => l.level === 'info' && /sending recovered after \d+ failures/.test(l.message),
      ),
    );
    await q.queue.close();
    assertAllDelivered(await readBack(workspace));
  }

  test('UnrecognizedClientException (a key AWS does not know) is held, then delivered once the key is fixed', async () => {
    const file = join(dir, 'unknown-key');
    writeCredentials(file, 'AKIAUNKNOWNKEY000000', DEMO_SECRET_ACCESS_KEY);
    const q = heldQueue(
      `${local.url}/workspaces/ws-unknown-key/api/v1/remote_write`,
      clientReading(file, local.region),
    );
    await assertHeld(q, 'credentials', /UnrecognizedClientException/);
    writeCredentials(file, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY);
    await assertRecovered(q, 'ws-unknown-key');
  });

  test('InvalidSignatureException (a wrong secret) is held; a forced refresh before a retry picks up the fixed secret', async () => {
    const file = join(dir, 'wrong-secret');
    writeCredentials(file, DEMO_ACCESS_KEY_ID, 'not/the/right/secret/at/all/0000000000');
    const q = heldQueue(
      `${local.url}/workspaces/ws-signature/api/v1/remote_write`,
      clientReading(file, local.region),
    );
    await assertHeld(q, 'signature', /InvalidSignatureException/);
    writeCredentials(file, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY);
    await assertRecovered(q, 'ws-signature');
  });

  test('a signature scoped to the wrong region is held, then delivered once the endpoint and region agree', async () => {
    const file = join(dir, 'region');
    writeCredentials(file, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY);
    const signingRegion = 'eu-west-1';
    assert.notEqual(local.region, signingRegion);
    const q = heldQueue(
      `${local.url}/workspaces/ws-region/api/v1/remote_write`,
      clientReading(file, signingRegion),
    );
    await assertHeld(q, 'region', /region/);
    // The fix: the endpoint the queue writes to is now in the region it signs for.
    const port = local.port;
    await local.close();
    local = await startLocal({ port, region: signingRegion });
    await assertRecovered(q, 'ws-region');
  });
});
