/**
 * Builds the logs pipelines' configuration from the checked `logs:` block:
 * each config's clients (its own or the global ones), positions file, jobs
 * and limits, with what the schema cannot see checked here and placed by key
 * path — stages and relabel rules compiled, client URLs and names, file
 * names that would collide.
 */
import { join } from 'node:path';
import { compileStages, StageConfigError } from '../../process/stages/index.js';
import type { ConfigIssue } from '../yaml/config-error.js';
import { formatKeyPath, parseKeyPath } from '../yaml/issues.js';
import { awsOf, checkAuthExclusive, signingKeyPath } from './auth-checks.js';
import {
  checkReadableFiles,
  checkRelabel,
  checkUrlHost,
  hostNamesRegion,
  type RegionNeed,
} from './checks.js';
import {
  logsClientSchema,
  type LogsClientFile,
  type LogsFile,
  type LogsPushTargetFile,
} from './logs-schema.js';
import type { LogsClientTarget, LogsInstance, LogsJob } from './types.js';

export interface LogsCollected {
  readonly issues: ConfigIssue[];
  readonly warnings: ConfigIssue[];
  readonly regionNeeds: RegionNeed[];
}

/** Compiles `pipeline_stages` once here, so a bad stage stops `config check` with its place. */
export function checkStages(list: readonly unknown[], path: PropertyKey[], issues: ConfigIssue[]) {
  try {
    compileStages(list, formatKeyPath(path));
  } catch (error) {
    if (!(error instanceof StageConfigError)) throw error;
    issues.push({
      path: parseKeyPath(error.path),
      message: error.message.slice(error.path.length + 2),
      hint: error.hint ?? 'fix the stage',
    });
  }
}

function checkDecoder(encoding: string | undefined, path: PropertyKey[], issues: ConfigIssue[]) {
  if (encoding === undefined) return;
  try {
    new TextDecoder(encoding);
  } catch {
    issues.push({
      path,
      message: `'${encoding}' is not an encoding Signet can decode`,
      hint: 'write a WHATWG encoding label, e.g. utf-8, utf-16le, iso-8859-1, windows-1252, shift_jis',
    });
  }
}

/** Loki's URL: host and path, which is what Promtail's metrics call the client. */
function clientName(file: LogsClientFile, cwlogs: LogsClientTarget['cloudwatchLogs']): string {
  if (file.name !== undefined) return file.name;
  if (cwlogs) return `cwlogs://${cwlogs.region ?? '-'}/${cwlogs.logGroupName}`;
  if (file.firehose) return `firehose/${file.firehose.delivery_stream_name}`;
  if (file.s3 || file.url?.startsWith('s3:')) {
    const url = file.url?.startsWith('s3:') ? new URL(file.url) : undefined;
    return `s3://${file.s3?.bucket ?? url?.host ?? ''}/${file.s3?.prefix ?? url?.pathname.slice(1) ?? ''}`;
  }
  if (file.kinesis) return `kinesis/${file.kinesis.stream_name ?? file.kinesis.stream_arn ?? ''}`;
  const url = new URL(file.url ?? 'http://-');
  return `${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/** Where a CloudWatch Logs client sends: `cloudwatch_logs:` over `cwlogs://<region>/<group>`. */
function cloudwatchLogsOf(
  file: LogsClientFile,
  path: PropertyKey[],
  issues: ConfigIssue[],
): LogsClientTarget['cloudwatchLogs'] {
  const url = file.url === undefined ? undefined : new URL(file.url);
  const fromUrl = url?.protocol === 'cwlogs:';
  const block = file.cloudwatch_logs;
  if (!fromUrl && block === undefined) return undefined;
  if (block !== undefined && url !== undefined && !fromUrl) {
    issues.push({
      path: [...path, 'url'],
      message: `'${file.url}' is set beside cloudwatch_logs; a client sends to one place`,
      hint: 'remove url, or write it as cwlogs://<region>/<log group>',
    });
    return undefined;
  }
  const group = block?.log_group_name ?? (fromUrl ? decodeURIComponent(url.pathname.slice(1)) : '');
  if (group === '') {
    issues.push({
      path: block ? [...path, 'cloudwatch_logs'] : [...path, 'url'],
      atKey: true,
      message: 'names no log group',
      hint: 'write url: cwlogs://<region>/<log group>, or cloudwatch_logs: { log_group_name: … }',
    });
    return undefined;
  }
  return {
    region: block?.region ?? (fromUrl && url.host ? url.host : undefined),
    logGroupName: group,
  };
}

/** Where an S3 client writes: `s3:` over `s3://<bucket>/<prefix>`. */
function s3Of(
  file: LogsClientFile,
  path: PropertyKey[],
  issues: ConfigIssue[],
): LogsClientTarget['s3'] {
  const url = file.url?.startsWith('s3:') ? new URL(file.url) : undefined;
  if (url === undefined && file.s3 === undefined) return undefined;
  const bucket = file.s3?.bucket ?? url?.host ?? '';
  if (bucket === '') {
    issues.push({
      path: file.s3 ? [...path, 's3'] : [...path, 'url'],
      atKey: true,
      message: 'names no bucket',
      hint: 'write url: s3://<bucket>/<prefix>, or s3: { bucket: … }',
    });
    return undefined;
  }
  const fromUrl = url ? decodeURIComponent(url.pathname.slice(1)) : undefined;
  return { bucket, prefix: file.s3?.prefix ?? (fromUrl === '' ? undefined : fromUrl) };
}

/** A client as written: in `clients[]`, or made from a `targets[].loki_push_api`. */
interface ClientEntry {
  readonly file: LogsClientFile;
  /** Where the client's keys sit (`…clients[0]`, `…targets[0].loki_push_api`). */
  readonly path: PropertyKey[];
  /** Where its name is written (`name`, or `cloudwatch_logs.client_id`). */
  readonly namePath: PropertyKey[];
}

const listed = (list: readonly LogsClientFile[], base: PropertyKey[]): ClientEntry[] =>
  list.map((file, i) => ({ file, path: [...base, i], namePath: [...base, i, 'name'] }));

/**
 * `targets[].loki_push_api.cloudwatch_logs` as the client it means: the same
 * block with `client_id` as its name and the signing block beside it, every
 * other client key at its default. A target with no `cloudwatch_logs` is
 * only Promtail's push receiver (refused as not implemented by its keys), or
 * says nowhere to send.
 */
function pushTargets(
  list: readonly { loki_push_api: LogsPushTargetFile }[],
  base: PropertyKey[],
  c: LogsCollected,
): ClientEntry[] {
  return list.flatMap(({ loki_push_api: target }, i): ClientEntry[] => {
    const path = [...base, i, 'loki_push_api'];
    if (target.cloudwatch_logs === undefined) {
      const receiver = (['server', 'labels', 'use_incoming_timestamp'] as const).some(
        (k) => target[k] !== undefined,
      );
      if (!receiver)
        c.issues.push({
          path,
          atKey: true,
          message: 'has no cloudwatch_logs block, so nothing would be sent',
          hint: 'write cloudwatch_logs: { client_id: …, region: …, log_group_name: … } under it',
        });
      return [];
    }
    const { client_id: name, ...block } = target.cloudwatch_logs;
    // Only the keys written, so the client is the one `clients[]` would hold, key for key.
    const file = logsClientSchema.parse({
      ...(name !== undefined ? { name } : {}),
      cloudwatch_logs: block,
      ...(target.aws_auth !== undefined ? { aws_auth: target.aws_auth } : {}),
      ...(target.sigv4 !== undefined ? { sigv4: target.sigv4 } : {}),
    });
    return [{ file, path, namePath: [...path, 'cloudwatch_logs', 'client_id'] }];
  });
}

function clients(entries: readonly ClientEntry[], c: LogsCollected): LogsClientTarget[] {
  const seen = new Set<string>();
  return entries.map(({ file, path, namePath }) => {
    // The URL's scheme is a place too: cwlogs:// is CloudWatch Logs, s3:// is S3.
    const urlPlace = file.url?.startsWith('cwlogs:')
      ? 'cloudwatch_logs'
      : file.url?.startsWith('s3:')
        ? 's3'
        : file.url !== undefined
          ? 'url'
          : undefined;
    const blocks = (['cloudwatch_logs', 'firehose', 'kinesis', 's3'] as const).filter(
      (k) => file[k] !== undefined,
    );
    const places = [...new Set([...(urlPlace ? [urlPlace] : []), ...blocks])];
    const s3 = s3Of(file, path, c.issues);
    if (places.length > 1)
      c.issues.push({
        path,
        message: `sets ${places.join(' and ')}; a client sends to one place`,
        hint: 'write one client for each destination',
      });
    const stream = file.firehose ?? file.kinesis;
    const cwlogs =
      stream === undefined && s3 === undefined ? cloudwatchLogsOf(file, path, c.issues) : undefined;
    if (places.length === 0)
      c.issues.push({
        path,
        message: 'says nowhere to send: no url, cloudwatch_logs, firehose, kinesis or s3',
        hint: 'write url: http://loki:3100/loki/api/v1/push, or url: cwlogs://<region>/<log group>',
      });
    if (urlPlace === 'url' && file.url !== undefined && places.length === 1) {
      const protocol = new URL(file.url).protocol;
      if (protocol !== 'http:' && protocol !== 'https:')
        c.issues.push({
          path: [...path, 'url'],
          message: `'${file.url}' is not a Loki push URL (http:// or https://), cwlogs:// or s3://`,
          hint: 'write the push URL, e.g. http://loki:3100/loki/api/v1/push',
        });
      else checkUrlHost(file.url, [...path, 'url'], c.issues);
    }
    checkAuthExclusive(file, path, c.issues);
    checkReadableFiles(file, path, c.issues);
    const name = clientName(file, cwlogs);
    if (seen.has(name))
      c.issues.push({
        path: file.name !== undefined ? namePath : [...path, file.url ? 'url' : 'cloudwatch_logs'],
        message: `repeats the client '${name}'`,
        hint: 'give each client its own name',
      });
    seen.add(name);
    const aws = awsOf(file, path, c.issues, c.warnings);
    if (cwlogs !== undefined)
      return { file, path: formatKeyPath(path), name, aws, cloudwatchLogs: cwlogs };
    if (s3 !== undefined) return { file, path: formatKeyPath(path), name, aws, s3 };
    // Firehose and Kinesis find their region from their block or the environment.
    if (stream !== undefined) return { file, path: formatKeyPath(path), name, aws };
    const host = file.url === undefined ? '' : new URL(file.url).host;
    if (aws && !aws.region && !hostNamesRegion(host))
      c.regionNeeds.push({ path: signingKeyPath(file, path), host, profile: aws.spec.profile });
    return { file, path: formatKeyPath(path), name, aws };
  });
}

/** AWS clients read the logs WAL at their own pace, so a config with one has the WAL by default. */
const sendsToAws = (list: readonly LogsClientTarget[]): boolean =>
  list.some((t) => t.cloudwatchLogs || t.s3 || t.file.firehose || t.file.kinesis);

/**
 * `dataDirectory`: the agent's own (metrics.wal_directory, `data-agent/` by
 * default), where a logs WAL goes when logs.positions_directory is not set.
 */
export function buildLogs(
  logs: LogsFile | undefined,
  c: LogsCollected,
  dataDirectory: string,
): LogsInstance[] {
  if (logs === undefined) return [];
  const globalBase = ['logs', 'global', 'clients'];
  const globalClients = clients(listed(logs.global.clients, globalBase), c);
  const names = new Set<string>();
  const positionFiles = new Map<string, string>();
  const walDirectories = new Map<string, string>();
  return logs.configs.map((inst, i): LogsInstance => {
    const base: PropertyKey[] = ['logs', 'configs', i];
    const repeated = names.has(inst.name);
    if (repeated)
      c.issues.push({
        path: [...base, 'name'],
        message: `repeats the logs config name '${inst.name}'`,
        hint: 'names must be unique',
      });
    names.add(inst.name);
    // targets[].loki_push_api.cloudwatch_logs are this config's own clients, after clients[].
    const own = clients(
      [
        ...listed(inst.clients, [...base, 'clients']),
        ...pushTargets(inst.targets, [...base, 'targets'], c),
      ],
      c,
    );
    const chosen = own.length > 0 ? own : globalClients;
    if (chosen.length === 0)
      c.issues.push({
        path: [...base, 'clients'],
        atKey: inst.clients.length === 0,
        message: `has no clients${inst.targets.length > 0 ? ' (nor a target with cloudwatch_logs)' : ''}, and logs.global.clients has none either: no line would be sent`,
        hint: 'add a client: clients: [{ url: http://loki:3100/loki/api/v1/push }]',
      });
    let positionsFile = inst.positions.filename;
    if (positionsFile === undefined) {
      if (logs.positions_directory === undefined)
        c.issues.push({
          path: [...base, 'positions'],
          atKey: true,
          message: 'has no filename, and logs.positions_directory is not set',
          hint: 'set logs.positions_directory (each config then keeps <dir>/<name>.yml) or positions.filename',
        });
      positionsFile = join(logs.positions_directory ?? '.', `${inst.name}.yml`);
    }
    const other = positionFiles.get(positionsFile);
    if (other !== undefined)
      c.issues.push({
        path: [...base, 'positions', 'filename'],
        message: `'${positionsFile}' is also the positions file of ${other}`,
        hint: 'give each logs config its own positions file: two would overwrite each other',
      });
    positionFiles.set(positionsFile, formatKeyPath(base));
    const limits = inst.limits_config;
    if (limits.max_line_size_truncate && limits.max_line_size === 0)
      c.issues.push({
        path: [...base, 'limits_config', 'max_line_size_truncate'],
        message: 'is set, but max_line_size is 0 (no limit), so nothing would be truncated',
        hint: 'set max_line_size, e.g. 256KB',
      });
    const jobNames = new Set<string>();
    const jobs = inst.scrape_configs.map((sc, j): LogsJob => {
      const path = [...base, 'scrape_configs', j];
      if (jobNames.has(sc.job_name))
        c.issues.push({
          path: [...path, 'job_name'],
          message: `repeats the job name '${sc.job_name}'`,
          hint: 'job names must be unique within a logs config',
        });
      jobNames.add(sc.job_name);
      checkRelabel(sc.relabel_configs, [...path, 'relabel_configs'], c.issues);
      checkStages(sc.pipeline_stages, [...path, 'pipeline_stages'], c.issues);
      checkDecoder(sc.encoding, [...path, 'encoding'], c.issues);
      const format = sc.decompression?.format;
      if (sc.decompression?.enabled && format !== 'gz' && format !== 'z')
        c.issues.push({
          path: [...path, 'decompression', 'format'],
          message: `Signet does not decompress ${format} files`,
          hint: 'use gz or z, or remove the decompression block',
        });
      return { file: sc, path: formatKeyPath(path) };
    });
    const wal = inst.wal_config;
    let walDirectory: string | undefined;
    if (wal?.enabled ?? sendsToAws(chosen)) {
      walDirectory =
        wal?.dir ??
        (logs.positions_directory !== undefined
          ? join(logs.positions_directory, 'wal', inst.name)
          : join(dataDirectory, 'logs-wal', inst.name));
      const other = walDirectories.get(walDirectory);
      if (other !== undefined && !repeated)
        c.issues.push({
          path: [...base, wal?.dir !== undefined ? 'wal_config' : 'name'],
          atKey: wal?.dir === undefined,
          message: `'${walDirectory}' is also the logs WAL of ${other}`,
          hint: 'give each logs config its own wal_config.dir: two would mix their entries',
        });
      walDirectories.set(walDirectory, formatKeyPath(base));
    }
    return {
      name: inst.name,
      path: formatKeyPath(base),
      jobs,
      clients: chosen,
      positionsFile,
      positionsSyncMs: inst.positions.sync_period,
      ignoreInvalidPositions: inst.positions.ignore_invalid_yaml,
      targetSyncMs: inst.target_config.sync_period,
      limits,
      walDirectory,
      pollMinMs: logs.global.file_watch_config.min_poll_frequency,
      pollMaxMs: logs.global.file_watch_config.max_poll_frequency,
    };
  });
}
