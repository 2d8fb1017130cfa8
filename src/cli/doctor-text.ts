/** `signet doctor`'s report for a terminal: one block per destination, problems with their hints. */
import type { DoctorReport, DestinationReport } from './doctor.js';
import type { CredentialsReport, ProblemReport } from './doctor-checks.js';

const MARK = { used: '✔', skipped: '·', failed: '✘' } as const;

function credentialLines(c: CredentialsReport): string[] {
  const lines = c.chain.map(
    (a) => `  ${MARK[a.outcome]} ${a.source.padEnd(13)} ${a.outcome.padEnd(8)} ${a.detail}`,
  );
  if (c.accessKeyId)
    lines.push(
      `  key ${c.accessKeyId}, ${c.expiration ? `expires ${c.expiration}` : 'does not expire'}`,
    );
  if (c.error) lines.push(`  ✘ ${c.error}`);
  return lines;
}

function problemLines(p: ProblemReport, indent: string): string[] {
  const lines = [`${indent}✘ ${p.message}`];
  if (p.hint) lines.push(`${indent}  → ${p.hint}`);
  return lines;
}

/** Where a region came from, in the words a user would look for. */
const REGION_SOURCES: Readonly<Record<string, string>> = {
  config: 'the config file',
  'command-line': '--region',
  endpoint: "the URL's host",
  profile: 'the profile',
  imds: 'the instance metadata',
};

function destinationLines(d: DestinationReport): string[] {
  const lines = [`Destination ${d.name}: ${d.configuredUrl.split('?')[0]}`];
  if (d.endpointOverride)
    lines.push(`  sent to ${d.url.split('?')[0]} (${d.endpointOverride} is set)`);
  const source = d.regionSource ? (REGION_SOURCES[d.regionSource] ?? d.regionSource) : undefined;
  lines.push(
    `  signs as region ${d.region ?? '?'}${source ? ` (from ${source})` : ''}, service ${d.service ?? '?'}`,
  );
  if (d.probe.ok) lines.push(`  ✔ signed probe accepted (HTTP ${d.probe.status})`);
  else if (d.probe.problem) lines.push(...problemLines(d.probe.problem, '  '));
  return lines;
}

export function renderDoctorText(r: DoctorReport): string {
  const out = ['Credentials', ...credentialLines(r.credentials)];
  if (r.identity) {
    out.push(`Identity     ${r.identity.arn} (account ${r.identity.account})`);
  } else if (r.identityProblem) {
    out.push('Identity', ...problemLines(r.identityProblem, '  '));
  }
  if (r.clockOffsetSeconds !== null) {
    const off = r.clockOffsetSeconds;
    const words =
      off === 0 ? 'in step with AWS' : `${Math.abs(off)} s ${off > 0 ? 'behind' : 'ahead of'} AWS`;
    out.push(
      `Clock        ${words}${Math.abs(off) > 300 ? ' — Signet corrects this, but fix NTP' : ''}`,
    );
  }
  for (const d of r.destinations) {
    if (d.credentials !== r.credentials && d.credentials.source !== r.credentials.source)
      out.push(`Credentials for ${d.name}`, ...credentialLines(d.credentials));
    out.push(...destinationLines(d));
  }
  out.push(r.ok ? 'All checks passed.' : 'Some checks failed: see ✘ above.');
  return out.join('\n');
}
