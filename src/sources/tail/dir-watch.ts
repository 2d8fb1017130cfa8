/**
 * Promtail watches the directories of the files it tails and starts tailing
 * a matching file as soon as it is created, instead of at the next sync.
 * This does the same with fs.watch (inotify on Linux): a created name in a
 * watched directory that is not tailed yet asks for a sync. Only creations
 * count — a deleted file is released by the periodic sync, so its tailer
 * has time to read what was written before the delete. Without inotify
 * (or over its limit) the periodic sync still finds everything.
 */
import { watch, type FSWatcher } from 'node:fs';
import { access } from 'node:fs/promises';
import type { LogCallback } from '../../log.js';

export class DirectoryWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private warned = false;

  constructor(
    /** Asked for each created name; true when it is worth a sync (not tailed yet). */
    private readonly isNew: (path: string) => boolean,
    private readonly onCreated: () => void,
    private readonly log: LogCallback,
  ) {}

  /** Watches exactly these directories from now on. */
  set(dirs: ReadonlySet<string>): void {
    for (const [dir, watcher] of this.watchers) {
      if (dirs.has(dir)) continue;
      watcher.close();
      this.watchers.delete(dir);
    }
    for (const dir of dirs) {
      if (this.watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: false }, (event, name) => {
          if (event === 'rename' && name) this.created(dir, name.toString());
        });
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(dir);
        });
        this.watchers.set(dir, watcher);
      } catch (err) {
        if (!this.warned)
          this.log(
            'warn',
            `file targets: cannot watch ${dir} (${(err as NodeJS.ErrnoException).code ?? String(err)}); new files are found at the next sync`,
          );
        this.warned = true;
      }
    }
  }

  close(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private created(dir: string, name: string): void {
    const path = dir.endsWith('/') ? dir + name : `${dir}/${name}`;
    if (!this.isNew(path)) return;
    // A 'rename' event is also a delete or a move away: only a name that exists now counts.
    access(path).then(
      () => this.onCreated(),
      () => {},
    );
  }
}
