/**
 * Issue 13's reliability bullet for the record streams, at the pipeline
 * level: `signet run` tails a real file into Kinesis Data Firehose and
 * Kinesis Data Streams at `signet local`, whose `partial` fault fails some
 * records of every PutRecordBatch / PutRecords call (answered with each
 * service's own per-record error code) for the whole run. Only the failed
 * records may be sent again, so every line must arrive exactly once — read
 * back from signet local's Firehose store and, for Kinesis, with GetRecords
 * through @aws-sdk/client-kinesis.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_CREDENTIALS, postFaults } from '../../helpers/local-stack.js';
import { metricValue } from '../../helpers/logs-agent.js';
import { startSignet } from '../../helpers/signet-child.js';
import { waitFor } from '../../agent/harness.js';
import { readKinesis } from '../../sinks/aws-records/helpers.js';
import { ownLocal, workDir } from './aws-reliability-harness.js';
import { checkSequence, describeSequence } from './sequence.js';

/** 120 full calls of 500 records at least, so well over 100 batches meet the fault. */
const LINES = 60_000;
/**
 * The records of each call that fail: the second and fourth, one in the
 * middle and the last of a full call. A retry of the four fails its second
 * and fourth again, the retry of those two its second, so each full call is
 * answered partly three times before its last record is stored.
 */
const FAILING = [1, 3, 250, 499];

const seqOf = (text: string): number => Number(/^rec (\d+)\n?$/.exec(text)?.[1] ?? NaN);

/** Every record of 60,000 lines arrives exactly once while records 1, 3, 250 and 499 of every call fail. */
export async function partialRecordFailures(): Promise<void> {
  const local = await ownLocal();
  const dir = workDir();
  const faults = await postFaults(local, [
    { service: 'firehose', operation: 'PutRecordBatch', kind: 'partial', records: FAILING },
    { service: 'kinesis', operation: 'PutRecords', kind: 'partial', records: FAILING },
  ]);
  assert.equal(faults.status, 200, JSON.stringify(faults.body));
  let text = '';
  for (let n = 1; n <= LINES; n++) text += `rec ${n}\n`;
  writeFileSync(join(dir, 'app.log'), text);
  // Backoff in milliseconds: a partial answer is retried at once, and 120 calls × 4 answers stay quick.
  const client = (block: string) => `    - ${block}
      batchwait: 50ms
      backoff_config: { min_period: 1ms, max_period: 5ms }`;
  const agent = await startSignet(
    dir,
    `logs:
  positions_directory: ${dir}/positions
  configs:
  - name: records
    clients:
${client(`firehose: { delivery_stream_name: rel-firehose, region: us-east-1, endpoint: ${local.url} }`)}
${client(`kinesis: { stream_name: rel-kinesis, region: us-east-1, endpoint: ${local.url} }`)}
    scrape_configs:
    - job_name: app
      static_configs: [{ labels: { job: app, __path__: "${dir}/app.log" } }]
`,
    {
      AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
    },
  );
  const kinesis = await waitFor(
    'every line in both streams',
    async () => {
      if (local.firehose.records('rel-firehose').length < LINES) return undefined;
      const read = await readKinesis(local, 'rel-kinesis').catch(() => []);
      return read.length >= LINES ? read : undefined;
    },
    600,
    100,
  );
  const metrics = await (await fetch(`${agent.url}/metrics`)).text();
  // A moment for any stray resend to land before the counts are taken.
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await agent.stop(), 0, agent.log());

  const firehose = checkSequence(
    local.firehose.records('rel-firehose').map((r) => seqOf(r.toString('utf8'))),
    1,
    LINES,
  );
  // Only the failed records were sent again, so the stored order is broken: exactness is the set, each once.
  assert.deepEqual(
    [firehose.missing.length, firehose.duplicates.length, firehose.received],
    [0, 0, LINES],
    `firehose: ${describeSequence(firehose)}`,
  );
  const stream = checkSequence(
    (await readKinesis(local, 'rel-kinesis')).map((r) => seqOf(r.data.toString('utf8'))),
    1,
    LINES,
  );
  assert.equal(kinesis.length, LINES);
  assert.deepEqual(
    [stream.missing.length, stream.duplicates.length, stream.received],
    [0, 0, LINES],
    `kinesis: ${describeSequence(stream)}`,
  );

  for (const [prefix, name] of [
    ['signet_firehose', 'rel-firehose'],
    ['signet_kinesis', 'rel-kinesis'],
  ] as const) {
    const batches = metricValue(metrics, `${prefix}_batch_records_count`, { stream: name });
    const failed = metricValue(metrics, `${prefix}_failed_records_total`, { stream: name });
    const sent = metricValue(metrics, `${prefix}_sent_records_total`, { stream: name });
    const dropped = metricValue(metrics, `${prefix}_dropped_records_total`, { stream: name });
    // Each full call is answered partly three times (4, 2, then 1 record failing).
    assert.ok(batches >= 100, `${name}: ${batches} batches, fewer than the 100 the issue asks for`);
    assert.ok(failed >= 100 * 4, `${name}: only ${failed} records failed`);
    assert.equal(sent, LINES, `${name}: records accepted`);
    assert.equal(dropped, 0, `${name}: records dropped`);
    console.log(`${name}: ${LINES} lines in ${batches} batches, ${failed} record failures retried`);
  }
}
