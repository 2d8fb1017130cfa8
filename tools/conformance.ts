/**
 * `npm run conformance -- DIR`: signs every case of a folder laid out like
 * aws-c-auth's SigV4 test suite and compares with the expected files. The last
 * line is `N passed, N failed`; the exit code is 1 when anything failed.
 */
import { resolve } from 'node:path';
import { checkCase } from './conformance/check.js';
import { loadSuite } from './conformance/suite.js';

function main(argv: string[]): number {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const dir = argv.find((a) => !a.startsWith('-'));
  if (!dir) {
    console.error(
      'usage: npm run conformance -- DIR [--verbose]   (DIR laid out like shared/sigv4-suite: v4/, v4a/, extra/)',
    );
    return 2;
  }
  const cases = loadSuite(resolve(dir));
  if (cases.length === 0) {
    console.error(`No cases under ${resolve(dir)}: expected v4/<case>/request.txt and friends`);
    return 2;
  }
  let passed = 0;
  let failed = 0;
  let incomplete = 0;
  for (const c of cases) {
    const hasExpected = ['header-canonical-request.txt', 'query-canonical-request.txt'].some(
      (f) => c.read(f) !== undefined,
    );
    if (!hasExpected) {
      incomplete++;
      if (verbose) console.log(`skip ${c.name}: no expected output in the suite`);
      continue;
    }
    let results;
    try {
      results = checkCase(c);
    } catch (error) {
      results = [
        {
          name: c.name,
          problems: [`threw: ${error instanceof Error ? error.message : String(error)}`],
        },
      ];
    }
    for (const r of results) {
      if (r.problems.length === 0) {
        passed++;
        if (verbose) console.log(`ok   ${r.name}`);
      } else {
        failed++;
        console.log(`FAIL ${r.name}\n  ${r.problems.join('\n  ').replace(/\n/g, '\n    ')}`);
      }
    }
  }
  if (incomplete > 0)
    console.log(`(${incomplete} case folders without expected output were not counted)`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
