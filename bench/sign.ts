/**
 * Signing benchmark: Signet against @smithy/signature-v4 (the AWS SDK's
 * signer), aws4, and a bare SHA-256 of the body (the floor for large bodies).
 *
 *   npm run bench:sign                 human-readable tables (~35 s)
 *   npm run bench:sign -- --quick      a shorter, noisier run (~10 s)
 *   npm run bench:sign -- --json       one JSON object on stdout, nothing else
 *
 * Every contender does its full work each iteration: a fresh request object
 * (the signers copy or mutate what they are given) and a hash of the body (no
 * precomputed payload hash is handed to anyone). The signing time is fixed so
 * that all of them sign the same thing and the cross-check is exact.
 *
 * The cases, credentials and request builders live in lib/sign-cases.ts, the
 * pre-measurement signature cross-check in lib/sign-cross-check.ts; this file
 * parses the options, runs the contenders and reports.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import aws4 from 'aws4';
import { SigV4Signer } from '../src/aws/sigv4/index.js';
import { runInterleaved, type Contender, type RunOptions } from './lib/interleave.js';
import {
  CASES,
  CREDENTIALS,
  REGION,
  SERVICE,
  SIGNING_DATE,
  SIGNING_MS,
  aws4Request,
  newSmithy,
  signetRequest,
  smithyRequest,
  type BenchCase,
  type CaseName,
} from './lib/sign-cases.js';
import { CrossCheckError, crossCheck } from './lib/sign-cross-check.js';

const CONTENDERS = ['signet', 'smithy', 'aws4', 'sha256'] as const;
type ContenderName = (typeof CONTENDERS)[number];

/** Target ratios from the performance issue; informative, they do not fail the run. */
interface Target {
  readonly caseName: CaseName;
  readonly description: string;
  readonly ratio: (r: Ratios) => number;
  readonly pass: (value: number) => boolean;
  readonly bound: string;
}

const RATIOS = ['smithy/signet', 'aws4/signet', 'signet/sha256'] as const;
type Ratios = Readonly<Record<(typeof RATIOS)[number], number>>;

const TARGETS: readonly Target[] = [
  {
    caseName: 'get',
    description: 'Signet ≥ 8× faster than smithy',
    ratio: (r) => r['smithy/signet'],
    pass: (v) => v >= 8,
    bound: '≥ 8.00',
  },
  {
    caseName: 'get',
    description: 'Signet ≥ 3× faster than aws4',
    ratio: (r) => r['aws4/signet'],
    pass: (v) => v >= 3,
    bound: '≥ 3.00',
  },
  {
    caseName: 'post1m',
    description: 'Signet ≤ 1.10× the bare SHA-256',
    ratio: (r) => r['signet/sha256'],
    pass: (v) => v <= 1.1,
    bound: '≤ 1.10',
  },
];

// ---------------------------------------------------------------------------
// Contenders. Each result feeds `sink`, so no work is provably dead.

let sink = 0;

function contenders(c: BenchCase): Contender[] {
  const signet = new SigV4Signer({ service: SERVICE, region: REGION });
  const smithy = newSmithy();
  const signetOverrides = { signingDate: SIGNING_MS };
  const smithyOptions = { signingDate: SIGNING_DATE };
  const body = c.body ?? '';
  const byName: Record<ContenderName, Contender['batch']> = {
    signet: (n) => {
      for (let i = 0; i < n; i++) {
        const signed = signet.sign(signetRequest(c), CREDENTIALS, signetOverrides);
        sink += signed.headers.authorization?.length ?? 0;
      }
    },
    // smithy's API is asynchronous; awaiting each signature is part of its cost.
    smithy: async (n) => {
      for (let i = 0; i < n; i++) {
        const signed = await smithy.sign(smithyRequest(c), smithyOptions);
        sink += signed.headers.authorization?.length ?? 0;
      }
    },
    aws4: (n) => {
      for (let i = 0; i < n; i++) {
        const signed = aws4.sign(aws4Request(c), CREDENTIALS);
        const auth = signed.headers?.Authorization;
        sink += typeof auth === 'string' ? auth.length : 0;
      }
    },
    sha256: (n) => {
      for (let i = 0; i < n; i++) {
        sink += createHash('sha256').update(body).digest('hex').length;
      }
    },
  };
  return CONTENDERS.map((name) => ({ name, batch: byName[name] }));
}

// ---------------------------------------------------------------------------

interface Options {
  readonly json: boolean;
  readonly run: RunOptions;
  readonly mode: string;
}

function parseArgs(argv: readonly string[]): Options {
  let json = false;
  let quick = false;
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg === '--quick') quick = true;
    else {
      process.stderr.write(`Unknown option ${arg}\nUsage: sign.js [--quick] [--json]\n`);
      process.exit(2);
    }
  }
  // Full: 60 rounds × 4 contenders × 40 ms ≈ 10 s a case, ~35 s with warm-up.
  // Quick: 25 × 4 × 20 ms ≈ 2 s a case, ~9 s in all.
  const run: RunOptions = quick
    ? { rounds: 25, batchMs: 20, warmupMs: 150 }
    : { rounds: 60, batchMs: 40, warmupMs: 300 };
  return { json, run, mode: quick ? 'quick' : 'full' };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const log = options.json ? () => {} : (line = '') => process.stdout.write(line + '\n');
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';

  try {
    for (const c of CASES) await crossCheck(c);
  } catch (err) {
    if (!(err instanceof CrossCheckError)) throw err;
    process.stderr.write(`Cross-check failed: ${err.message}\n`);
    process.exit(1);
  }

  log(
    `Node ${process.version} on ${cpu} (${os.cpus().length} CPUs, ${os.platform()} ${os.arch()})`,
  );
  log(
    `Mode: ${options.mode}: ${options.run.rounds} interleaved rounds of ~${options.run.batchMs} ms batches; median µs per signature`,
  );

  const cases: Record<string, Record<ContenderName, number>> = {};
  const ratios: Record<string, Ratios> = {};
  for (const c of CASES) {
    const stats = await runInterleaved(contenders(c), options.run);
    const us = (name: ContenderName) => stats.get(name)!.median;
    cases[c.name] = {
      signet: round2(us('signet')),
      smithy: round2(us('smithy')),
      aws4: round2(us('aws4')),
      sha256: round2(us('sha256')),
    };
    const r: Ratios = {
      'smithy/signet': us('smithy') / us('signet'),
      'aws4/signet': us('aws4') / us('signet'),
      'signet/sha256': us('signet') / us('sha256'),
    };
    ratios[c.name] = r;

    log();
    log(`${c.name}: ${c.label}`);
    log(`  ${pad('signer', 8)} ${pad('µs/op', 10, true)} ${pad('p25–p75', 21, true)}  ops/batch`);
    for (const name of CONTENDERS) {
      const s = stats.get(name)!;
      const spread = `${s.p25.toFixed(2)}–${s.p75.toFixed(2)}`;
      log(
        `  ${pad(name, 8)} ${pad(s.median.toFixed(2), 10, true)} ${pad(spread, 21, true)}  ${s.opsPerBatch}`,
      );
    }
    log('  ' + RATIOS.map((k) => `${k} ${r[k].toFixed(2)}×`).join('   '));
  }

  const targetResults = TARGETS.map((t) => {
    const value = t.ratio(ratios[t.caseName]!);
    return {
      case: t.caseName,
      target: t.description,
      bound: t.bound,
      value: round2(value),
      pass: t.pass(value),
    };
  });
  log();
  log('Targets (from the issue; informative):');
  for (const t of targetResults) {
    log(
      `  ${pad(t.case, 7)} ${pad(t.target, 34)} ${pad(t.bound, 6)}  got ${t.value.toFixed(2)}×  ${t.pass ? 'PASS' : 'MISS'}`,
    );
  }

  // Consulting the sink keeps every signature observable; it is never 0.
  if (sink === 0) throw new Error('benchmark produced no signatures');

  if (options.json) {
    const roundedRatios = Object.fromEntries(
      Object.entries(ratios).map(([k, r]) => [
        k,
        Object.fromEntries(RATIOS.map((n) => [n, round2(r[n])])),
      ]),
    );
    process.stdout.write(
      JSON.stringify({
        cases,
        ratios: roundedRatios,
        targets: targetResults,
        node: process.version,
        cpu,
        mode: options.mode,
      }) + '\n',
    );
  }
}

await main();
