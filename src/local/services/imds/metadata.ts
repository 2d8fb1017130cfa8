/**
 * The metadata tree of the config's `self` instance: leaf paths under
 * `/latest/` and the directory listings IMDS derives from them.
 */
import type { InstanceConfig } from '../../config/types.js';
import { stableId } from '../../iam/ids.js';
import { isoSeconds, type RoleCredentialSource } from '../../iam/role-credentials.js';

/** Leaf path (relative to `/latest/`) → its content, computed on read. */
export type MetadataTree = ReadonlyMap<string, (now: number) => string>;

function regionOf(az: string): string {
  return az.replace(/[a-z]$/, '');
}

function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** `credentials` is the instance profile's role, when the instance has one. */
export function metadataTree(
  instance: InstanceConfig,
  credentials: RoleCredentialSource | undefined,
): MetadataTree {
  const region = regionOf(instance.availabilityZone);
  const domain = region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
  const hostname = `ip-${instance.privateIp.replace(/\./g, '-')}.${domain}`;
  const tree = new Map<string, (now: number) => string>([
    ['meta-data/ami-id', () => instance.imageId],
    ['meta-data/hostname', () => hostname],
    ['meta-data/instance-id', () => instance.instanceId],
    ['meta-data/instance-type', () => instance.instanceType],
    ['meta-data/local-hostname', () => hostname],
    ['meta-data/local-ipv4', () => instance.privateIp],
    ['meta-data/placement/availability-zone', () => instance.availabilityZone],
    ['meta-data/placement/region', () => region],
    [
      'dynamic/instance-identity/document',
      () =>
        pretty({
          accountId: instance.accountId,
          architecture: 'x86_64',
          availabilityZone: instance.availabilityZone,
          billingProducts: null,
          devpayProductCodes: null,
          marketplaceProductCodes: null,
          imageId: instance.imageId,
          instanceId: instance.instanceId,
          instanceType: instance.instanceType,
          kernelId: null,
          pendingTime: isoSeconds(Date.parse(instance.launchTime)),
          privateIp: instance.privateIp,
          ramdiskId: null,
          region,
          version: '2017-09-30',
        }),
    ],
  ]);
  if (instance.publicIp !== undefined)
    tree.set('meta-data/public-ipv4', () => instance.publicIp ?? '');
  if (credentials) {
    const role = credentials.role;
    const profileArn = `arn:aws:iam::${instance.accountId}:instance-profile/${role.name}`;
    tree.set('meta-data/iam/info', (now) => {
      const c = credentials.get(now);
      return pretty({
        Code: 'Success',
        LastUpdated: isoSeconds(c.issuedAt),
        InstanceProfileArn: profileArn,
        InstanceProfileId: stableId('AIPA', profileArn),
      });
    });
    tree.set(`meta-data/iam/security-credentials/${role.name}`, (now) => {
      const c = credentials.get(now);
      return pretty({
        Code: 'Success',
        LastUpdated: isoSeconds(c.issuedAt),
        Type: 'AWS-HMAC',
        AccessKeyId: c.record.accessKeyId,
        SecretAccessKey: c.record.secretAccessKey,
        Token: c.record.sessionToken,
        Expiration: isoSeconds(c.expiresAt),
      });
    });
  }
  return tree;
}

/**
 * A leaf's content, or a directory's listing (children one per line, sub-
 * directories with a trailing slash), or undefined when nothing is there.
 */
export function readMetadata(tree: MetadataTree, path: string, now: number): string | undefined {
  const leaf = tree.get(path);
  if (leaf) return leaf(now);
  const prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
  const children = new Set<string>();
  for (const key of tree.keys()) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const slash = rest.indexOf('/');
    children.add(slash < 0 ? rest : rest.slice(0, slash + 1));
  }
  return children.size ? [...children].sort().join('\n') : undefined;
}
