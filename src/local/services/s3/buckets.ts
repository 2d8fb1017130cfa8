/** Bucket operations: CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, ListBuckets. */
import { accountOf, ServiceError } from '../../service.js';
import { ownerXml, requireBucket, type Handler } from './context.js';
import { malformedXml } from './errors.js';
import { element, parseXml, xmlDocument } from './xml.js';

const US_EAST_1 = 'us-east-1';

/** S3's naming rules for new buckets (general purpose buckets). */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be between 3 and 63 characters long';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name))
    return 'may hold only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not be formatted as an IP address';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name) || /(-s3alias|--ol-s3|--x-s3)$/.test(name))
    return 'uses a prefix or suffix reserved by S3';
  return undefined;
}

/** The LocationConstraint of a CreateBucketConfiguration body, undefined when there is none. */
function locationConstraint(body: Buffer): string | undefined {
  if (body.toString('utf8').trim() === '') return undefined;
  const parsed = parseXml(body);
  if (typeof parsed !== 'object' || parsed === null || !('CreateBucketConfiguration' in parsed))
    throw malformedXml();
  const configuration = parsed.CreateBucketConfiguration;
  if (configuration === '') return undefined;
  if (typeof configuration !== 'object' || configuration === null) throw malformedXml();
  if (!('LocationConstraint' in configuration)) return undefined;
  const constraint = configuration.LocationConstraint;
  if (typeof constraint !== 'string') throw malformedXml();
  return constraint;
}

/** As in AWS, a bucket's region must be the endpoint's: named, except in us-east-1, which takes none. */
function checkRegion(constraint: string | undefined, region: string): void {
  if (constraint === undefined || constraint === '') {
    if (region === US_EAST_1) return;
    throw new ServiceError(
      'IllegalLocationConstraintException',
      `The unspecified location constraint is incompatible for the region specific endpoint this request was sent to (${region}).`,
    );
  }
  if (constraint === US_EAST_1 && region === US_EAST_1) {
    throw new ServiceError(
      'InvalidLocationConstraint',
      'The specified location-constraint is not valid',
      400,
      'Sender',
      { LocationConstraint: constraint },
    );
  }
  if (constraint !== region) {
    throw new ServiceError(
      'IllegalLocationConstraintException',
      `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to (${region}).`,
    );
  }
}

export const createBucket: Handler = (context, request, route, payload) => {
  const { bucket: name } = route;
  const problem = bucketNameProblem(name);
  if (problem !== undefined) {
    throw new ServiceError(
      'InvalidBucketName',
      `The specified bucket is not valid: a bucket name ${problem}.`,
      400,
      'Sender',
      { BucketName: name },
    );
  }
  checkRegion(locationConstraint(payload.body), request.region);
  const existing = context.state.buckets.get(name);
  const account = accountOf(request);
  if (existing !== undefined) {
    throw existing.owner === account
      ? new ServiceError(
          'BucketAlreadyOwnedByYou',
          'Your previous request to create the named bucket succeeded and you already own it.',
          409,
          'Sender',
          { BucketName: name },
        )
      : new ServiceError(
          'BucketAlreadyExists',
          'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
          409,
          'Sender',
          { BucketName: name },
        );
  }
  context.state.buckets.set(name, {
    name,
    region: request.region,
    owner: account,
    created: request.now,
    objects: new Map(),
    uploads: new Map(),
  });
  context.save();
  return { status: 200, headers: { location: `/${name}` } };
};

export const headBucket: Handler = (context, request, route) => {
  const bucket = requireBucket(context, request, route.bucket);
  return {
    status: 200,
    headers: { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' },
  };
};

export const deleteBucket: Handler = (context, request, route) => {
  const bucket = requireBucket(context, request, route.bucket);
  if (bucket.objects.size > 0) {
    throw new ServiceError(
      'BucketNotEmpty',
      'The bucket you tried to delete is not empty',
      409,
      'Sender',
      { BucketName: bucket.name },
    );
  }
  context.state.buckets.delete(bucket.name);
  context.save();
  return { status: 204 };
};

export const getBucketLocation: Handler = (context, request, route) => {
  const bucket = requireBucket(context, request, route.bucket);
  // us-east-1 buckets report an empty constraint, a quirk every SDK expects.
  const constraint = bucket.region === US_EAST_1 ? '' : bucket.region;
  return {
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: xmlDocument('LocationConstraint', constraint),
  };
};

export const listBuckets: Handler = (context, request) => {
  const account = accountOf(request);
  const buckets = [...context.state.buckets.values()]
    .filter((bucket) => bucket.owner === account)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((bucket) =>
      element(
        'Bucket',
        element('Name', bucket.name),
        element('CreationDate', new Date(bucket.created).toISOString()),
        element('BucketRegion', bucket.region),
      ),
    );
  return {
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: xmlDocument('ListAllMyBucketsResult', ownerXml(account), element('Buckets', ...buckets)),
  };
};
