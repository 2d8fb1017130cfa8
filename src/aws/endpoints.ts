/**
 * Works out the SigV4 signing service and region from an AWS host name, so a
 * user can configure a destination by URL alone. The SDKs go the other way
 * (service + region -> host) from a large generated rule set; we only need the
 * inverse for the host shapes AWS actually publishes, so a few structural rules
 * plus a short table of exceptions cover it without shipping endpoint data.
 */

export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn' | 'aws-iso' | 'aws-iso-b';

export interface InferredEndpoint {
  /** The SigV4 *signing name*, e.g. 'aps' for aps-workspaces hosts. */
  service: string;
  /** Undefined when the host has none (global endpoints resolve to their signing region). */
  region: string | undefined;
  partition: Partition;
  fips: boolean;
  dualstack: boolean;
  /** A VPC interface endpoint host. */
  vpce: boolean;
  /** For S3 virtual-hosted style: the bucket name in the host, if any. */
  bucket?: string;
}

// The compass part is a closed set on purpose: a looser `[a-z]+-\d+` would
// take bucket names such as `my-bucket-1` for regions. The optional middle
// part names the partition (us-gov-west-1, us-iso-east-1, us-isob-east-1).
const REGION_RE =
  /^[a-z]{2}-(?:gov-|iso[a-z]?-)?(?:central|north|south|(?:north|south)?(?:east|west))-\d{1,2}$/;

/** Region-code check: us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1, il-central-1 ... */
export function isRegionCode(value: string): boolean {
  return REGION_RE.test(value);
}

export function partitionOf(region: string): Partition {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

interface Domain {
  readonly suffix: string;
  /** The partitions whose regions are served under this suffix; the first is assumed when the host names no region. */
  readonly partitions: readonly Partition[];
  /** The newer dual-stack suffixes (api.aws, api.amazonwebservices.com.cn) imply IPv6 without a `dualstack` label. */
  readonly dualstack: boolean;
}

const DOMAINS: readonly Domain[] = [
  { suffix: '.amazonaws.com', partitions: ['aws', 'aws-us-gov'], dualstack: false },
  { suffix: '.api.aws', partitions: ['aws', 'aws-us-gov'], dualstack: true },
  // Lambda function URLs and VPC Lattice services live here and are SigV4-signed.
  { suffix: '.on.aws', partitions: ['aws', 'aws-us-gov'], dualstack: false },
  { suffix: '.amazonaws.com.cn', partitions: ['aws-cn'], dualstack: false },
  { suffix: '.api.amazonwebservices.com.cn', partitions: ['aws-cn'], dualstack: true },
  { suffix: '.c2s.ic.gov', partitions: ['aws-iso'], dualstack: false },
  { suffix: '.sc2s.sgov.gov', partitions: ['aws-iso-b'], dualstack: false },
];

/**
 * Endpoint prefixes whose signing name differs, taken from the services' own
 * models (`endpointPrefix` vs `signingName`). Only cases we are sure of: a
 * wrong name here yields signatures AWS rejects, whereas an unknown prefix
 * already falls back to itself, which is right for most services.
 */
const SIGNING_NAMES: ReadonlyMap<string, string> = new Map([
  ['aps-workspaces', 'aps'], // Amazon Managed Service for Prometheus data plane
  ['email', 'ses'],
  ['appsync-api', 'appsync'], // AppSync GraphQL endpoints with IAM auth
  ['lambda-url', 'lambda'], // Lambda function URLs with AWS_IAM auth
  ['s3-accesspoint', 's3'],
  ['s3-control', 's3'],
  ['s3-global', 's3'], // multi-Region access points (SigV4a, no region)
  // Multi-label prefixes (streams.dynamodb, runtime.sagemaker, api.ecr, ...)
  // need no entry: the label next to the region is already the signing name.
]);

/** The IoT data plane (`data.iot`, `data-ats.iot`, `<id>-ats.iot`) signs as `iotdata`; the control plane as `iot`. */
function iotSigningName(prefixLabel: string | undefined): string {
  return prefixLabel === 'data' || prefixLabel?.endsWith('-ats') ? 'iotdata' : 'iot';
}

/** Region-less endpoints and the region their requests are signed for, per partition. */
const GLOBAL_SIGNING_REGIONS: Readonly<
  Partial<Record<Partition, Readonly<Record<string, string>>>>
> = {
  aws: {
    s3: 'us-east-1',
    sts: 'us-east-1',
    iam: 'us-east-1',
    route53: 'us-east-1',
    cloudfront: 'us-east-1',
  },
  'aws-us-gov': { iam: 'us-gov-west-1', route53: 'us-gov-west-1' },
  'aws-cn': { route53: 'cn-northwest-1' },
};

// Services whose hosts put the customer resource and the region *before* the
// service label (search-domain.us-east-1.es.amazonaws.com). Kept to a list so
// that customer hosts of the same shape that are not signed API endpoints
// (EC2 public DNS `*.us-west-2.compute`, load balancers `*.us-east-1.elb`)
// are not mistaken for services.
const REGION_FIRST_SERVICES: ReadonlySet<string> = new Set(['es', 'aoss', 'osis']);

// S3 PrivateLink hosts carry one of these keywords before the endpoint id to
// select what the endpoint addresses; a bucket name may precede `bucket`.
const S3_VPCE_KINDS: ReadonlySet<string> = new Set(['bucket', 'accesspoint', 'control']);

const LABEL_RE = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;
const VPCE_ID_RE = /^vpce-[0-9a-z]+(?:-[0-9a-z]+)+$/;
// Legacy S3 hosts join service and region with a dash: s3-us-west-2, s3-fips-us-gov-west-1, s3-external-1.
const LEGACY_S3_RE = /^s3(-fips)?-(.+)$/;

function normalize(host: string): string | undefined {
  let name = host.trim().toLowerCase();
  // Tolerate a port even though callers should pass a bare host: the Host
  // header carries one for non-default ports. IPv6 literals are never AWS hosts.
  name = name.replace(/:\d+$/, '');
  if (name.endsWith('.')) name = name.slice(0, -1);
  return name === '' || name.includes(':') ? undefined : name;
}

/**
 * Infers signing service and region from an AWS host name (case-insensitive,
 * trailing dot allowed). Returns undefined for a host that is not an AWS
 * service host (e.g. localhost, example.com, a custom domain).
 */
export function inferEndpoint(host: string): InferredEndpoint | undefined {
  const name = normalize(host);
  if (name === undefined) return undefined;
  const domain = DOMAINS.find((d) => name.endsWith(d.suffix));
  if (domain === undefined) return undefined;
  const labels = name.slice(0, -domain.suffix.length).split('.');
  if (!labels.every((l) => LABEL_RE.test(l))) return undefined;

  let dualstack = domain.dualstack;
  let fips = false;
  let region: string | undefined;
  let partition: Partition | undefined;
  let serviceLabel: string | undefined;

  const vpce = labels.at(-1) === 'vpce';
  if (vpce) labels.pop();

  // GovCloud's global IAM and Route 53 endpoints use a pseudo-region label.
  if (labels.at(-1) === 'us-gov' && domain.suffix === '.amazonaws.com') {
    labels.pop();
    partition = 'aws-us-gov';
  }

  const last = labels.at(-1) ?? '';
  const beforeLast = labels.at(-2) ?? '';
  if (isRegionCode(last)) {
    region = labels.pop();
    if (labels.at(-1) === 'dualstack') {
      dualstack = true;
      labels.pop();
    }
    serviceLabel = labels.pop();
  } else if (isRegionCode(beforeLast) && REGION_FIRST_SERVICES.has(last.replace(/-fips$/, ''))) {
    serviceLabel = labels.pop();
    region = labels.pop();
  } else {
    serviceLabel = labels.pop();
    const legacy = serviceLabel === undefined ? null : LEGACY_S3_RE.exec(serviceLabel);
    const legacyRegion = legacy?.[2] === 'external-1' ? 'us-east-1' : legacy?.[2];
    if (legacy && legacyRegion !== undefined && isRegionCode(legacyRegion)) {
      serviceLabel = 's3';
      region = legacyRegion;
      fips = legacy[1] !== undefined;
    }
  }
  if (serviceLabel?.endsWith('-fips')) {
    fips = true;
    serviceLabel = serviceLabel.slice(0, -'-fips'.length);
  }
  // Not service APIs: EC2 public DNS names in us-east-1 (ec2-1-2-3-4.compute-1)
  // are instances, and S3 website endpoints serve anonymous reads only.
  if (!serviceLabel || /^(?:compute-\d+|s3-website(?:-.*)?)$/.test(serviceLabel)) return undefined;
  // A region anywhere else means a shape we do not know (EC2 instance names,
  // load balancers, ...); guessing would sign for the wrong service. Bucket
  // names are exempt: `us-east-1` is a legal one.
  const holdsBucket = serviceLabel === 's3' || serviceLabel.startsWith('s3express');
  if (!holdsBucket && labels.some(isRegionCode)) return undefined;

  if (region !== undefined) {
    partition = partitionOf(region);
    // A region from another partition's domain (cn-north-1 under .amazonaws.com) does not exist.
    if (!domain.partitions.includes(partition)) return undefined;
  }
  partition ??= domain.partitions[0] ?? 'aws';
  if (region === undefined && !vpce) region = GLOBAL_SIGNING_REGIONS[partition]?.[serviceLabel];

  let service: string;
  if (serviceLabel === 'iot') service = iotSigningName(labels.at(-1));
  // S3 Express One Zone hosts embed the zone id: s3express-usw2-az1, s3express-control.
  else if (serviceLabel.startsWith('s3express')) service = 's3express';
  else service = SIGNING_NAMES.get(serviceLabel) ?? serviceLabel;

  let bucketLabels: string[] = [];
  if (vpce) {
    // Interface endpoint names always lead with the endpoint id (optionally
    // suffixed with an AZ); without it this is no real VPC endpoint host.
    const id = labels.pop();
    if (id === undefined || !VPCE_ID_RE.test(id)) return undefined;
    if (serviceLabel === 's3') {
      const kind = labels.pop();
      if (kind !== undefined && !S3_VPCE_KINDS.has(kind)) return undefined;
      // `bucket.vpce-…` alone is the path-style endpoint: the bucket is in the path, not the host.
      if (kind === 'bucket') bucketLabels = labels;
    }
  } else if (holdsBucket) {
    // Bucket names may themselves contain dots, so everything left of the service is the bucket.
    bucketLabels = labels;
  }

  const endpoint: InferredEndpoint = { service, region, partition, fips, dualstack, vpce };
  if (bucketLabels.length > 0) endpoint.bucket = bucketLabels.join('.');
  return endpoint;
}
