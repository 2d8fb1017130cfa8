/**
 * Which S3 operation a request calls, read from method, address, query and
 * headers alone (never from state), and the IAM action and ARN it needs.
 */
import type { LocalRequest, Operation } from '../../service.js';
import { ServiceError } from '../../service.js';
import { bucketFromHost, s3Address } from './addressing.js';
import { invalidArgument, notImplemented } from './errors.js';

export type OperationName =
  | 'ListBuckets'
  | 'CreateBucket'
  | 'HeadBucket'
  | 'DeleteBucket'
  | 'GetBucketLocation'
  | 'ListObjects'
  | 'ListObjectsV2'
  | 'PutObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListMultipartUploads';

export interface Route {
  readonly name: OperationName;
  /** Empty for ListBuckets. */
  readonly bucket: string;
  /** Empty for bucket operations. */
  readonly key: string;
  readonly virtualHost: boolean;
}

const ACTIONS: Readonly<Record<OperationName, string>> = {
  ListBuckets: 's3:ListAllMyBuckets',
  CreateBucket: 's3:CreateBucket',
  HeadBucket: 's3:ListBucket',
  DeleteBucket: 's3:DeleteBucket',
  GetBucketLocation: 's3:GetBucketLocation',
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  PutObject: 's3:PutObject',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  DeleteObject: 's3:DeleteObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
};

// Sub-resources this service does not serve: answering them as a plain GET or
// PUT of the bucket or object would silently do the wrong thing.
const UNSUPPORTED_QUERY = new Set([
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'delete',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'logging',
  'metadataTable',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'renameObject',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'session',
  'tagging',
  'torrent',
  'versionId',
  'versioning',
  'versions',
  'website',
]);

// A first path segment S3 could take for a bucket name (legacy names allowed upper case and `_`).
const BUCKET_SEGMENT = /^\/?(?:[A-Za-z0-9._-]+(?:\/|$)|$)/;

/** Whether the request is plainly some other protocol's, which a catch-all must leave alone. */
function isForeign(request: LocalRequest): boolean {
  if (request.headers['x-amz-target'] !== undefined) return true;
  if (request.query.has('Action')) return true;
  const contentType = request.headers['content-type'] ?? '';
  if (request.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded'))
    return true;
  if (request.path.startsWith('/_signet')) return true;
  // In virtual-host style the whole path is the key, which may be anything.
  return bucketFromHost(request.host) === undefined && !BUCKET_SEGMENT.test(request.rawPath);
}

const methodNotAllowed = (method: string): ServiceError =>
  new ServiceError(
    'MethodNotAllowed',
    `The specified method is not allowed against this resource: ${method}`,
    405,
  );

function bucketOperation(request: LocalRequest): OperationName {
  const { method, query } = request;
  switch (method) {
    case 'PUT':
      return 'CreateBucket';
    case 'HEAD':
      return 'HeadBucket';
    case 'DELETE':
      return 'DeleteBucket';
    case 'GET': {
      if (query.has('location')) return 'GetBucketLocation';
      if (query.has('uploads')) return 'ListMultipartUploads';
      const listType = query.get('list-type');
      if (listType === null) return 'ListObjects';
      if (listType === '2') return 'ListObjectsV2';
      throw invalidArgument('Invalid List Type specified in Request', 'list-type', listType);
    }
    case 'POST':
      throw notImplemented('POST on a bucket (DeleteObjects, POST Object)');
    default:
      throw methodNotAllowed(method);
  }
}

function objectOperation(request: LocalRequest): OperationName {
  const { method, query, headers } = request;
  const multipart = query.has('uploadId');
  switch (method) {
    case 'PUT':
      if (headers['x-amz-copy-source'] !== undefined) throw notImplemented('CopyObject');
      if (multipart || query.has('partNumber')) return 'UploadPart';
      return 'PutObject';
    case 'GET':
    case 'HEAD':
      if (multipart) throw notImplemented('ListParts');
      if (query.has('partNumber')) throw notImplemented('GetObject by part number');
      return method === 'GET' ? 'GetObject' : 'HeadObject';
    case 'DELETE':
      return multipart ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'POST':
      if (query.has('uploads')) return 'CreateMultipartUpload';
      if (multipart) return 'CompleteMultipartUpload';
      throw notImplemented('POST on an object');
    default:
      throw methodNotAllowed(method);
  }
}

/** The operation a request calls, or undefined when it is not an S3 REST request. */
export function route(request: LocalRequest): Route | undefined {
  if (isForeign(request)) return undefined;
  const { bucket, key, virtualHost } = s3Address(request);
  for (const name of request.query.keys()) {
    if (UNSUPPORTED_QUERY.has(name)) throw notImplemented(`the ?${name} sub-resource`);
  }
  if (bucket === undefined) {
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    return { name: 'ListBuckets', bucket: '', key: '', virtualHost };
  }
  if (key === undefined) return { name: bucketOperation(request), bucket, key: '', virtualHost };
  return { name: objectOperation(request), bucket, key, virtualHost };
}

/** The IAM side of a route: action, and the bucket's or object's ARN. */
export function toOperation(r: Route): Operation {
  const resource =
    r.name === 'ListBuckets'
      ? '*'
      : r.key === ''
        ? `arn:aws:s3:::${r.bucket}`
        : `arn:aws:s3:::${r.bucket}/${r.key}`;
  return { action: ACTIONS[r.name], resource, name: r.name };
}
