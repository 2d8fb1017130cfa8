/**
 * Signet's version, the one place in src/ that reads it: `signet version`,
 * the agent's build info and every sink's User-Agent. The single executable
 * (`npm run package`) has the version and commit written in when it is
 * built; a checkout or an npm install reads its package.json, found by
 * walking up from this module (which sits at a different depth under src/
 * and dist/src/).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What scripts/package.mjs writes into the single executable (esbuild `define`). */
interface PackagedBuild {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
}
declare const __SIGNET_PACKAGED_BUILD__: PackagedBuild | undefined;

/** The build the single executable was made from; undefined when Signet runs from its files. */
export const PACKAGED_BUILD: PackagedBuild | undefined =
  typeof __SIGNET_PACKAGED_BUILD__ === 'undefined' ? undefined : __SIGNET_PACKAGED_BUILD__;

function findVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    try {
      const parsed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (parsed.name === 'signet-agent' && typeof parsed.version === 'string')
        return parsed.version;
    } catch {
      // No package.json here: keep walking up.
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return '0.0.0';
}

export const SIGNET_VERSION = PACKAGED_BUILD?.version ?? findVersion();

/** What every sink sends as User-Agent unless the user sets one. */
export const SIGNET_USER_AGENT = `Signet/${SIGNET_VERSION}`;
