/**
 * The multipart uploads this client began and has not yet completed or
 * aborted, kept in a small file beside the pipeline's positions. An agent
 * killed mid-upload cannot abort its upload then; at its next start the
 * client reads the file and aborts each one left, so their parts stop
 * costing storage without waiting for a lifecycle rule. Only uploads this
 * client began are ever touched — not another agent's in the same bucket,
 * nor one a person started.
 *
 * The journal is best effort: a file that cannot be written only leaves
 * such uploads to S3's lifecycle rules, as without it; an upload is never
 * failed for it.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface JournaledUpload {
  readonly key: string;
  readonly uploadId: string;
}

export class UploadJournal {
  /** uploadId → key, of every upload begun and not ended (leftovers included until aborted). */
  private readonly open = new Map<string, string>();
  private saving: Promise<void> = Promise.resolve();
  /** Uploads a previous run left in the file, to abort. */
  readonly leftovers: readonly JournaledUpload[];

  constructor(
    private readonly path: string,
    private readonly onError: (error: Error) => void = () => {},
  ) {
    this.leftovers = readJournal(path);
    for (const u of this.leftovers) this.open.set(u.uploadId, u.key);
  }

  /** Records an upload just created; resolves once the file says so, before its first part. */
  begin(key: string, uploadId: string): Promise<void> {
    this.open.set(uploadId, key);
    return this.save();
  }

  /** The upload is completed or aborted (or S3 no longer has it). */
  end(uploadId: string): Promise<void> {
    return this.open.delete(uploadId) ? this.save() : Promise.resolve();
  }

  /** Writes the whole (small) list atomically, one write after another. */
  private save(): Promise<void> {
    const uploads = [...this.open].map(([uploadId, key]) => ({ key, uploadId }));
    this.saving = this.saving.then(async () => {
      try {
        await mkdir(dirname(this.path), { recursive: true });
        const temporary = `${this.path}.tmp`;
        await writeFile(temporary, `${JSON.stringify({ uploads })}\n`);
        await rename(temporary, this.path);
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
    });
    return this.saving;
  }
}

/** The uploads in a journal file; none when it is absent or unreadable (then nothing is aborted). */
function readJournal(path: string): JournaledUpload[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  try {
    const parsed = JSON.parse(text) as { uploads?: unknown };
    if (!Array.isArray(parsed.uploads)) return [];
    return parsed.uploads.filter(
      (u): u is JournaledUpload =>
        typeof u === 'object' &&
        u !== null &&
        typeof (u as JournaledUpload).key === 'string' &&
        typeof (u as JournaledUpload).uploadId === 'string',
    );
  } catch {
    return [];
  }
}
