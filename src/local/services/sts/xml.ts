/** STS's XML answers, element for element as sts.amazonaws.com writes them. */
import { isoSeconds } from '../../iam/role-credentials.js';
import type { KeyRecord } from '../../iam/identity-store.js';
import type { LocalResponse, Principal } from '../../service.js';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `<Name>escaped value</Name>` for each entry, in order. */
export function elements(entries: readonly (readonly [string, string])[]): string {
  return entries.map(([name, value]) => `<${name}>${xmlEscape(value)}</${name}>`).join('');
}

function answer(operation: string, result: string, requestId: string): LocalResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `<${operation}Response xmlns="${NS}">` +
      `<${operation}Result>${result}</${operation}Result>` +
      `<ResponseMetadata><RequestId>${xmlEscape(requestId)}</RequestId></ResponseMetadata>` +
      `</${operation}Response>`,
  };
}

function credentials(record: KeyRecord): string {
  return `<Credentials>${elements([
    ['AccessKeyId', record.accessKeyId],
    ['SecretAccessKey', record.secretAccessKey],
    ['SessionToken', record.sessionToken ?? ''],
    ['Expiration', isoSeconds(record.expiresAt ?? 0)],
  ])}</Credentials>`;
}

function assumedRoleUser(principal: Principal): string {
  return `<AssumedRoleUser>${elements([
    ['AssumedRoleId', principal.userId],
    ['Arn', principal.arn],
  ])}</AssumedRoleUser>`;
}

export function callerIdentityXml(principal: Principal, requestId: string): LocalResponse {
  const result = elements([
    ['Arn', principal.arn],
    ['UserId', principal.userId],
    ['Account', principal.accountId],
  ]);
  return answer('GetCallerIdentity', result, requestId);
}

export function assumeRoleXml(record: KeyRecord, requestId: string): LocalResponse {
  return answer('AssumeRole', credentials(record) + assumedRoleUser(record.principal), requestId);
}

export function webIdentityXml(
  record: KeyRecord,
  token: { subject: string; audience: string; provider: string },
  requestId: string,
): LocalResponse {
  const result =
    credentials(record) +
    elements([['SubjectFromWebIdentityToken', token.subject]]) +
    assumedRoleUser(record.principal) +
    elements([
      ['Provider', token.provider],
      ['Audience', token.audience],
    ]);
  return answer('AssumeRoleWithWebIdentity', result, requestId);
}
