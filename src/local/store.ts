import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { SignetError } from '../errors.js';
import type { ServiceStore } from './service.js';

/**
 * A service's saved state, checked against its schema, or `empty` when nothing
 * was saved. A saved shape this code cannot read is an error rather than a
 * silent fresh start, which would quietly drop what the user recorded.
 */
export function loadSavedState<T>(
  store: ServiceStore,
  name: string,
  schema: z.ZodType<T>,
  empty: () => T,
): T {
  const saved = store.load<unknown>(name);
  if (saved === undefined) return empty();
  const parsed = schema.safeParse(saved);
  if (!parsed.success) {
    throw new SignetError(`The saved ${name} state is not in a shape this version can read`, {
      hint: `move ${name}.json out of the data directory to start ${name} afresh`,
    });
  }
  return parsed.data;
}

/** Keeps nothing between runs: `signet local` without `--data-dir`. */
export class MemoryStore implements ServiceStore {
  load<T>(): T | undefined {
    return undefined;
  }
  save(): void {}
  flush(): void {}
}

/**
 * One JSON file per service in `--data-dir`. Saves are coalesced (the changes
 * one request makes cost one file write: the server flushes before it answers)
 * and written atomically via rename, so a crash leaves the old or the new
 * state, never half of one, and never loses what was answered as accepted.
 */
export class DirectoryStore implements ServiceStore {
  private readonly pending = new Map<string, unknown>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly delayMs = 50,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  load<T>(service: string): T | undefined {
    try {
      return JSON.parse(readFileSync(this.file(service), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  save(service: string, state: unknown): void {
    this.pending.set(service, state);
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [service, state] of this.pending) {
      const tmp = this.file(service) + '.tmp';
      writeFileSync(tmp, JSON.stringify(state));
      renameSync(tmp, this.file(service));
    }
    this.pending.clear();
  }

  private file(service: string): string {
    return join(this.dir, `${service}.json`);
  }
}
