/**
 * What the S3 service keeps: buckets, their objects and unfinished multipart
 * uploads. In memory they live in Maps, because bucket names and keys are the
 * client's strings and a plain object would treat `__proto__` or `toString` as
 * its own; on disk they are arrays of records, bodies as base64.
 */
import { z } from 'zod';
import type { ServiceStore } from '../../service.js';
import { loadSavedState } from '../../store.js';

/** Headers S3 stores with an object and returns on GET and HEAD. */
export const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
] as const;

/** Name/value pairs: `x-amz-meta-*` (name lower-case, without the prefix) or STORED_HEADERS. */
const pairs = z.array(z.tuple([z.string(), z.string()]));

const storedObject = z.object({
  /** The body, base64: kept encoded so saving is a copy of references, not of bytes. */
  body: z.string(),
  size: z.number().int().nonnegative(),
  /** Hex md5 of the body, or md5-of-md5s and `-N` for a multipart object; unquoted. */
  etag: z.string(),
  /** Milliseconds since the epoch, whole seconds as S3 reports them. */
  lastModified: z.number(),
  contentType: z.string(),
  metadata: pairs,
  headers: pairs,
  /** The full-object checksum the writer sent, e.g. `{ algorithm: 'crc32', value: 'base64' }`. */
  checksum: z.object({ algorithm: z.string(), value: z.string() }).optional(),
});

const part = z.object({
  body: z.string(),
  size: z.number().int().nonnegative(),
  etag: z.string(),
  lastModified: z.number(),
});

const savedUpload = z.object({
  uploadId: z.string(),
  key: z.string(),
  initiated: z.number(),
  contentType: z.string(),
  metadata: pairs,
  headers: pairs,
  parts: z.array(z.object({ partNumber: z.number().int(), part })),
});

const savedBucket = z.object({
  name: z.string(),
  region: z.string(),
  /** The account that created the bucket: only it may use the bucket. */
  owner: z.string(),
  created: z.number(),
  objects: z.array(z.object({ key: z.string(), object: storedObject })),
  uploads: z.array(savedUpload),
});

const savedState = z.object({ buckets: z.array(savedBucket) });

export type StoredObject = z.infer<typeof storedObject>;
export type Part = z.infer<typeof part>;
export type SavedState = z.infer<typeof savedState>;

export interface Upload {
  readonly key: string;
  readonly initiated: number;
  readonly contentType: string;
  readonly metadata: [string, string][];
  readonly headers: [string, string][];
  readonly parts: Map<number, Part>;
}

export interface Bucket {
  readonly name: string;
  readonly region: string;
  readonly owner: string;
  readonly created: number;
  readonly objects: Map<string, StoredObject>;
  readonly uploads: Map<string, Upload>;
}

export interface S3State {
  readonly buckets: Map<string, Bucket>;
}

export const STORE_NAME = 's3';

/** The saved state, or an empty one (see loadSavedState). */
export function loadState(store: ServiceStore): S3State {
  const saved = loadSavedState(store, STORE_NAME, savedState, () => ({ buckets: [] }));
  const buckets = new Map<string, Bucket>();
  for (const b of saved.buckets) {
    const uploads = new Map<string, Upload>();
    for (const { uploadId, parts, ...rest } of b.uploads) {
      uploads.set(uploadId, {
        ...rest,
        parts: new Map(parts.map(({ partNumber, part }) => [partNumber, part])),
      });
    }
    buckets.set(b.name, {
      name: b.name,
      region: b.region,
      owner: b.owner,
      created: b.created,
      objects: new Map(b.objects.map(({ key, object }) => [key, object])),
      uploads,
    });
  }
  return { buckets };
}

/** The state as JSON-ready records; shares the (immutable) base64 bodies with the live state. */
export function snapshot(state: S3State): SavedState {
  return {
    buckets: [...state.buckets.values()].map((b) => ({
      name: b.name,
      region: b.region,
      owner: b.owner,
      created: b.created,
      objects: [...b.objects].map(([key, object]) => ({ key, object })),
      uploads: [...b.uploads].map(([uploadId, u]) => ({
        uploadId,
        key: u.key,
        initiated: u.initiated,
        contentType: u.contentType,
        metadata: u.metadata,
        headers: u.headers,
        parts: [...u.parts].map(([partNumber, part]) => ({ partNumber, part })),
      })),
    })),
  };
}

export function saveState(store: ServiceStore, state: S3State): void {
  store.save(STORE_NAME, snapshot(state));
}
