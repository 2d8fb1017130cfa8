/**
 * Amazon S3 for `signet local`: path- and virtual-host-style REST requests,
 * buckets, objects, listing and multipart uploads, kept in the service store.
 * S3 is the catch-all: the core asks it last, and it claims whatever looks
 * like S3 REST.
 */
import type { LocalRequest, LocalService, Operation, ServiceStore } from '../../service.js';
import {
  createBucket,
  deleteBucket,
  getBucketLocation,
  headBucket,
  listBuckets,
} from './buckets.js';
import type { Handler, S3Context } from './context.js';
import { listObjects, listObjectsV2 } from './list.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listMultipartUploads,
  uploadPart,
} from './multipart.js';
import { deleteObject, getObject, headObject, putObject } from './objects.js';
import { route, toOperation, type OperationName } from './operations.js';
import { readPayload } from './payload.js';
import { loadState, saveState } from './state.js';

export interface S3Options {
  /** The smallest multipart part but the last, 5 MiB as in S3; tests make it small. */
  readonly minPartSize?: number;
}

export const DEFAULT_MIN_PART_SIZE = 5 * 1024 * 1024;

const HANDLERS: Readonly<Record<OperationName, Handler>> = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListMultipartUploads: listMultipartUploads,
};

export function createS3Service(store: ServiceStore, options: S3Options = {}): LocalService {
  const state = loadState(store);
  const context: S3Context = {
    state,
    minPartSize: options.minPartSize ?? DEFAULT_MIN_PART_SIZE,
    save: () => saveState(store, state),
  };
  return {
    signingName: 's3',
    protocol: 'rest-xml',
    operation(request: LocalRequest): Operation | undefined {
      const found = route(request);
      return found === undefined ? undefined : toOperation(found);
    },
    handle(request: LocalRequest) {
      // The route is recomputed (it is pure) because Operation carries no bucket or key.
      const found = route(request);
      if (found === undefined) throw new Error('S3 was asked to handle a request it did not claim');
      // Every payload is checked, so a bad hash or checksum fails whatever the operation.
      return HANDLERS[found.name](context, request, found, readPayload(request));
    },
  };
}
