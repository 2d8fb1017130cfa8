/**
 * The signed destinations of a Grafana Agent static-mode file, for `signet
 * doctor`: every `remote_write` under `metrics.global` and `metrics.configs[]`
 * with a `sigv4:` or `aws_auth:` block (or `authorization: { sigv4: … }`).
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { SignetError } from '../errors.js';
import { parseAwsAuth, type AwsAuth } from './aws-auth.js';

export interface SignedDestination {
  /** Key path in the file, e.g. `metrics.configs[0].remote_write[1]`. */
  readonly path: string;
  readonly url: string;
  readonly auth: AwsAuth;
  /** What the destination is, which decides the default service and the probe. */
  readonly kind: 'remote_write';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expandEnv(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (_m, name: string, dflt?: string) => env[name] ?? dflt ?? '',
  );
}

export function readSignedDestinations(
  file: string,
  options: { expandEnv?: boolean; env?: NodeJS.ProcessEnv } = {},
): SignedDestination[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SignetError(
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        hint: 'check the path given to -config.file',
      },
    );
  }
  if (options.expandEnv) text = expandEnv(text, options.env ?? process.env);
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const [line, col] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : [0, 0];
    throw new SignetError(`${file}:${line}:${col}: ${e.message.split('\n')[0]}`, {
      hint: 'fix the YAML syntax',
    });
  }
  const root: unknown = doc.toJS();
  const out: SignedDestination[] = [];
  const metrics = isRecord(root) ? root.metrics : undefined;
  if (!isRecord(metrics)) return out;
  const lists: [string, unknown][] = [];
  if (isRecord(metrics.global))
    lists.push(['metrics.global.remote_write', metrics.global.remote_write]);
  if (Array.isArray(metrics.configs)) {
    metrics.configs.forEach((c, i) => {
      if (isRecord(c)) lists.push([`metrics.configs[${i}].remote_write`, c.remote_write]);
    });
  }
  for (const [base, list] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      const path = `${base}[${i}]`;
      if (!isRecord(entry) || typeof entry.url !== 'string') return;
      const authorization = isRecord(entry.authorization) ? entry.authorization : undefined;
      const [key, block] =
        entry.sigv4 !== undefined
          ? ['sigv4', entry.sigv4]
          : entry.aws_auth !== undefined
            ? ['aws_auth', entry.aws_auth]
            : authorization?.sigv4 !== undefined
              ? ['authorization.sigv4', authorization.sigv4]
              : [undefined, undefined];
      if (key === undefined) return;
      out.push({
        path,
        url: entry.url,
        auth: parseAwsAuth(block ?? {}, `${path}.${key}`),
        kind: 'remote_write',
      });
    });
  }
  return out;
}
