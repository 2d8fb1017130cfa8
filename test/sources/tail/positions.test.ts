/**
 * The positions file as Promtail reads and writes it: a file in Promtail's
 * format (written here from its documentation and its own test fixture) is
 * read, its journal cursor kept, and the rewrite is Promtail's layout;
 * corrupt files with and without ignore_invalid_yaml; the atomic write
 * survives a writer killed with SIGKILL at any moment.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { Positions, PositionsFileError } from '../../../src/sources/tail/positions.js';
import type { LogCallback } from '../../../src/log.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'signet-positions-'));
}

function collectingLog(): { log: LogCallback; lines: string[] } {
  const lines: string[] = [];
  return { log: (level, message) => lines.push(`${level}: ${message}`), lines };
}

// The shape Promtail's positions.go writes (yaml.v2, map[string]string): one
// "positions:" mapping, offsets as double-quoted strings, a journal target's
// cursor as a plain string.
const PROMTAIL_FILE = `positions:
  /var/log/syslog: "12345"
  /log/path/random.log: "17623"
  journal-my_journal_job: s=739ad463348b4ceca5a9e69c95a3c93f;i=4e5a;b=da9c4f5e4d914e7f89cf9d9e9e8b9c1e;m=5bd1b4f3;t=5cf0b6d2c2f8a;x=b7e4c5a8f1d1e3c4
`;

test('a positions file Promtail wrote is read, cursors kept, and written back in its layout', async () => {
  const dir = await tempDir();
  try {
    const file = join(dir, 'positions.yaml');
    await writeFile(file, PROMTAIL_FILE);
    const { log } = collectingLog();
    const positions = await Positions.load({
      file,
      syncPeriodMs: 60_000,
      ignoreInvalidYaml: false,
      log,
    });
    assert.deepEqual(positions.get('/var/log/syslog'), { offset: 12345 });
    assert.deepEqual(positions.get('/log/path/random.log'), { offset: 17623 });
    assert.equal(positions.get('journal-my_journal_job'), undefined, 'a cursor is not an offset');
    assert.match(positions.getString('journal-my_journal_job')!, /^s=739ad463/);

    positions.put('/var/log/syslog', 20000, { dev: 2049, ino: 1234567 });
    await positions.stop();
    const text = await readFile(file, 'utf8');
    assert.equal(
      text,
      'positions:\n' +
        '  /log/path/random.log: "17623"\n' +
        '  /var/log/syslog: "20000" # signet:dev=2049,ino=1234567\n' +
        '  journal-my_journal_job: s=739ad463348b4ceca5a9e69c95a3c93f;i=4e5a;b=da9c4f5e4d914e7f89cf9d9e9e8b9c1e;m=5bd1b4f3;t=5cf0b6d2c2f8a;x=b7e4c5a8f1d1e3c4\n',
    );
    // What Promtail's yaml.UnmarshalStrict into map[string]string would see: strings only, no extra keys.
    assert.deepEqual(parse(text), {
      positions: {
        '/log/path/random.log': '17623',
        '/var/log/syslog': '20000',
        'journal-my_journal_job':
          's=739ad463348b4ceca5a9e69c95a3c93f;i=4e5a;b=da9c4f5e4d914e7f89cf9d9e9e8b9c1e;m=5bd1b4f3;t=5cf0b6d2c2f8a;x=b7e4c5a8f1d1e3c4',
      },
    });
    assert.equal(
      (await stat(file)).mode & 0o777,
      0o600,
      'Promtail writes positions with mode 0600',
    );

    const again = await Positions.load({
      file,
      syncPeriodMs: 60_000,
      ignoreInvalidYaml: false,
      log,
    });
    assert.deepEqual(again.get('/var/log/syslog'), {
      offset: 20000,
      identity: { dev: 2049, ino: 1234567 },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a missing file is an empty start, an empty one too; the directory is created on save', async () => {
  const dir = await tempDir();
  try {
    const { log } = collectingLog();
    const file = join(dir, 'sub', 'dir', 'positions.yml');
    const positions = await Positions.load({
      file,
      syncPeriodMs: 60_000,
      ignoreInvalidYaml: false,
      log,
    });
    assert.deepEqual(positions.paths(), []);
    positions.put('/a.log', 3);
    await positions.save();
    assert.equal(await readFile(file, 'utf8'), 'positions:\n  /a.log: "3"\n');

    await writeFile(join(dir, 'empty.yml'), '');
    const empty = await Positions.load({
      file: join(dir, 'empty.yml'),
      syncPeriodMs: 60_000,
      ignoreInvalidYaml: false,
      log,
    });
    assert.deepEqual(empty.paths(), []);
    // Promtail's yaml.v2 would also take an unquoted number as the string it spells.
    await writeFile(join(dir, 'plain.yml'), 'positions:\n  /b.log: 42\n');
    const plain = await Positions.load({
      file: join(dir, 'plain.yml'),
      syncPeriodMs: 60_000,
      ignoreInvalidYaml: false,
      log,
    });
    assert.deepEqual(plain.get('/b.log'), { offset: 42 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// Promtail's own test of a corrupt file: an unterminated quoted string.
const CORRUPT = 'positions:\n  /tmp/random.log: "176\n';

test('a corrupt file is a typed error naming the file and ignore_invalid_yaml', async () => {
  const dir = await tempDir();
  try {
    const file = join(dir, 'positions.yaml');
    const { log } = collectingLog();
    for (const text of [
      CORRUPT,
      'positions: [1, 2]\n',
      'other: {}\n',
      'positions:\n  /a: {x: 1}\n',
      '- a\n',
    ]) {
      await writeFile(file, text);
      await assert.rejects(
        Positions.load({ file, syncPeriodMs: 60_000, ignoreInvalidYaml: false, log }),
        (err: unknown) => {
          assert.ok(err instanceof PositionsFileError, String(err));
          assert.ok(err.message.startsWith(`positions file ${file}:`), err.message);
          assert.match(err.message, /yaml:\d+:\d+: /, 'names the line and column');
          assert.ok(err.hint?.includes('ignore_invalid_yaml'), err.hint);
          return true;
        },
        text,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('with ignore_invalid_yaml a corrupt file is a warning and a fresh start, and is overwritten', async () => {
  const dir = await tempDir();
  try {
    const file = join(dir, 'positions.yaml');
    await writeFile(file, CORRUPT);
    const { log, lines } = collectingLog();
    const positions = await Positions.load({
      file,
      syncPeriodMs: 60_000,
      ignoreInvalidYaml: true,
      log,
    });
    assert.deepEqual(positions.paths(), []);
    assert.equal(lines.length, 1);
    assert.match(
      lines[0]!,
      /^warn: positions file .*positions\.yaml:3:1: not valid YAML: Missing closing "quote; ignored \(ignore_invalid_yaml\)/,
    );
    await positions.stop();
    assert.equal(await readFile(file, 'utf8'), 'positions: {}\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('every sync period the file is written and entries of files that are gone are dropped, cursors kept', async () => {
  const dir = await tempDir();
  try {
    const file = join(dir, 'positions.yaml');
    const present = join(dir, 'present.log');
    const active = join(dir, 'active-but-missing.log');
    await writeFile(present, 'x\n');
    await writeFile(
      file,
      `positions:\n  ${present}: "2"\n  ${join(dir, 'gone.log')}: "5"\n  cursor-abc: "x"\n  ${active}: "9"\n`,
    );
    const { log } = collectingLog();
    const positions = await Positions.load({
      file,
      syncPeriodMs: 50,
      ignoreInvalidYaml: false,
      log,
    });
    let collected = 0;
    positions.start({ collect: () => collected++, isActive: (path) => path === active });
    await sleep(200);
    await positions.stop();
    assert.ok(collected >= 2, `collect ran ${collected} times`);
    const saved = parse(await readFile(file, 'utf8')) as { positions: Record<string, string> };
    assert.deepEqual(Object.keys(saved.positions).sort(), [active, present, 'cursor-abc'].sort());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// A child writes the positions file as fast as it can, each version a
// consistent whole (every entry holds the version number); it is killed with
// SIGKILL at a random moment. A reader during the run, and after the kill,
// must only ever see a complete version.
const WRITER = `
import { Positions } from ${JSON.stringify(new URL('../../../src/sources/tail/positions.js', import.meta.url).href)};
const file = process.argv[2];
const positions = await Positions.load({ file, syncPeriodMs: 1e9, ignoreInvalidYaml: false, log: () => {} });
for (let version = 1; ; version++) {
  for (let i = 0; i < 200; i++) positions.put('/var/log/app-' + i + '.log', version * 1000 + i);
  await positions.save();
  if (version === 1) process.stdout.write('ready\\n');
}
`;

function checkComplete(text: string): number {
  const parsed = parse(text) as { positions: Record<string, string> };
  const entries = Object.entries(parsed.positions);
  assert.equal(entries.length, 200, 'every entry is there');
  const version = Math.floor(Number(entries[0]![1]) / 1000);
  for (const [path, value] of entries) {
    const i = Number(/app-(\d+)\.log$/.exec(path)![1]);
    assert.equal(Number(value), version * 1000 + i, `${path} belongs to version ${version}`);
  }
  return version;
}

test('a writer killed with SIGKILL mid-write leaves the old or the new complete file', async () => {
  const dir = await tempDir();
  try {
    const file = join(dir, 'positions.yaml');
    const script = join(dir, 'writer.mjs');
    await writeFile(script, WRITER);
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, [script, file], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      });
      const until = Date.now() + 30 + Math.random() * 150;
      let reads = 0;
      while (Date.now() < until) {
        checkComplete(await readFile(file, 'utf8'));
        reads++;
      }
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const version = checkComplete(await readFile(file, 'utf8'));
      assert.ok(version >= 1 && reads > 0);
    }
    // Temp files of killed writers may be left behind; they never replace the file.
    const left = (await readdir(dir)).filter(
      (name) => name !== 'positions.yaml' && name !== 'writer.mjs',
    );
    assert.ok(
      left.every((name) => name.startsWith('.positions.yaml.')),
      left.join(','),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('paths YAML must quote (colons, #, quotes, unicode, very long) survive a round trip', async () => {
  const dir = await tempDir();
  try {
    const file = join(dir, 'positions.yaml');
    const { log } = collectingLog();
    const paths = [
      '/var/log/a: b.log',
      '/var/log/#hash.log',
      '/var/log/it\'s "quoted".log',
      '/var/log/ünïcødé/日志.log',
      `/var/log/${'x'.repeat(2000)}.log`,
      '/var/log/- dash',
      '/var/log/trailing space ',
    ];
    const positions = await Positions.load({
      file,
      syncPeriodMs: 60_000,
      ignoreInvalidYaml: false,
      log,
    });
    paths.forEach((path, i) => positions.put(path, i * 100, { dev: 1, ino: i }));
    await positions.save();
    const again = await Positions.load({
      file,
      syncPeriodMs: 60_000,
      ignoreInvalidYaml: false,
      log,
    });
    assert.deepEqual(again.paths().sort(), [...paths].sort());
    paths.forEach((path, i) =>
      assert.deepEqual(again.get(path), { offset: i * 100, identity: { dev: 1, ino: i } }, path),
    );
    // And the file is still plain YAML of strings, as Promtail's decoder wants it.
    const parsed = parse(await readFile(file, 'utf8')) as { positions: Record<string, unknown> };
    assert.ok(Object.values(parsed.positions).every((v) => typeof v === 'string'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
