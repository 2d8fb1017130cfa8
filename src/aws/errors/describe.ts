/** What `signet doctor` prints for an AWS error. */
import type { AwsError } from './aws-error.js';
import { oneLine } from './sanitize.js';

/** A few lines: code and kind, request id, AWS's words, who was denied what, and the hint. */
export function describeAwsError(error: AwsError): string[] {
  const lines = [
    `${error.code} (${error.kind}, status ${error.status}${error.retryable ? ', retryable' : ''})`,
    `request id: ${error.requestId ?? 'none (the answer may not be from AWS)'}`,
  ];
  const said = oneLine(error.awsMessage, 200);
  if (said) lines.push(`AWS said: ${said}`);
  if (error.kind === 'access-denied' && (error.deniedAction || error.deniedResource)) {
    lines.push(
      `denied: ${error.deniedPrincipal ?? 'caller'} → ${error.deniedAction ?? '?'} on ${error.deniedResource ?? '?'}`,
    );
  }
  lines.push(`what to do: ${error.hint}`);
  return lines;
}
