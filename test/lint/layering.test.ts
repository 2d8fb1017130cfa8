/**
 * The layering rules in eslint.config.js, checked the way `npm run lint`
 * checks them: a file that breaks them is refused, with the rule's reason.
 * The probes are written into src/ (the rules work on resolved paths) and
 * removed again whatever happens.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function lintProbe(path: string, code: string): Promise<string[]> {
  const file = join(ROOT, path);
  writeFileSync(file, code);
  try {
    const [result] = await new ESLint({ cwd: ROOT }).lintFiles([file]);
    return result!.messages.map((m) => `${m.ruleId ?? ''}: ${m.message}`);
  } finally {
    rmSync(file, { force: true });
  }
}

test('lint refuses an import from src/aws/ into a pipeline, and a sink that reads the config schema', async () => {
  const fromAws = await lintProbe(
    'src/aws/layering-probe.ts',
    "import { metricsKind } from '../pipelines/metrics/kind.js';\nexport const kind = metricsKind.kind;\n",
  );
  assert.ok(
    fromAws.some((m) => m.startsWith('import-x/no-restricted-paths') && /leaf library/.test(m)),
    fromAws.join('\n'),
  );
  const fromSink = await lintProbe(
    'src/sinks/layering-probe.ts',
    "import type { AgentFile } from '../config/agent/schema.js';\nexport type File = AgentFile;\n",
  );
  assert.ok(
    fromSink.some((m) => m.startsWith('import-x/no-restricted-paths') && /plain options/.test(m)),
    fromSink.join('\n'),
  );
  const clean = await lintProbe(
    'src/aws/layering-probe.ts',
    "import { SignetError } from '../errors.js';\nexport const E = SignetError;\n",
  );
  assert.deepEqual(clean, []);
});

test('lint refuses an import cycle', async () => {
  const a = join(ROOT, 'src/model/cycle-probe-a.ts');
  writeFileSync(
    a,
    "import { b } from './cycle-probe-b.js';\nexport const a = (): number => b + 1;\n",
  );
  try {
    const messages = await lintProbe(
      'src/model/cycle-probe-b.ts',
      "import { a } from './cycle-probe-a.js';\nexport const b = 1;\nexport const c = a;\n",
    );
    assert.ok(
      messages.some((m) => m.startsWith('import-x/no-cycle')),
      messages.join('\n'),
    );
  } finally {
    rmSync(a, { force: true });
  }
});
