/** `signet doctor`'s report for a terminal: one block per destination, problems with their hints. */
import type { DoctorReport, DestinationReport } from './doctor.js';
import { UNKNOWN_ACCOUNT, type Permission } from '../aws/permissions/log-sinks.js';
import type { CredentialsReport, ProbeReport, ProblemReport } from './doctor-checks.js';

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

const SINK_WORDS: Readonly<Record<string, string>> = {
  cloudwatch_logs: 'CloudWatch Logs',
  s3: 'S3',
  firehose: 'Firehose',
  kinesis: 'Kinesis',
};

function permissionLine(p: Permission, indent: string): string {
  return `${indent}${p.action} on ${p.resources.join(', ')} (${p.why})`;
}

/** When AWS refused the probe (the hint named what is missing): all that `signet run` will need there. */
function permissionLines(probe: ProbeReport): string[] {
  if (!probe.missing) return [];
  const lines: string[] = [];
  if (probe.needs?.length)
    lines.push('    signet run needs:', ...probe.needs.map((p) => permissionLine(p, '      ')));
  const all = [probe.missing, ...(probe.needs ?? [])].flatMap((p) => p.resources);
  if (all.some((arn) => arn.includes(UNKNOWN_ACCOUNT)))
    lines.push(`    (${UNKNOWN_ACCOUNT}: STS did not say which account these credentials are in)`);
  return lines;
}

function destinationLines(d: DestinationReport): string[] {
  const sink = SINK_WORDS[d.kind];
  const lines = [
    `Destination ${d.name}: ${sink && d.resource ? `${sink} ${d.resource}` : d.configuredUrl.split('?')[0]}`,
  ];
  // A logs client's endpoint, once built (until then the URL is only what was configured).
  if (sink && d.url !== d.configuredUrl)
    lines.push(
      `  sent to ${d.url.split('?')[0]}${d.endpointOverride ? ` (${d.endpointOverride} is set)` : ''}`,
    );
  else if (d.endpointOverride)
    lines.push(`  sent to ${d.url.split('?')[0]} (${d.endpointOverride} is set)`);
  const source = d.regionSource ? (REGION_SOURCES[d.regionSource] ?? d.regionSource) : undefined;
  lines.push(
    `  signs as region ${d.region ?? '?'}${source ? ` (from ${source})` : ''}, service ${d.service ?? '?'}`,
  );
  const { probe } = d;
  if (probe.ok)
    lines.push(
      probe.operation
        ? `  ✔ ${probe.operation}: ${probe.found ?? 'accepted'}`
        : `  ✔ signed probe accepted (HTTP ${probe.status})`,
    );
  else if (probe.problem) {
    if (probe.operation) lines.push(`  ${probe.operation}:`);
    lines.push(...problemLines(probe.problem, probe.operation ? '    ' : '  '));
  }
  lines.push(...permissionLines(probe));
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
