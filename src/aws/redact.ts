/**
 * Masks a credential for display: `AKIAIOSFODNN7EXAMPLE` → `AKIA…MPLE`. Short
 * values are masked whole, so nothing secret can be read back from the mask.
 */
export function maskCredential(value: string): string {
  if (value.length < 16) return '…';
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

/** Replaces every occurrence of each secret in a text with its mask. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join(maskCredential(secret));
  }
  return out;
}
