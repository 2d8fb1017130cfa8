/**
 * Credentials that expire mid-stream: both clients sign with IRSA
 * credentials that signet local issues for 60 seconds, while the clock the
 * server and the agent share runs through several lifetimes (and once jumps
 * past one outright). Nothing is dropped and every record arrives exactly
 * once, in order.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CorrectedClock } from '../../../src/aws/clock.js';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import { AwsClient } from '../../../src/aws/http/aws-client.js';
import type { LocalStack } from '../../../src/local/index.js';
import type { RecordStreamClient } from '../../../src/sinks/aws-records/index.js';
import { FirehoseClient, createFirehoseMetrics } from '../../../src/sinks/firehose/index.js';
import { KinesisClient, createKinesisMetrics } from '../../../src/sinks/kinesis/index.js';
import {
  OPS_KEY,
  OPS_SECRET,
  TempHome,
  irsaEnv,
  startStack,
} from '../../aws/credentials/harness.js';
import { collect, metricValue, numbered, readKinesis, until } from './helpers.js';

let now = Date.now();
const clock = (): number => now;

describe('credentials expiring mid-stream', () => {
  let stack: LocalStack;
  before(async () => {
    stack = await startStack({ durationSeconds: 60, clock });
  });
  after(async () => {
    await stack.close();
  });

  for (const service of ['firehose', 'kinesis'] as const) {
    test(`${service}: four credential lifetimes and a jump past one, nothing dropped`, async () => {
      const home = new TempHome();
      const env = irsaEnv(home, stack, now + 24 * 3600_000);
      const agentClock = new CorrectedClock(clock);
      const provider = createCredentialProvider(
        {},
        { env, clock: agentClock, region: 'us-east-1' },
      );
      const aws = new AwsClient({
        service,
        region: 'us-east-1',
        credentials: provider,
        clock: agentClock,
      });
      const collected = collect(
        service === 'firehose' ? createFirehoseMetrics : createKinesisMetrics,
      );
      const common = { url: stack.url, aws, batchWaitMs: 5, minBackoffMs: 5, maxBackoffMs: 50 };
      const client: RecordStreamClient<number> =
        service === 'firehose'
          ? new FirehoseClient(
              { ...common, deliveryStreamName: 'rollover', newline: false },
              collected.deps,
            )
          : new KinesisClient({ ...common, streamName: 'rollover' }, collected.deps);
      const keys = new Set<string>();
      const rounds = 60;
      for (let k = 1; k <= rounds; k++) {
        client.enqueue(numbered(50, (k - 1) * 50), k);
        await until(() => collected.progress.at(-1) === k, `round ${k} delivered`);
        keys.add((await provider.get()).accessKeyId);
        // 5 s per round: 300 s, five lifetimes of 60 s; round 30 jumps 2 minutes at once.
        now += k === 30 ? 120_000 : 5_000;
      }
      assert.ok(keys.size >= 4, `${keys.size} sets of credentials used`);
      const expected = numbered(rounds * 50).map((e) => e.line);
      const got =
        service === 'firehose'
          ? stack.firehose.records('rollover').map(String)
          : (
              await readKinesis(stack, 'rollover', {
                accessKeyId: OPS_KEY,
                secretAccessKey: OPS_SECRET,
              })
            ).map((r) => r.data.toString());
      assert.deepEqual(got, expected);
      const prefix = `signet_${service}`;
      assert.equal(await metricValue(collected.registry, `${prefix}_dropped_records_total`), 0);
      assert.equal(
        await metricValue(collected.registry, `${prefix}_sent_entries_total`),
        rounds * 50,
      );
      await client.close({ drainMs: 1000 });
      provider.close();
      home.remove();
    });
  }
});
