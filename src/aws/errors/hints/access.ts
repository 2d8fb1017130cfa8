/**
 * An access-denied hint: who may not do what on which resource, and which
 * policy to change — an identity policy by default, or the one AWS blames
 * (an explicit deny, a resource policy, an SCP, a boundary, a session policy).
 */
import { guessAction, policyHolder } from '../denied.js';
import type { HintInput } from './input.js';
import { keyWords } from './words.js';

function who(input: HintInput): { name: string; holder: string | undefined } {
  const principal = input.denial.principal ?? input.context.identityArn;
  if (principal) return { name: principal, holder: policyHolder(principal) };
  return { name: `the identity behind ${keyWords(input.context)}`, holder: undefined };
}

function fix(
  reason: string | undefined,
  action: string,
  resource: string | undefined,
  holder: string,
): string {
  const statement = `an IAM policy statement allowing ${action}${resource ? ` on ${resource}` : ''}`;
  if (!reason || /no identity-based policy/i.test(reason)) return `add ${statement} to ${holder}`;
  if (/explicit deny in a service control policy/i.test(reason))
    return `a service control policy of your AWS Organization denies it: ask the organization's administrators, an Allow in ${holder}'s policies cannot override it`;
  if (/explicit deny in a resource control policy/i.test(reason))
    return "a resource control policy of your AWS Organization denies it: ask the organization's administrators";
  if (/explicit deny in a resource-based policy/i.test(reason))
    return `the resource's own policy (bucket policy, key policy, API resource policy) denies it: change its Deny statement`;
  if (/explicit deny in a permissions boundary/i.test(reason))
    return `the permissions boundary on ${holder} denies it: change the boundary`;
  if (/explicit deny in a session policy/i.test(reason))
    return 'the session policy passed when the role was assumed denies it: widen the session policy';
  if (/explicit deny in a VPC endpoint policy/i.test(reason))
    return "the VPC endpoint's policy denies it: change the endpoint policy";
  if (/explicit deny/i.test(reason))
    return `an IAM policy attached to ${holder} explicitly denies it: remove or narrow that Deny statement (no Allow overrides a Deny)`;
  if (/no resource-based policy/i.test(reason))
    return `the resource's policy (bucket policy, key policy, API resource policy) does not allow ${holder}: add it there — across accounts both that policy and ${statement} are needed`;
  if (/no permissions boundary/i.test(reason))
    return `the permissions boundary on ${holder} does not allow ${action}: widen the boundary`;
  if (/no session policy/i.test(reason))
    return `the session policy passed when the role was assumed does not allow ${action}: widen it`;
  if (/no VPC endpoint policy/i.test(reason))
    return `the VPC endpoint's policy does not allow ${action}: add it to the endpoint policy`;
  return `add ${statement} to ${holder}`;
}

export function accessDeniedHint(input: HintInput): string {
  const { denial, context } = input;
  const principal = who(input);
  if (denial.principal === 'anonymous') {
    return `AWS treated the request as anonymous (unsigned): the API's resource policy allows only signed callers — make sure the route uses AWS_IAM authorization and Signet signs for service execute-api in the API's region.`;
  }
  const guessed = denial.action === undefined;
  const action =
    denial.action ?? guessAction(context.service, context.method, context.url) ?? 'the action';
  const resource = denial.resource;
  const holder = principal.holder ?? 'the user or role these credentials belong to';
  const actionWords =
    guessed && action !== 'the action'
      ? `${action} (guessed from the request: AWS did not name it)`
      : action;
  const parts = [
    `${principal.name} may not perform ${actionWords}${resource ? ` on ${resource}` : ''}: ${fix(denial.reason, action, resource, holder)}${resource ? '' : ' (on the resource the request names, or Resource "*" for actions that take none)'}.`,
  ];
  if (/^sts:AssumeRole/.test(action))
    // A cross-account role usually demands an external id too; a wrong one is refused the same way.
    parts.push(
      `The role's trust policy must also allow ${principal.name} to assume it, and if it requires an external id (sts:ExternalId), external_id must be exactly that value.`,
    );
  if (denial.encoded)
    parts.push(
      'AWS attached an encoded explanation: `aws sts decode-authorization-message --encoded-message …` (needs sts:DecodeAuthorizationMessage) shows which statement decided.',
    );
  return parts.join(' ');
}
