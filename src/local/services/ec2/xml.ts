/** DescribeInstances' XML, in the element order ec2.amazonaws.com (API 2016-11-15) writes. */
import { createHash } from 'node:crypto';
import type { InstanceConfig, InstanceState } from '../../config/types.js';
import { stableId } from '../../iam/ids.js';

const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

const STATE_CODES: Record<InstanceState, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export function stateCode(state: InstanceState): number {
  return STATE_CODES[state];
}

function esc(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function el(name: string, value: string | number | undefined): string {
  return value === undefined || value === ''
    ? `<${name}/>`
    : `<${name}>${esc(String(value))}</${name}>`;
}

/** One reservation per instance; its id is derived from the instance so it is stable across calls. */
function reservationId(instanceId: string): string {
  return 'r-' + createHash('sha256').update(instanceId).digest('hex').slice(0, 17);
}

function regionOf(az: string): string {
  return az.replace(/[a-z]$/, '');
}

/** EC2's DNS names: us-east-1 has its own domain, every other region its name inside one. */
function dnsNames(i: InstanceConfig): { privateDns: string; publicDns: string | undefined } {
  const region = regionOf(i.availabilityZone);
  const east = region === 'us-east-1';
  const dashed = (ip: string): string => ip.replace(/\./g, '-');
  return {
    privateDns: `ip-${dashed(i.privateIp)}.${east ? 'ec2.internal' : `${region}.compute.internal`}`,
    publicDns:
      i.publicIp === undefined
        ? undefined
        : `ec2-${dashed(i.publicIp)}.${east ? 'compute-1' : `${region}.compute`}.amazonaws.com`,
  };
}

function profile(i: InstanceConfig): string {
  if (i.role === undefined) return '';
  const name = i.role.slice(i.role.lastIndexOf('/') + 1);
  const arn = `arn:aws:iam::${i.accountId}:instance-profile/${name}`;
  return `<iamInstanceProfile>${el('arn', arn)}${el('id', stableId('AIPA', arn))}</iamInstanceProfile>`;
}

function tagSet(tags: Readonly<Record<string, string>>): string {
  const items = Object.entries(tags).map(
    ([k, v]) => `<item>${el('key', k)}${el('value', v)}</item>`,
  );
  return items.length ? `<tagSet>${items.join('')}</tagSet>` : '';
}

function instanceXml(i: InstanceConfig): string {
  const { privateDns, publicDns } = dnsNames(i);
  return (
    '<item>' +
    el('instanceId', i.instanceId) +
    el('imageId', i.imageId) +
    `<instanceState>${el('code', stateCode(i.state))}${el('name', i.state)}</instanceState>` +
    el('privateDnsName', privateDns) +
    el('dnsName', publicDns) +
    el('reason', '') +
    el('amiLaunchIndex', 0) +
    '<productCodes/>' +
    el('instanceType', i.instanceType) +
    el('launchTime', i.launchTime) +
    `<placement>${el('availabilityZone', i.availabilityZone)}${el('groupName', '')}${el('tenancy', 'default')}</placement>` +
    `<monitoring>${el('state', 'disabled')}</monitoring>` +
    el('subnetId', i.subnetId) +
    el('vpcId', i.vpcId) +
    el('privateIpAddress', i.privateIp) +
    (i.publicIp === undefined ? '' : el('ipAddress', i.publicIp)) +
    '<groupSet/>' +
    el('architecture', 'x86_64') +
    el('rootDeviceType', 'ebs') +
    el('rootDeviceName', '/dev/xvda') +
    '<blockDeviceMapping/>' +
    el('virtualizationType', 'hvm') +
    tagSet(i.tags) +
    profile(i) +
    el('hypervisor', 'xen') +
    '</item>'
  );
}

export function describeInstancesXml(
  instances: readonly InstanceConfig[],
  nextToken: string | undefined,
  requestId: string,
): string {
  const reservations = instances.map(
    (i) =>
      '<item>' +
      el('reservationId', reservationId(i.instanceId)) +
      el('ownerId', i.accountId) +
      '<groupSet/>' +
      `<instancesSet>${instanceXml(i)}</instancesSet>` +
      '</item>',
  );
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<DescribeInstancesResponse xmlns="${NS}">` +
    el('requestId', requestId) +
    (reservations.length
      ? `<reservationSet>${reservations.join('')}</reservationSet>`
      : '<reservationSet/>') +
    (nextToken === undefined ? '' : el('nextToken', nextToken)) +
    '</DescribeInstancesResponse>'
  );
}
