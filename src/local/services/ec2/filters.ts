/**
 * DescribeInstances' filters: values of one filter are alternatives, separate
 * filters must all hold, and values may use `*` and `?` as EC2 allows.
 */
import type { InstanceConfig } from '../../config/types.js';
import { wildcardMatch } from '../../iam/policy.js';
import { ServiceError } from '../../service.js';
import type { Filter } from './params.js';
import { stateCode } from './xml.js';

/** What each supported filter name reads from an instance; undefined means the instance has no value. */
const FIELDS: Record<string, (i: InstanceConfig) => readonly (string | undefined)[]> = {
  'instance-id': (i) => [i.instanceId],
  'instance-state-name': (i) => [i.state],
  'instance-state-code': (i) => [String(stateCode(i.state))],
  'instance-type': (i) => [i.instanceType],
  'availability-zone': (i) => [i.availabilityZone],
  'image-id': (i) => [i.imageId],
  'vpc-id': (i) => [i.vpcId],
  'subnet-id': (i) => [i.subnetId],
  'private-ip-address': (i) => [i.privateIp],
  'ip-address': (i) => [i.publicIp],
  'owner-id': (i) => [i.accountId],
  'tag-key': (i) => Object.keys(i.tags),
  'tag-value': (i) => Object.values(i.tags),
};

function fieldOf(name: string): (i: InstanceConfig) => readonly (string | undefined)[] {
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return (i) => [Object.hasOwn(i.tags, key) ? i.tags[key] : undefined];
  }
  const field = FIELDS[name];
  if (!field) throw new ServiceError('InvalidParameterValue', `The filter '${name}' is invalid`);
  return field;
}

/** A predicate for all `filters`; throws InvalidParameterValue for an unknown filter name. */
export function matcher(filters: readonly Filter[]): (instance: InstanceConfig) => boolean {
  const checks = filters.map((f) => ({ field: fieldOf(f.name), values: f.values }));
  return (instance) =>
    checks.every(({ field, values }) =>
      field(instance).some(
        (actual) => actual !== undefined && values.some((v) => wildcardMatch(v, actual)),
      ),
    );
}
