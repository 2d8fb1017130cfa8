/**
 * Everything `signet run` checks before it starts anything, in one place that
 * `signet config check` calls too, so the two can never disagree: the file
 * (schema, relabel rules, targets, unimplemented keys, environment references,
 * files it names), the WAL directory, and the signing region of every signed
 * block that does not name one.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { envFlag, envValue } from '../../aws/env.js';
import { RegionError, resolveRegion } from '../../aws/region.js';
import { ConfigFileError, type ConfigProblem } from '../yaml/config-error.js';
import {
  loadAgentConfig,
  type LoadedConfig,
  type LoadOptions,
  type LocatedRegionNeed,
} from './load.js';

export interface ValidateOptions extends LoadOptions {
  /**
   * Ask the instance metadata service (IMDS) for the region when nothing else
   * gives one: `run` does, as the agent would; `config check` stays off the
   * network and says so.
   */
  readonly imds: boolean;
}

function regionProblem(
  need: LocatedRegionNeed,
  env: NodeJS.ProcessEnv,
  askedImds: boolean,
): ConfigProblem {
  const profile = need.profile ?? envValue(env, 'AWS_PROFILE') ?? 'default';
  const imdsOff = envFlag(env, 'AWS_EC2_METADATA_DISABLED');
  const imds = imdsOff
    ? ''
    : askedImds
      ? ', nor the instance metadata service (IMDS)'
      : '; config check does not ask the instance metadata service (IMDS), which `signet run` would try on EC2';
  return {
    ...(need.line !== undefined ? { line: need.line, column: need.column } : {}),
    keyPath: need.keyPath,
    message: `no signing region: '${need.host}' names none, and neither AWS_REGION, AWS_DEFAULT_REGION nor profile '${profile}' gives one${imds}`,
    hint: "set region: in this block (e.g. region: us-east-1), or AWS_REGION in the agent's environment",
  };
}

/**
 * The WAL directory must exist as a writable directory or be creatable: the
 * nearest existing ancestor is what decides, without creating anything.
 */
function walProblem(loaded: LoadedConfig): ConfigProblem | undefined {
  // The agent makes a directory per instance; with none it writes nothing.
  if (loaded.config.instances.length === 0) return undefined;
  const wanted = resolve(loaded.config.walDirectory);
  let at = wanted;
  for (;;) {
    try {
      const isDir = statSync(at).isDirectory();
      if (!isDir)
        return walRefusal(loaded, `'${at}' is a file, so '${wanted}' cannot be a directory`);
      accessSync(at, constants.W_OK | constants.X_OK);
      return undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(at) !== at) {
        at = dirname(at);
        continue;
      }
      return walRefusal(
        loaded,
        `'${wanted}' cannot be ${at === wanted ? 'written' : 'created'} (${code ?? String(error)} at '${at}')`,
      );
    }
  }
}

function walRefusal(loaded: LoadedConfig, message: string): ConfigProblem {
  const at = loaded.walLocation;
  return {
    ...(at?.line !== undefined ? { line: at.line, column: at.column } : {}),
    keyPath: at?.keyPath ?? '',
    message: at ? message : `the WAL directory ${message}`,
    hint: 'give a wal_directory the user Signet runs as can write',
  };
}

/** Loads and checks `path` without starting anything; throws ConfigFileError listing every problem. */
export async function validateAgentConfig(
  path: string,
  options: ValidateOptions,
): Promise<LoadedConfig> {
  const loaded = loadAgentConfig(path, options);
  const env = options.env ?? process.env;
  const problems: ConfigProblem[] = [];
  const wal = walProblem(loaded);
  if (wal) problems.push(wal);
  // One answer per profile: IMDS is asked at most once, however many blocks need it.
  const answers = new Map<string, Promise<boolean>>();
  for (const need of loaded.regionNeeds) {
    const key = need.profile ?? '';
    let found = answers.get(key);
    if (!found) {
      found = resolveRegion({ profile: need.profile, env, imds: options.imds }).then(
        () => true,
        (error: unknown) => {
          if (error instanceof RegionError) return false;
          throw error;
        },
      );
      answers.set(key, found);
    }
    if (!(await found)) problems.push(regionProblem(need, env, options.imds));
  }
  if (problems.length > 0) throw new ConfigFileError(path, problems);
  return loaded;
}
