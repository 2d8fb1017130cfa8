/**
 * The README's synopses against the commands' own usage texts: every option a
 * command's `--help` lists appears in that command's synopsis under
 * "## Commands", and the Node.js version the README states is the one
 * package.json's engines field requires.
 */
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../src/cli/main.js';
import { runSignet } from '../helpers/run-cli.js';

const ROOT = new URL('../../../', import.meta.url);
const README = readFileSync(fileURLToPath(new URL('README.md', ROOT)), 'utf8');

/** The fenced block under "## Commands", one synopsis per command (continuation lines indented). */
function synopses(): Map<string, string> {
  const section = README.split(/^## /m).find((s) => s.startsWith('Commands\n'));
  assert.ok(section, 'the README has a "## Commands" section');
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'with a code block of synopses');
  const found = new Map<string, string>();
  let current = '';
  for (const line of block.split('\n')) {
    const start = /^signet ([a-z-]+)/.exec(line);
    if (start) current = start[1]!;
    if (current) found.set(current, `${found.get(current) ?? ''} ${line}`);
  }
  return found;
}

/** Option names (without dashes) in a usage text: `--region`, `-config.file`, `-X` as `X`. */
function optionNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/(?<![\w/:-])--?([a-zA-Z][a-z0-9.-]*[a-z0-9]|[a-zA-Z])(?![\w])/g)) {
    names.add(m[1]!);
  }
  names.delete('help');
  names.delete('h');
  return names;
}

test('every option of every command is in its README synopsis', async () => {
  const documented = synopses();
  for (const command of COMMANDS) {
    const synopsis = documented.get(command);
    assert.ok(synopsis, `the README has a synopsis for signet ${command}`);
    const help = await runSignet([command, '--help']);
    assert.equal(help.status, 0, help.stderr);
    const inSynopsis = optionNames(synopsis);
    const missing = [...optionNames(help.stdout)].filter((name) => !inSynopsis.has(name));
    assert.deepEqual(missing, [], `signet ${command}: options missing from the README synopsis`);
  }
});

test("the README's Node.js version is package.json's engines floor", () => {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('package.json', ROOT)), 'utf8')) as {
    engines: { node: string };
  };
  const floor = /^>=(\d+\.\d+\.\d+)$/.exec(pkg.engines.node)?.[1];
  assert.ok(floor, `engines.node is a plain floor: ${pkg.engines.node}`);
  const stated = [...README.matchAll(/Node\.js (\d+(?:\.\d+)*) or newer/g)].map((m) => m[1]);
  assert.ok(stated.length > 0, 'the README states a Node.js version');
  for (const version of stated) assert.equal(version, floor);
});
