/**
 * The file target manager on real files with real (shrunk) timers: new files
 * found within one sync period, deleted ones released with their position,
 * one tailer per file, labels as Promtail sets them, and a restart that
 * resumes from the positions file without reading settled lines again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendFile,
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import {
  FileTargetManager,
  type FileTarget,
  type TailBatch,
} from '../../../src/sources/tail/manager.js';
import { Positions } from '../../../src/sources/tail/positions.js';
import { PollingTailer } from './polling-tailer.js';

const SYNC_MS = 100;

interface Received {
  path: string;
  line: string;
  labels: Record<string, string>;
  token: number;
  job: string;
}

async function harness(
  dir: string,
  options: { settle?: (r: Received) => boolean; syncMs?: number } = {},
) {
  const syncMs = options.syncMs ?? SYNC_MS;
  const warnings: string[] = [];
  const log = (level: string, message: string) => {
    if (level !== 'info') warnings.push(`${level}: ${message}`);
  };
  const positions = await Positions.load({
    file: join(dir, 'positions.yaml'),
    syncPeriodMs: syncMs,
    ignoreInvalidYaml: false,
    log,
  });
  const received: Received[] = [];
  const settleIf = options.settle ?? (() => true);
  const manager: FileTargetManager = new FileTargetManager({
    positions,
    createTailer: (o) => new PollingTailer(o),
    tailing: { maxLineSize: 0, truncateLongLines: false, pollMinMs: 20, pollMaxMs: 100 },
    syncPeriodMs: syncMs,
    log,
    hostname: 'this-host',
    onLines: async (batch: TailBatch) => {
      await sleep(1); // a pipeline takes a moment; the tailer waits for it
      batch.lines.forEach((line, i) => {
        const r = {
          path: batch.path,
          line: line.line,
          labels: { ...batch.labels },
          token: batch.firstToken + i,
          job: batch.job,
        };
        received.push(r);
        if (settleIf(r)) manager.settle(r.token);
      });
    },
  });
  return { manager, positions, received, warnings };
}

async function until(what: string, check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function numbered(prefix: string, from: number, to: number): string {
  let text = '';
  for (let i = from; i <= to; i++) text += `${prefix} ${i}\n`;
  return text;
}

test('new files are found within one sync period, deleted ones released and their position removed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    await writeFile(join(dir, 'a.log'), numbered('a', 1, 3));
    const { manager, received, warnings } = await harness(dir);
    const target: FileTarget = {
      job: 'varlogs',
      labels: { __path__: `${dir}/*.log`, __address__: 'localhost', job: 'varlogs', env: 'test' },
    };
    await manager.start([target]);
    await until('a.log read', () => received.length === 3);
    assert.deepEqual(received[0], {
      path: join(dir, 'a.log'),
      line: 'a 1',
      labels: { job: 'varlogs', env: 'test', filename: join(dir, 'a.log') },
      token: received[0]!.token,
      job: 'varlogs',
    });

    const createdAt = Date.now();
    await writeFile(join(dir, 'b.log'), numbered('b', 1, 2));
    await until('b.log read', () => received.some((r) => r.line === 'b 2'), SYNC_MS * 3);
    const took = Date.now() - createdAt;
    assert.ok(took <= SYNC_MS + 80, `b.log found after ${took} ms (sync period ${SYNC_MS} ms)`);

    await appendFile(join(dir, 'a.log'), 'a 4\n');
    await until('a.log followed', () => received.some((r) => r.line === 'a 4'));
    await sleep(SYNC_MS * 2);
    const saved = () =>
      readFile(join(dir, 'positions.yaml'), 'utf8').then(
        (text) => (parse(text) as { positions: Record<string, string> }).positions,
      );
    assert.deepEqual(await saved(), { [join(dir, 'a.log')]: '16', [join(dir, 'b.log')]: '8' });

    await unlink(join(dir, 'a.log'));
    await until(
      'a.log released',
      () => manager.status().every((s) => !s.path.endsWith('a.log')),
      SYNC_MS * 3,
    );
    await sleep(SYNC_MS * 2);
    assert.deepEqual(
      await saved(),
      { [join(dir, 'b.log')]: '8' },
      'the deleted file’s entry is gone',
    );

    const [status] = manager.status();
    assert.equal(status!.path, join(dir, 'b.log'));
    assert.equal(status!.readOffset, 8);
    assert.equal(status!.settledOffset, 8);
    assert.equal(status!.size, 8);
    assert.equal(status!.lag, 0);
    await manager.stop();
    assert.deepEqual(warnings, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a restart resumes from the positions file: settled lines are not read again, unsettled ones are', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    const file = join(dir, 'app.log');
    await writeFile(file, numbered('line', 1, 10));
    const target: FileTarget = { job: 'app', labels: { __path__: file } };
    // First run: only lines up to 6 are ever settled (the rest were "in flight" when it stopped).
    const first = await harness(dir, { settle: (r) => Number(r.line.split(' ')[1]) <= 6 });
    await first.manager.start([target]);
    await until('all lines read', () => first.received.length === 10);
    await first.manager.stop();
    const text = await readFile(join(dir, 'positions.yaml'), 'utf8');
    assert.match(text, new RegExp(`^positions:\\n  ${file}: "42" # signet:dev=\\d+,ino=\\d+\\n$`));

    await appendFile(file, numbered('line', 11, 12));
    const second = await harness(dir);
    await second.manager.start([target]);
    await until('the rest read', () => second.received.some((r) => r.line === 'line 12'));
    assert.deepEqual(
      second.received.map((r) => r.line),
      ['line 7', 'line 8', 'line 9', 'line 10', 'line 11', 'line 12'],
    );
    await second.manager.stop();
    assert.equal(
      (
        parse(await readFile(join(dir, 'positions.yaml'), 'utf8')) as {
          positions: Record<string, string>;
        }
      ).positions[file],
      String(numbered('line', 1, 12).length),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a file replaced while stopped (another identity) is read from 0 even when it is longer', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    const file = join(dir, 'app.log');
    await writeFile(file, numbered('old', 1, 3));
    const target: FileTarget = { job: 'app', labels: { __path__: file } };
    const first = await harness(dir);
    await first.manager.start([target]);
    await until('read', () => first.received.length === 3);
    await first.manager.stop();

    await rename(file, `${file}.1`);
    await writeFile(file, numbered('new', 1, 5)); // longer than the saved offset: Promtail would skip into it
    const second = await harness(dir);
    await second.manager.start([target]);
    await until('new file read', () => second.received.length === 5);
    assert.deepEqual(
      second.received.map((r) => r.line),
      numbered('new', 1, 5).trim().split('\n'),
    );
    await second.manager.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('one tailer per file when two targets match it; targets without __path__ or of another host are dropped', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    await writeFile(join(dir, 'shared.log'), 'one\n');
    const { manager, received, warnings } = await harness(dir);
    await manager.start([
      { job: 'first', labels: { __path__: `${dir}/*.log`, team: 'a' } },
      { job: 'second', labels: { __path__: `${dir}/shared.*`, team: 'b' } },
      { job: 'nopath', labels: { team: 'c' } },
      { job: 'elsewhere', labels: { __path__: `${dir}/*.log`, __host__: 'other-host' } },
      { job: 'here', labels: { __path__: `${dir}/none-*.log`, __host__: 'this-host' } },
    ]);
    await until('read', () => received.length === 1);
    await sleep(SYNC_MS * 2);
    assert.equal(received.length, 1, 'read once');
    assert.equal(received[0]!.job, 'first');
    assert.equal(received[0]!.labels['team'], 'a');
    assert.equal(manager.status().length, 1);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(
      warnings[0]!,
      /shared\.log is matched by two file targets \(jobs first and second\)/,
    );
    assert.deepEqual(
      manager.droppedTargets().map((d) => d.reason),
      ['no __path__ label', '__host__ is other-host, not this host (this-host)'],
    );
    await manager.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a file created in a watched directory is tailed at once, not at the next sync', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    await writeFile(join(dir, 'a.log'), 'a\n');
    const { manager, received } = await harness(dir, { syncMs: 60_000 });
    await manager.start([{ job: 'j', labels: { __path__: `${dir}/*.log` } }]);
    await until('a.log read', () => received.length === 1);
    await writeFile(join(dir, 'ignored.txt'), 'not matched\n');
    await writeFile(join(dir, 'b.log'), 'b\n');
    await until(
      'b.log read through the directory watch',
      () => received.some((r) => r.line === 'b'),
      2000,
    );
    assert.deepEqual(received.map((r) => r.line).sort(), ['a', 'b']);
    await manager.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('rotation by rename: every line once, in order; the position ends in the new file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    const file = join(dir, 'app.log');
    await writeFile(file, '');
    const { manager, received } = await harness(dir);
    await manager.start([{ job: 'j', labels: { __path__: `${dir}/*.log` } }]);
    let written = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 50; i++) await appendFile(file, `line ${++written}\n`);
      await sleep(30);
      await rename(file, `${file}.${round}`);
      await appendFile(`${file}.${round}`, `line ${++written}\n`); // a writer still holding the old file
      await writeFile(file, '');
    }
    for (let i = 0; i < 10; i++) await appendFile(file, `line ${++written}\n`);
    await until('every line', () => received.length >= written);
    await sleep(100);
    assert.deepEqual(
      received.map((r) => r.line),
      Array.from({ length: written }, (_, i) => `line ${i + 1}`),
    );
    const [status] = manager.status();
    assert.equal(status!.generation, 5);
    assert.equal(status!.settledOffset, numbered('line', written - 9, written).length);
    await manager.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a file in a new directory (not watched yet) is found by the periodic sync', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    const { manager, received } = await harness(dir, { syncMs: 300 });
    await manager.start([{ job: 'pods', labels: { __path__: `${dir}/pods/**/*.log` } }]);
    await mkdir(join(dir, 'pods', 'ns_pod_uid', 'container'), { recursive: true });
    const createdAt = Date.now();
    await writeFile(join(dir, 'pods', 'ns_pod_uid', 'container', '0.log'), 'hello\n');
    await until('0.log read', () => received.length === 1, 2000);
    const took = Date.now() - createdAt;
    assert.ok(took <= 300 + 100, `found after ${took} ms (sync period 300 ms)`);
    assert.equal(
      received[0]!.labels['filename'],
      join(dir, 'pods', 'ns_pod_uid', 'container', '0.log'),
    );
    await manager.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('switching from Promtail: its positions file is used as it is (offset, or 0 when the file is shorter)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    const resumed = join(dir, 'resumed.log');
    const shrunk = join(dir, 'shrunk.log');
    await writeFile(resumed, numbered('r', 1, 4)); // "r 1\n" is 4 bytes: offset 8 is after "r 2"
    await writeFile(shrunk, numbered('s', 1, 2));
    // As Promtail wrote it: no identities.
    await writeFile(
      join(dir, 'positions.yaml'),
      `positions:\n  ${resumed}: "8"\n  ${shrunk}: "4000"\n  journal-syslog: s=abc;i=1\n`,
    );
    const { manager, received } = await harness(dir);
    await manager.start([{ job: 'j', labels: { __path__: `${dir}/*.log` } }]);
    await until('read', () => received.length === 4);
    assert.deepEqual(
      received.filter((r) => r.path === resumed).map((r) => r.line),
      ['r 3', 'r 4'],
    );
    assert.deepEqual(
      received.filter((r) => r.path === shrunk).map((r) => r.line),
      ['s 1', 's 2'],
    );
    await manager.stop();
    const saved = (
      parse(await readFile(join(dir, 'positions.yaml'), 'utf8')) as {
        positions: Record<string, string>;
      }
    ).positions;
    assert.deepEqual(saved, { [resumed]: '16', [shrunk]: '8', 'journal-syslog': 's=abc;i=1' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('copytruncate: the truncated file is read again from 0 and its position follows the new content', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    const file = join(dir, 'app.log');
    await writeFile(file, numbered('before', 1, 20));
    const { manager, received } = await harness(dir);
    await manager.start([{ job: 'j', labels: { __path__: file } }]);
    await until('first content', () => received.length === 20);
    await writeFile(`${file}.1`, await readFile(file)); // copy…
    await writeFile(file, ''); // …then truncate
    await sleep(60);
    await appendFile(file, numbered('after', 1, 3));
    await until('after truncation', () => received.some((r) => r.line === 'after 3'));
    assert.deepEqual(
      received.slice(20).map((r) => r.line),
      ['after 1', 'after 2', 'after 3'],
    );
    const [status] = manager.status();
    assert.equal(status!.generation, 1);
    assert.equal(status!.settledOffset, numbered('after', 1, 3).length);
    await manager.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
