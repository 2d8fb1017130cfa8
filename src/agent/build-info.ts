/**
 * What `agent_build_info` reports: Signet's version, and the git commit and
 * branch when Signet runs from a git checkout (read from `.git`, no git
 * binary needed) or those it was built from (the single executable);
 * "unknown" otherwise, as an npm install has no `.git`.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGED_BUILD, SIGNET_VERSION } from '../version.js';

export interface BuildInfo {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
}

/** `root`: where Signet's package.json is (found from this module by default). */
export function buildInfo(root?: string): BuildInfo {
  // The single executable has no .git beside it: its commit was written in when it was built.
  if (root === undefined && PACKAGED_BUILD !== undefined) return PACKAGED_BUILD;
  root ??= packageRoot();
  const git = root === undefined ? undefined : readGitHead(root);
  return {
    version: SIGNET_VERSION,
    revision: git?.commit ?? 'unknown',
    branch: git?.branch ?? 'unknown',
  };
}

/** The directory of Signet's package.json, above this module under src/ or dist/src/. */
function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    const pkg = readOptional(join(dir, 'package.json'));
    if (pkg !== undefined && (JSON.parse(pkg) as { name?: unknown }).name === 'signet-agent')
      return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/** HEAD's commit and branch (a detached HEAD has no branch); undefined when `root` is no checkout. */
function readGitHead(root: string): { commit?: string; branch?: string } | undefined {
  try {
    const dotGit = join(root, '.git');
    // A worktree's `.git` is a file naming its git directory; refs may live in the common one.
    const gitDir = statSync(dotGit).isFile()
      ? resolve(root, /^gitdir: (.*)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim() ?? '')
      : dotGit;
    const commonDir = readOptional(join(gitDir, 'commondir'));
    const dirs = commonDir ? [gitDir, resolve(gitDir, commonDir.trim())] : [gitDir];
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    const ref = /^ref: (refs\/.*)$/.exec(head)?.[1];
    if (!ref) return /^[0-9a-f]{40,64}$/.test(head) ? { commit: head } : {};
    const branch = ref.replace(/^refs\/heads\//, '');
    for (const dir of dirs) {
      const loose = readOptional(join(dir, ref))?.trim();
      if (loose) return { commit: loose, branch };
      const packed = readOptional(join(dir, 'packed-refs'));
      const line = packed?.split('\n').find((l) => l.endsWith(` ${ref}`));
      if (line) return { commit: line.slice(0, line.indexOf(' ')), branch };
    }
    return { branch };
  } catch {
    return undefined;
  }
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
