// Runs every compiled *.test.js under dist/test with node's test runner.
// Node 20's `--test` takes no globs and would also run the helpers in
// dist/test/helpers as if they were tests, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

const files = testFiles('dist/test').sort();
const result = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', ...process.argv.slice(2), ...files],
  {
    stdio: 'inherit',
    // On Node 20 every AWS SDK client warns that SDK releases after January 2027
    // need Node 22 (README: Node.js versions); AWS documents this switch for it.
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
);
process.exitCode = result.status ?? 1;
