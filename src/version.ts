/**
 * Signet's version, the one place in src/ that reads it: `signet version`,
 * the agent's build info and every sink's User-Agent. Read from the package's
 * package.json, found by walking up from this module (which sits at a
 * different depth under src/ and dist/src/).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

export const SIGNET_VERSION = findVersion();

/** What every sink sends as User-Agent unless the user sets one. */
export const SIGNET_USER_AGENT = `Signet/${SIGNET_VERSION}`;
