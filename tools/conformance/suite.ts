import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsCredentials } from '../../src/aws/sigv4/index.js';

/** `context.json`: the parameters aws-c-auth's harness signs a case with. */
export interface CaseContext {
  readonly credentials: AwsCredentials;
  readonly region: string;
  readonly service: string;
  readonly timestamp: string;
  readonly normalize: boolean;
  readonly signBody: boolean;
  readonly expiresIn: number;
  readonly omitSessionToken: boolean;
}

export interface SuiteCase {
  readonly name: string;
  readonly dir: string;
  readonly algorithm: 'sigv4' | 'sigv4a';
  /** From `context.json`; absent for the smithy-rs extras, whose parameters come from the request. */
  readonly context: CaseContext | undefined;
  readonly read: (file: string) => string | undefined;
}

interface RawContext {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  region: string;
  service: string;
  timestamp: string;
  normalize?: boolean;
  sign_body?: boolean;
  expiration_in_seconds?: number;
  omit_session_token?: boolean;
}

function readContext(dir: string): CaseContext | undefined {
  const file = join(dir, 'context.json');
  if (!existsSync(file)) return undefined;
  const raw = JSON.parse(readFileSync(file, 'utf8')) as RawContext;
  return {
    credentials: {
      accessKeyId: raw.credentials.access_key_id,
      secretAccessKey: raw.credentials.secret_access_key,
      sessionToken: raw.credentials.token,
    },
    region: raw.region,
    service: raw.service,
    timestamp: raw.timestamp,
    normalize: raw.normalize ?? true,
    signBody: raw.sign_body ?? false,
    expiresIn: raw.expiration_in_seconds ?? 3600,
    omitSessionToken: raw.omit_session_token ?? false,
  };
}

function caseAt(name: string, dir: string, algorithm: SuiteCase['algorithm']): SuiteCase {
  return {
    name,
    dir,
    algorithm,
    context: readContext(dir),
    read: (file) => {
      const path = join(dir, file);
      return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    },
  };
}

function subdirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/**
 * Every case folder of a suite laid out like aws-c-auth's: `v4/*`, `v4a/*`,
 * and `extra/<source>/v4/*`.
 */
export function loadSuite(root: string): SuiteCase[] {
  const cases: SuiteCase[] = [];
  for (const name of subdirs(join(root, 'v4')))
    cases.push(caseAt(`v4/${name}`, join(root, 'v4', name), 'sigv4'));
  for (const name of subdirs(join(root, 'v4a')))
    cases.push(caseAt(`v4a/${name}`, join(root, 'v4a', name), 'sigv4a'));
  for (const source of subdirs(join(root, 'extra'))) {
    const base = join(root, 'extra', source, 'v4');
    for (const name of subdirs(base))
      cases.push(caseAt(`extra/${source}/v4/${name}`, join(base, name), 'sigv4'));
  }
  return cases;
}
