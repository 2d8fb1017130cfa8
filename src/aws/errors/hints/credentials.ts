/**
 * Hints for credentials AWS will not take: a session token that expired, and
 * an access key id (or its session token) AWS does not know.
 */
import { formatDuration, SKEW_TOLERANCE_MS } from '../skew.js';
import type { HintInput } from './input.js';
import { keyWords, partitionWords, sourceWords, STATIC_SOURCES } from './words.js';

const KEEPS_HAPPENING: Readonly<Record<string, string>> = {
  'web-identity':
    'check that the web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE) is being rotated — a projected service account token that is no longer refreshed yields expired credentials',
  imds: 'check that the instance profile is still attached and that the metadata service is reachable (in containers the IMDSv2 hop limit must be 2 or more)',
  'assume-role':
    "check the credentials used to assume the role, and that the requested duration fits the role's MaxSessionDuration",
  ecs: 'check that the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) answers',
  container:
    'check that the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) answers',
  sso: 'sign in again with `aws sso login`',
  process: 'check that the credential_process prints credentials with a future Expiration',
};

function clockNote(input: HintInput): string {
  const local = input.context.localNow?.getTime();
  if (input.serverDate === undefined || local === undefined) return '';
  const ahead = local - input.serverDate.getTime();
  if (Math.abs(ahead) <= SKEW_TOLERANCE_MS) return '';
  return ` Your clock is also ${formatDuration(ahead)} ${ahead > 0 ? 'ahead of' : 'behind'} AWS's, which makes tokens look fresh when they are not: keep it in sync with NTP.`;
}

export function expiredTokenHint(input: HintInput): string {
  const source = input.context.credentialSource;
  const words = sourceWords(source);
  const clock = clockNote(input);
  if (source !== undefined && STATIC_SOURCES.has(source)) {
    return `The session token from ${words} has expired, and Signet cannot renew credentials it was handed: put fresh ones there, or let Signet use a role, a web identity or the instance profile, which it refreshes by itself.${clock}`;
  }
  const origin = words ? ` from ${words}` : '';
  const advice =
    (source !== undefined ? KEEPS_HAPPENING[source] : undefined) ??
    'check where the credentials come from and when they expire';
  return `The session token${origin} has expired. Signet fetches fresh credentials and sends the request again; if this keeps happening, ${advice}.${clock}`;
}

export function unknownKeyHint(input: HintInput): string {
  const { context, code } = input;
  const key = keyWords(context);
  const region = context.region ?? context.expectedRegion;
  const where = `${partitionWords(region)}${region ? ` (region ${region})` : ''}`;
  const temporary = context.accessKeyId?.startsWith('ASIA') ?? false;
  if (code === 'InvalidToken' || (temporary && /security token/i.test(input.awsMessage))) {
    return `AWS does not accept the session token sent with ${key}: ASIA… keys are temporary and valid only together with the session token issued with them — make sure it is sent, complete and belongs to this key (AWS_SESSION_TOKEN, aws_session_token), or the credentials were revoked; fresh credentials from their source cure it.`;
  }
  if (temporary) {
    return `AWS does not know ${key} in ${where}: ASIA… keys are temporary and need their session token (AWS_SESSION_TOKEN or aws_session_token) — without it, or once revoked, AWS rejects them; they also work only in the partition that issued them.`;
  }
  return `AWS does not know ${key} in ${where}: the key was deleted or deactivated in IAM, or it belongs to another partition (keys from the standard partition do not work in China (cn-*) or GovCloud (us-gov-*), nor the other way round); a long-term AKIA… key also must not be sent with a session token.`;
}
