/**
 * The EC2 endpoint (EC2 query protocol), DescribeInstances only, answered from
 * the config's `instances` in ec2.amazonaws.com's XML.
 */
import type { LocalConfig } from '../../config/types.js';
import {
  ServiceError,
  type LocalRequest,
  type LocalService,
  type Operation,
} from '../../service.js';
import { matcher } from './filters.js';
import { decodeToken, encodeToken } from './paging.js';
import { EC2_VERSION, describeInstancesInput, ec2Params } from './params.js';
import { describeInstancesXml } from './xml.js';

const INSTANCE_ID = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;

export function createEc2Service(config: LocalConfig): LocalService {
  return {
    signingName: 'ec2',
    protocol: 'ec2',

    operation(req: LocalRequest): Operation | undefined {
      if (req.path !== '/' || (req.method !== 'POST' && req.method !== 'GET')) return undefined;
      const params = ec2Params(req);
      const action = params.get('Action');
      if (action === 'DescribeInstances')
        return { action: 'ec2:DescribeInstances', resource: '*', name: action };
      // Other query APIs (STS, CloudWatch) share the path; only EC2's version is claimed.
      if (action !== null && params.get('Version') === EC2_VERSION) {
        throw new ServiceError(
          'InvalidAction',
          `The action ${action} is not valid for this web service.`,
        );
      }
      return undefined;
    },

    handle(req: LocalRequest) {
      const input = describeInstancesInput(ec2Params(req));
      for (const id of input.instanceIds) {
        if (!INSTANCE_ID.test(id))
          throw new ServiceError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
      }
      const missing = input.instanceIds.filter(
        (id) => !config.instances.some((i) => i.instanceId === id),
      );
      if (missing.length) {
        const [what, verb] = missing.length > 1 ? ['IDs', 'do'] : ['ID', 'does'];
        throw new ServiceError(
          'InvalidInstanceID.NotFound',
          `The instance ${what} '${missing.join(', ')}' ${verb} not exist`,
        );
      }
      const matches = matcher(input.filters);
      const offset = decodeToken(input);
      if (input.dryRun) {
        throw new ServiceError(
          'DryRunOperation',
          'Request would have succeeded, but DryRun flag is set.',
          412,
        );
      }
      const selected = config.instances.filter(
        (i) =>
          (input.instanceIds.length === 0 || input.instanceIds.includes(i.instanceId)) &&
          matches(i),
      );
      const end = input.maxResults === undefined ? selected.length : offset + input.maxResults;
      const page = selected.slice(offset, end);
      const next = end < selected.length ? encodeToken(input, end) : undefined;
      return {
        status: 200,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: describeInstancesXml(page, next, req.requestId),
      };
    },
  };
}
