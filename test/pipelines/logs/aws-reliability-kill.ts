/**
 * Issue 13's "the agent killed with SIGKILL mid-upload 10 times — nothing
 * lost, no partial S3 object", at the pipeline level. One agent, two logs
 * configs: `small` tails a steadily written file into 4 KB gzipped ndjson
 * objects (PutObject, held 50 ms by a latency fault so one is nearly always
 * in flight); `big` tails a file that gets 17 MiB at a time into raw objects
 * of 17 MiB, over the sink's 16 MiB multipart threshold (the YAML has no
 * key to lower it, so the objects are that large; UploadPart held
 * 300 ms, so an upload takes a second). Each run writes under its own
 * prefix (`run<k>/`), so every object is known by the run that stored it.
 *
 * The bound asserted on duplicates is the one the design promises: a run
 * re-sends only lines after the position saved when the run before it was
 * killed (positions move only once a line's object is stored), so every
 * copy beyond the first is a line the killed run had not yet had
 * acknowledged-and-saved; and every object is a whole batch — it
 * decompresses completely, every line parses, and its lines are one
 * unbroken run of the file. How many copies that is depends on how soon the
 * positions file is saved: it is fsynced, and on a disk busy with the 17 MiB
 * appends a save can take over a second, so a run killed sooner re-sends
 * all it read.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import type { LocalStack } from '../../../src/local/index.js';
import { postFaults, sdkConfig } from '../../helpers/local-stack.js';
import { Random, seedFromEnv } from '../../helpers/random.js';
import { startSignet, type SignetChild } from '../../helpers/signet-child.js';
import { waitFor } from '../../agent/harness.js';
import { NumberedWriter, watchRequests } from './aws-readback.js';
import { DEMO_KEYS, ownLocal, sleep, workDir } from './aws-reliability-harness.js';

const KILLS = 10;
/** 1 KiB lines, 17,408 of them: exactly the big config's batch_size, so an object seals at a chunk's end. */
const BIG_LINE_BYTES = 1024;
const BIG_BATCH_BYTES = 17 * 1024 * 1024;
const BIG_CHUNK_LINES = BIG_BATCH_BYTES / BIG_LINE_BYTES;
/** Before these runs the big file grows by one object's worth; these runs and the next are killed mid-multipart. */
const BIG_APPENDS = new Set([0, 5]);

function yaml(dir: string, local: LocalStack, run: number): string {
  // small and big without the logs WAL: positions move only once an object is stored,
  // the bound checked below. wal takes the default an S3 client gets (the WAL on).
  const config = (name: string, s3: string, wal = false) => `  - name: ${name}
    positions: { sync_period: 50ms }${wal ? '' : '\n    wal_config: { enabled: false }'}
    clients:
    - s3: { region: us-east-1, endpoint: ${local.url}, addressing: path, prefix: run${run}, ${s3} }
      backoff_config: { min_period: 50ms, max_period: 500ms }
    scrape_configs:
    - job_name: ${name}
      static_configs: [{ labels: { app: ${name}, __path__: "${dir}/${name}.log" } }]`;
  return `server: { http_listen_address: 127.0.0.1, http_listen_port: 0, graceful_shutdown_timeout: 5s }
logs:
  positions_directory: ${dir}/positions
  global:
    file_watch_config: { min_poll_frequency: 25ms, max_poll_frequency: 100ms }
  configs:
${config('small', 'bucket: rel-kill-small, batch_size: 4KB, batch_wait: 200ms')}
${config('big', `bucket: rel-kill-big, compression: none, format: raw, batch_size: ${BIG_BATCH_BYTES}, batch_wait: 15s`)}
${config('wal', 'bucket: rel-kill-wal, batch_size: 4KB, batch_wait: 200ms', true)}
`;
}

/** The line number a saved position stands after (lines fully before `offset`). */
function savedLine(dir: string, name: string): number {
  let text: string;
  try {
    text = readFileSync(join(dir, 'positions', `${name}.yml`), 'utf8');
  } catch {
    return 0;
  }
  const offset = Number(new RegExp(`${name}\\.log: "(\\d+)"`).exec(text)?.[1] ?? 0);
  const file = readFileSync(join(dir, `${name}.log`));
  let lines = 0;
  for (let i = 0; i < offset; i++) if (file[i] === 0x0a) lines++;
  return lines;
}

interface StoredObject {
  readonly key: string;
  readonly run: number;
  readonly file: 'small' | 'big' | 'wal';
  readonly seqs: number[];
}

/** Every object of a bucket, decoded; throws naming the object if one is not whole. */
async function readObjects(
  sdk: S3Client,
  bucket: string,
  /** Objects already read, by key: an object never changes once stored, so a poll reads only new ones. */
  cache: Map<string, StoredObject>,
): Promise<StoredObject[]> {
  const file = bucket.slice('rel-kill-'.length) as StoredObject['file'];
  const out: StoredObject[] = [];
  let token: string | undefined;
  do {
    const page = await sdk.send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
    );
    for (const { Key: key } of page.Contents ?? []) {
      const known = cache.get(key!);
      if (known) {
        out.push(known);
        continue;
      }
      const got = await sdk.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = Buffer.from(await got.Body!.transformToByteArray());
      // gunzipSync throws on a truncated stream; a raw object must end in a whole line.
      const text = (file === 'big' ? body : gunzipSync(body)).toString('utf8');
      assert.ok(text.endsWith('\n'), `${bucket}/${key} ends mid-line`);
      const seqs = text
        .slice(0, -1)
        .split('\n')
        .map((row) => {
          const line = file === 'big' ? row : (JSON.parse(row) as { line: string }).line;
          const m = /^(small|big|wal) (\d+)( x+)?$/.exec(line);
          assert.ok(
            m && m[1] === file,
            `${bucket}/${key}: a line that is not whole: ${line.slice(0, 80)}`,
          );
          if (file === 'big')
            assert.equal(line.length + 1, BIG_LINE_BYTES, `${bucket}/${key}: a cut line`);
          return Number(m[2]);
        });
      // Through the WAL an object may hold lines replayed after a kill and the same lines
      // read again from before the saved position; whole and parseable is the promise there.
      seqs.forEach((n, i) =>
        assert.ok(
          file === 'wal' || i === 0 || n === seqs[i - 1]! + 1,
          `${bucket}/${key}: not one unbroken run of lines`,
        ),
      );
      const object = { key: key!, run: Number(/^run(\d+)\//.exec(key!)![1]), file, seqs };
      cache.set(key!, object);
      out.push(object);
    }
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

/** SIGKILLed 10 times mid-upload: nothing lost, re-sent lines only past the saved positions, objects whole. */
export async function killedMidUpload(): Promise<void> {
  const random = new Random(seedFromEnv(13));
  const local = await ownLocal();
  const dir = workDir();
  const sdk = new S3Client(sdkConfig(local, { forcePathStyle: true }));
  for (const bucket of ['rel-kill-small', 'rel-kill-big', 'rel-kill-wal'])
    await sdk.send(new CreateBucketCommand({ Bucket: bucket }));
  await postFaults(local, [
    { service: 's3', operation: 'PutObject', kind: 'latency', latency_ms: 50 },
    { service: 's3', operation: 'UploadPart', kind: 'latency', latency_ms: 300 },
  ]);
  const watch = watchRequests(local);
  const small = new NumberedWriter('small', join(dir, 'small.log'), 10, 50);
  const wal = new NumberedWriter('wal', join(dir, 'wal.log'), 10, 50);
  writeFileSync(join(dir, 'big.log'), '');
  let bigWritten = 0;
  const appendBig = () => {
    const pad = (n: number) => ' '.padEnd(BIG_LINE_BYTES - `big ${n}`.length - 1, 'x');
    let chunk = '';
    for (let i = 0; i < BIG_CHUNK_LINES; i++) chunk += `big ${++bigWritten}${pad(bigWritten)}\n`;
    appendFileSync(join(dir, 'big.log'), chunk);
  };
  /** After each kill: the lines each file's saved position stands after. */
  const saved: { small: number; big: number }[] = [];
  let midMultipart = 0;
  for (let run = 0; run < KILLS; run++) {
    if (BIG_APPENDS.has(run)) appendBig();
    const before = new Set(local.log.list().map((r) => r.requestId));
    const agent: SignetChild = await startSignet(dir, yaml(dir, local, run), DEMO_KEYS);
    if (BIG_APPENDS.has(run) || BIG_APPENDS.has(run - 1)) {
      // Wait for a part of this run's multipart upload to be stored, then kill while the next is held.
      const parted = await waitFor(
        'an UploadPart of this run',
        () =>
          local.log.list().some((r) => !before.has(r.requestId) && r.operation === 'UploadPart')
            ? true
            : undefined,
        400,
        20,
      ).catch(() => false);
      if (parted) midMultipart++;
      await sleep(random.int(250));
    } else {
      await sleep(300 + random.int(900));
    }
    await agent.kill();
    saved.push({ small: savedLine(dir, 'small'), big: savedLine(dir, 'big') });
  }
  const smallWritten = await small.stop();
  const walWritten = await wal.stop();
  const last = await startSignet(dir, yaml(dir, local, KILLS), DEMO_KEYS);
  const read = new Map<string, StoredObject>();
  const all = async () => [
    ...(await readObjects(sdk, 'rel-kill-small', read)),
    ...(await readObjects(sdk, 'rel-kill-big', read)),
    ...(await readObjects(sdk, 'rel-kill-wal', read)),
  ];
  const covered = (objects: StoredObject[], file: StoredObject['file'], n: number) => {
    const seen = new Set(objects.filter((o) => o.file === file).flatMap((o) => o.seqs));
    for (let i = 1; i <= n; i++) if (!seen.has(i)) return false;
    return true;
  };
  await waitFor(
    'every line after the last restart',
    async () => {
      const objects = await all();
      return covered(objects, 'small', smallWritten) &&
        covered(objects, 'big', bigWritten) &&
        covered(objects, 'wal', walWritten)
        ? true
        : undefined;
    },
    250,
    200,
  );
  assert.equal(await last.stop(), 0, last.log());
  const requests = watch.stop();
  const objects = await all();

  // A run re-sends nothing before the position saved when the run before it was killed.
  const copies = {
    small: new Map<number, number>(),
    big: new Map<number, number>(),
    wal: new Map<number, number>(),
  };
  for (const o of objects) {
    for (const n of o.seqs) copies[o.file].set(n, (copies[o.file].get(n) ?? 0) + 1);
    if (o.run === 0 || o.file === 'wal') continue;
    const floor = saved[o.run - 1]![o.file];
    assert.ok(
      o.seqs[0]! > floor,
      `run ${o.run} re-sent ${o.file} ${o.seqs[0]}…, at or before the position saved before its start (line ${floor})`,
    );
  }
  assert.ok(covered(objects, 'small', smallWritten) && covered(objects, 'big', bigWritten));
  assert.ok(covered(objects, 'wal', walWritten), 'through the logs WAL too, nothing was lost');
  const extra = (m: Map<number, number>) => [...m.values()].reduce((a, c) => a + c - 1, 0);

  // No object is partial; a multipart upload left behind by a kill is an upload, never an object.
  const completed = requests.filter(
    (r) => r.operation === 'CompleteMultipartUpload' && r.status === 200,
  ).length;
  assert.ok(completed >= 2, `${completed} multipart uploads completed`);
  assert.ok(midMultipart >= 2, `only ${midMultipart} kills landed during a multipart upload`);
  const open = await sdk.send(new ListMultipartUploadsCommand({ Bucket: 'rel-kill-big' }));
  const openKeys = (open.Uploads ?? []).map((u) => u.Key!);
  const objectKeys = new Set(objects.map((o) => o.key));
  assert.deepEqual(
    openKeys.filter((k) => objectKeys.has(k)),
    [],
    'an upload left open never became an object',
  );
  // Each start aborts the uploads the run before it left unfinished (its upload journal
  // beside the positions), so after the last, clean run none is left.
  assert.deepEqual(openKeys, [], 'every upload a killed run left was aborted at the next start');
  const aborted = requests.filter((r) => r.operation === 'AbortMultipartUpload').length;
  assert.ok(aborted >= 1, 'kills during a multipart upload left uploads that a start aborted');
  sdk.destroy();
  console.log(
    `sigkill: ${KILLS} kills (${midMultipart} during a multipart upload); small ${smallWritten} lines, ${extra(copies.small)} extra copies; big ${bigWritten} lines, ${extra(copies.big)} extra copies; wal ${walWritten} lines, ${extra(copies.wal)} extra copies; ${objects.length} objects, ${completed} multipart; ${aborted} left uploads aborted at restarts`,
  );
}
