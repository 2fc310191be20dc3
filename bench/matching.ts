/**
 * Whole-fleet matching on SQLite and PostgreSQL: a demo fleet (bench/support/demo-fleet.ts) of
 * `--hosts N` hosts (default 10,000; `--quick` = 1,000) × ~1,500 OS packages, plus language packages on
 * some hosts, against the real OSV exports of shared/data/osv (enlarged with clones for the fleet's
 * releases without data). Prints the advisory import, the fleet load and matchFleet's stages, each
 * phase in its own process so each peak RSS is its own. Target: match ≤ 30 s, peak RSS ≤ 2 GiB.
 *
 * Run: npm run bench matching -- [--hosts N | --quick] [--backend sqlite|postgres] [--seed S] [--rematch]
 * (`--rematch` matches a second time with nothing changed — the daily steady state — and prints
 * what it wrote: nothing per finding, one `matched_at` per asset.)
 */
import { fileURLToPath } from 'node:url';
import { parseBackend, toLocation, withBackend } from './support/backend.js';
import { type PhaseFigures, runAdvisoriesPhase, runLoadPhase, runMatchPhase } from './support/fleet-store.js';
import { getFlagValue, runFleetPhase } from './support/phase-process.js';

const TARGET_SECONDS = 30;
const TARGET_RSS_MIB = 2048;
const PHASES = { advisories: runAdvisoriesPhase, load: runLoadPhase, match: runMatchPhase } as const;
type Phase = keyof typeof PHASES;

interface Args {
  hosts: number;
  seed: number;
  backends: Array<'sqlite' | 'postgres'>;
  rematch: boolean;
  phase?: Phase;
  location?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (flag: string) => getFlagValue(argv, flag);
  const hosts = argv.includes('--quick') ? 1000 : Number(value('--hosts') ?? 10_000);
  const backend = value('--backend');
  const args: Args = {
    hosts,
    seed: Number(value('--seed') ?? 42),
    rematch: argv.includes('--rematch'),
    backends: parseBackend(backend)
      ? [parseBackend(backend) as 'sqlite' | 'postgres']
      : ['sqlite', 'postgres'],
  };
  const phase = value('--phase');
  if (phase && phase in PHASES) args.phase = phase as Phase;
  const location = value('--location');
  if (location) args.location = location;
  return args;
}

/** Runs one phase in a fresh process; its last stdout line is the figures as JSON. */
function runPhase(phase: Phase, location: string, args: Args): PhaseFigures {
  return runFleetPhase(
    fileURLToPath(import.meta.url),
    phase,
    location,
    args,
    args.rematch ? ['--rematch'] : [],
  );
}

const rate = (n: number, s: number) => (s > 0 ? Math.round(n / s).toLocaleString('en') : '-');
const fmt = (n: number) => n.toLocaleString('en');

function report(backend: string, figures: Record<Phase, PhaseFigures>): void {
  const { advisories, load, match } = figures;
  console.log(`\n-- ${backend}`);
  console.log(
    `advisories: ${fmt(Number(advisories.affected))} affected entries in ${advisories.seconds.toFixed(1)} s`,
  );
  const packages = Number(load.packages);
  console.log(
    `load:       ${fmt(Number(load.hosts))} hosts, ${fmt(packages)} packages in ${load.seconds.toFixed(1)} s ` +
      `(${rate(packages, load.seconds)} packages/s), peak RSS ${load.maxRssMiB.toFixed(0)} MiB`,
  );
  const first = match.first as { stages: Array<{ stage: string; items: number; seconds: number }> };
  for (const s of first.stages)
    console.log(
      `  ${s.stage.padEnd(24)} ${fmt(s.items).padStart(12)} in ${s.seconds.toFixed(2).padStart(6)} s ` +
        `(${rate(s.items, s.seconds)}/s)`,
    );
  const ok = match.seconds <= TARGET_SECONDS && match.maxRssMiB <= TARGET_RSS_MIB;
  const { findings, distinctPackages, vulnerablePackages } = match.first as Record<string, number>;
  console.log(
    `match:      ${match.seconds.toFixed(1)} s (${rate(packages, match.seconds)} packages/s), peak RSS ` +
      `${match.maxRssMiB.toFixed(0)} MiB, ${fmt(findings ?? 0)} findings, ${fmt(distinctPackages ?? 0)} distinct ` +
      `packages (${fmt(vulnerablePackages ?? 0)} vulnerable), ${fmt(Number(match.problems))} problems — ` +
      `${ok ? 'within' : 'OUTSIDE'} target (≤ ${TARGET_SECONDS} s, ≤ ${TARGET_RSS_MIB} MiB)`,
  );
  const again = match.rematch as {
    seconds: number;
    maxRssMiB: number;
    findings: number;
    inserted: number;
    updated: number;
    resolved: number;
    touchedAssets: number;
    stages: Array<{ stage: string; items: number; seconds: number }>;
  };
  if (!again) return;
  for (const s of again.stages)
    console.log(
      `  ${s.stage.padEnd(24)} ${fmt(s.items).padStart(12)} in ${s.seconds.toFixed(2).padStart(6)} s`,
    );
  console.log(
    `re-match:   ${again.seconds.toFixed(1)} s, peak RSS ${again.maxRssMiB.toFixed(0)} MiB, ${fmt(again.findings)} ` +
      `live findings; written: ${fmt(again.inserted)} inserted, ${fmt(again.updated)} updated, ` +
      `${fmt(again.resolved)} resolved, ${fmt(again.touchedAssets)} assets touched`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.phase && args.location) {
    const figures = await PHASES[args.phase]({
      location: toLocation(args.location),
      hosts: args.hosts,
      seed: args.seed,
      rematch: args.rematch,
    });
    console.log(JSON.stringify(figures));
    return;
  }
  console.log(`matching bench: ${fmt(args.hosts)} hosts, seed ${args.seed}`);
  for (const backend of args.backends) {
    await withBackend(backend, (location) => {
      const figures = {} as Record<Phase, PhaseFigures>;
      for (const phase of Object.keys(PHASES) as Phase[]) figures[phase] = runPhase(phase, location, args);
      report(backend, figures);
    });
  }
}

await main();
