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

function destinationLines(d: DestinationReport): string[] {
  const lines = [`Destination ${d.name}: ${d.url.split('?')[0]}`];
  lines.push(
    `  signs as region ${d.region ?? '?'}${d.regionSource ? ` (from ${d.regionSource})` : ''}, service ${d.service ?? '?'}`,
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
