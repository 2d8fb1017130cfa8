/**
 * `file_sd_configs`: JSON or YAML files (globs in the last path element) of
 * `[{ targets: [...], labels: {...} }]`, re-read every `refresh_interval` and
 * whenever a watched file changes. A bad file keeps its last good targets and
 * is reported, as Prometheus does.
 */
import { readdirSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { TargetGroup } from './targets.js';

export interface FileSdOptions {
  readonly files: readonly string[];
  readonly refreshIntervalMs: number;
  readonly onChange: (groups: TargetGroup[]) => void;
  readonly onError: (file: string, message: string) => void;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${escaped}$`);
}

export function expandFilePatterns(patterns: readonly string[]): string[] {
  const out = new Set<string>();
  for (const pattern of patterns) {
    const dir = dirname(pattern);
    const name = basename(pattern);
    if (!/[*?]/.test(name)) {
      out.add(pattern);
      continue;
    }
    const re = globToRegExp(name);
    try {
      for (const entry of readdirSync(dir)) if (re.test(entry)) out.add(join(dir, entry));
    } catch {
      // A missing directory yields no files; Prometheus does the same.
    }
  }
  return [...out].sort();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads one file's groups; throws with a message naming what is wrong. */
export function readTargetFile(file: string): TargetGroup[] {
  const text = readFileSync(file, 'utf8');
  const ext = extname(file).toLowerCase();
  if (!['.json', '.yml', '.yaml'].includes(ext))
    throw new Error(`unsupported file extension ${ext || '(none)'}: use .json, .yml or .yaml`);
  const data: unknown = ext === '.json' ? JSON.parse(text) : parseYaml(text);
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) throw new Error('must be a list of target groups');
  return data.map((group, i) => {
    if (!isRecord(group)) throw new Error(`[${i}] must be a mapping with targets:`);
    const targets = group.targets;
    if (!Array.isArray(targets) || targets.some((t) => typeof t !== 'string'))
      throw new Error(`[${i}].targets must be a list of host:port strings`);
    const labels = group.labels ?? {};
    if (!isRecord(labels) || Object.values(labels).some((v) => typeof v !== 'string'))
      throw new Error(`[${i}].labels must map label names to strings`);
    return {
      targets: targets as string[],
      labels: { ...(labels as Record<string, string>), __meta_filepath: file },
      source: `${file}[${i}]`,
    };
  });
}

export class FileDiscovery {
  private readonly lastGood = new Map<string, TargetGroup[]>();
  private timer: NodeJS.Timeout | undefined;
  private watchers: FSWatcher[] = [];
  private stamps = new Map<string, string>();

  constructor(private readonly o: FileSdOptions) {}

  start(): void {
    this.refresh();
    this.timer = setInterval(() => this.refresh(), this.o.refreshIntervalMs);
    this.timer.unref();
    // Watch the directories, so a file replaced by rename is seen too.
    for (const dir of new Set(this.o.files.map((f) => dirname(f)))) {
      try {
        const w = watch(dir, () => this.refreshIfChanged());
        w.unref();
        this.watchers.push(w);
      } catch {
        // The periodic refresh still covers a directory that cannot be watched.
      }
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  private refreshIfChanged(): void {
    const files = expandFilePatterns(this.o.files);
    const changed =
      files.length !== this.stamps.size || files.some((f) => this.stamps.get(f) !== stamp(f));
    if (changed) this.refresh();
  }

  refresh(): void {
    const files = expandFilePatterns(this.o.files);
    const next = new Map<string, string>();
    for (const file of files) {
      next.set(file, stamp(file));
      try {
        this.lastGood.set(file, readTargetFile(file));
      } catch (error) {
        this.o.onError(file, error instanceof Error ? error.message : String(error));
      }
    }
    for (const file of [...this.lastGood.keys()]) if (!next.has(file)) this.lastGood.delete(file);
    this.stamps = next;
    this.o.onChange([...this.lastGood.values()].flat());
  }
}

function stamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'missing';
  }
}
