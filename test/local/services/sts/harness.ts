/** Shared set-up of the STS tests: the fixture config, its identity store and the service. */
import assert from 'node:assert/strict';
import { IdentityStore } from '../../../../src/local/iam/identity-store.js';
import { ServiceError, type LocalRequest, type Principal } from '../../../../src/local/service.js';
import { createStsService } from '../../../../src/local/services/sts/index.js';
import { fixtureConfig } from '../../config/fixture.js';
import { localRequest } from '../../iam/request.js';

export const READER = 'arn:aws:iam::123456789012:role/Reader';
export const PARTNER = 'arn:aws:iam::123456789012:role/Partner';
export const CHAINED = 'arn:aws:iam::123456789012:role/Chained';

export function setup() {
  const config = fixtureConfig();
  const identities = new IdentityStore(config);
  const sts = createStsService(identities, config);
  const principal = (key: string): Principal => identities.lookup(key)!.principal;
  const call = async (req: LocalRequest): Promise<string> => {
    const op = sts.operation(req);
    assert.ok(op, 'STS claims the request');
    const res = await sts.handle(req, op);
    assert.equal(res.status, 200);
    return String(res.body);
  };
  const assume = (key: string | Principal, params: Record<string, string>): Promise<string> =>
    call(
      localRequest({
        form: {
          Action: 'AssumeRole',
          Version: '2011-06-15',
          RoleSessionName: 'test-session',
          ...params,
        },
        principal: typeof key === 'string' ? principal(key) : key,
      }),
    );
  return { config, identities, sts, principal, call, assume };
}

export async function rejects(
  promise: Promise<unknown>,
  code: string,
  message?: RegExp | string,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ServiceError, String(error));
    assert.equal(error.code, code, error.message);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });
}

export function tag(xml: string, name: string): string {
  return (
    new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? assert.fail(`no <${name}> in ${xml}`)
  );
}
