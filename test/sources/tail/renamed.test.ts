import assert from 'node:assert/strict';
import { appendFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FileTailer } from '../../../src/sources/tail/file-tailer.js';
import type { ReadLine, TailEvent } from '../../../src/sources/tail/types.js';
import { tempDir, waitFor } from '../../agent/harness.js';

describe('a file rotated while the tailer was not running', () => {
  test('the rest of the renamed file is read from the saved offset, then the new file from 0', async () => {
    const dir = tempDir('signet-renamed-');
    const path = join(dir.path, 'app.log');
    writeFileSync(path, 'old 1\nold 2\n');
    const saved = statSync(path);
    const offset = saved.size; // both lines were safe before the stop
    appendFileSync(path, 'old 3\nold 4\n'); // written while Signet was down
    renameSync(path, `${path}.1`);
    writeFileSync(path, 'new 1\n');
    const lines: ReadLine[] = [];
    const events: TailEvent[] = [];
    const tailer = new FileTailer({
      path,
      startOffset: offset,
      expectIdentity: { dev: saved.dev, ino: saved.ino },
      maxLineSize: 0,
      truncateLongLines: false,
      pollMinMs: 10,
      pollMaxMs: 50,
      rotateWaitMs: 100,
      onLines: (batch) => void lines.push(...batch),
      onEvent: (event) => events.push(event),
    });
    tailer.start();
    await waitFor('all lines', () => (lines.length >= 3 ? true : undefined));
    await new Promise((r) => setTimeout(r, 200));
    await tailer.stop();
    assert.deepEqual(
      lines.map((l) => [l.line, l.generation]),
      [
        ['old 3', 0],
        ['old 4', 0],
        ['new 1', 1],
      ],
    );
    assert.equal(lines[0]!.start, offset);
    const resumed = events.find((e) => e.kind === 'resumedRenamed');
    assert.equal(resumed?.kind === 'resumedRenamed' && resumed.renamedPath, `${path}.1`);
    assert.ok(!events.some((e) => e.kind === 'positionReset'));
    dir.remove();
  });
});
