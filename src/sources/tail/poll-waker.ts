/**
 * The tailer's pause between looks: a timer that directory events end early.
 * The parent directory is watched (not the file) so a file created or renamed
 * at the path wakes the tailer too; where watching fails, polling alone works.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { isRotatedSiblingName } from './rotated-copy.js';

export class PollWaker {
  private watcher: FSWatcher | undefined;
  private wakeUp: (() => void) | undefined;
  private stopped = false;
  private lastWatchAttempt = 0;

  constructor(private readonly path: string) {}

  watch(): void {
    this.lastWatchAttempt = Date.now();
    const name = basename(this.path);
    try {
      this.watcher = watch(dirname(this.path), { persistent: false }, (_event, changed) => {
        const changedName = typeof changed === 'string' ? changed : undefined;
        if (!changedName || changedName === name || isRotatedSiblingName(name, changedName)) {
          this.wakeUp?.();
        }
      });
      this.watcher.on('error', () => this.unwatch());
    } catch {
      this.watcher = undefined;
    }
  }

  /** Resolves after ms, at the next event for the path, or at once when stopped. */
  sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    // The directory may appear (or come back) later: watch again, at most once a second.
    if (!this.watcher && Date.now() - this.lastWatchAttempt >= 1000) this.watch();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** Ends the current and every later sleep at once. */
  stop(): void {
    this.stopped = true;
    this.wakeUp?.();
  }

  unwatch(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}
