/**
 * CriWriter on a worker thread, so writing at 100k+ lines a second and
 * counting what arrives (PushCounter, on the main thread) do not wait for
 * each other's event loop: a receiver that answers late would make the
 * agent look slow, a writer stuck behind a push would offer less than asked.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { CriWriter, type CriFile } from './cri-writer.js';

interface Start {
  readonly files: readonly CriFile[];
  readonly rate: number;
}

export interface WriterTotals {
  /** Lines written to each file. */
  readonly written: number[];
  readonly lines: number;
  /** Lines the rate asked for by the time it stopped. */
  readonly scheduled: number;
}

export class WriterThread {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;

  constructor(files: readonly CriFile[], rate: number) {
    this.worker = new Worker(new URL(import.meta.url), { workerData: { files, rate } as Start });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', () => resolve());
      this.worker.once('error', reject);
    });
  }

  async start(): Promise<void> {
    await this.ready;
    this.worker.postMessage('start');
  }

  /** Stops writing and closes the files; resolves with what was written. */
  async stop(): Promise<WriterTotals> {
    const totals = new Promise<WriterTotals>((resolve) =>
      this.worker.once('message', (m: WriterTotals) => resolve(m)),
    );
    this.worker.postMessage('stop');
    const result = await totals;
    await this.worker.terminate();
    return result;
  }
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const { files, rate } = workerData as Start;
  const writer = new CriWriter(files, rate);
  port.on('message', (message: string) => {
    if (message === 'start') writer.start();
    else {
      writer.close();
      port.postMessage({
        written: writer.written,
        lines: writer.lines,
        scheduled: writer.scheduled,
      } satisfies WriterTotals);
    }
  });
  port.postMessage('ready');
}
