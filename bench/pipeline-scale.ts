/**
 * The steps after matching at fleet scale, on SQLite or PostgreSQL: a bench fleet of `--hosts N` hosts
 * (default 1,000; bench/support/fleet-store.ts) matched whole, then `updateFindings`' post-match steps —
 * VEX, risk scoring and the policies (exceptions, SLA, history) — as `patchcast run` runs them; then a
 * typical daily sync (50 advisories and 300 EPSS scores change, the next day) and the incremental run
 * `patchcast sync` does after it. Each phase runs in its own process, so each peak RSS is its own.
 * Prints per-step seconds, findings/s, peak RSS; the last line is one JSON object (issue #18):
 * `{"hosts","backend","findings","matchSeconds","afterMatchSeconds","incrementalSeconds","peakRssMiB"}`.
 *
 * Run: npm run bench pipeline-scale -- [--hosts N] [--backend sqlite|postgres] [--seed S]
 *      [--batch-assets N] [--keep]   (`--keep` leaves the store; re-run one phase on it with
 *      `--phase P --location DIR|URL`)
 */
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { loadConfig } from '../src/config/index.js';
import { getFeedSource } from '../src/feeds/index.js';
import { applyStoredVex } from '../src/services/matching/apply-vex.js';
import { scoreAndRank } from '../src/services/pipeline/update-findings.js';
import { applyPolicies } from '../src/services/risk/apply-policies.js';
import { syncSource } from '../src/services/sync/sync-source.js';
import {
  FINDING_BATCH_ASSETS,
  insertException,
  replaceVexStatements,
  type Store,
} from '../src/store/index.js';
import { type Backend, parseBackend, toLocation, withBackend } from './support/backend.js';
import { runDailySyncPhase, runIncrementalPhase } from './support/daily-sync.js';
import {
  BENCH_NOW,
  DATA_DIR,
  maxRssMiB,
  type PhaseFigures,
  type PhaseOptions,
  runAdvisoriesPhase,
  runLoadPhase,
  runMatchPhase,
  withStore,
} from './support/fleet-store.js';
import { getFlagValue, runFleetPhase } from './support/phase-process.js';

/** The intelligence risk and SLA read: KEV, EPSS and exploit signals of ../shared/data. */
const INTEL_SOURCES = ['kev', 'epss', 'exploits'];

const PHASES = {
  advisories: runAdvisoriesPhase,
  intel: runIntelPhase,
  load: runLoadPhase,
  match: runMatchPhase,
  statements: runStatementsPhase,
  vex: runVexPhase,
  score: runScorePhase,
  policies: runPoliciesPhase,
  sync: runDailySyncPhase,
  incremental: runIncrementalPhase,
  'policies-next': runPoliciesNextPhase,
} as const;
type Phase = keyof typeof PHASES;
/** A phase's options: the bench fleet's, and the batch size of the steps after matching. */
type BenchOptions = PhaseOptions & { batchAssets?: number };
/** The steps reported with findings/s: the ones `updateFindings` runs after the match. */
const POST_MATCH: readonly Phase[] = ['vex', 'score', 'policies'];
const DAY_MS = 86_400_000;

interface Args {
  hosts: number;
  seed: number;
  backend: Backend;
  keep: boolean;
  batchAssets?: number;
  phase?: Phase;
  location?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (flag: string) => getFlagValue(argv, flag);
  const backend = value('--backend');
  const parsed = parseBackend(backend);
  if (backend !== undefined && !parsed) throw new Error(`--backend ${backend}: use sqlite or postgres`);
  const args: Args = {
    hosts: Number(value('--hosts') ?? 1000),
    seed: Number(value('--seed') ?? 42),
    backend: parsed ?? 'sqlite',
    keep: argv.includes('--keep'),
  };
  const phase = value('--phase');
  if (phase !== undefined && !(phase in PHASES))
    throw new Error(`--phase ${phase}: use one of ${Object.keys(PHASES).join(', ')}`);
  if (phase) args.phase = phase as Phase;
  const location = value('--location') ?? value('--home');
  if (location) args.location = location;
  const batch = value('--batch-assets');
  if (batch) args.batchAssets = Number(batch);
  return args;
}

/** Opens the phase's store, times `fn` and closes the store. */
async function timed(options: PhaseOptions, fn: (store: Store) => Promise<object>): Promise<PhaseFigures> {
  return withStore(options, async (store) => {
    const started = performance.now();
    const figures = await fn(store);
    return { seconds: (performance.now() - started) / 1000, maxRssMiB: maxRssMiB(), ...figures };
  });
}

async function runIntelPhase(options: PhaseOptions): Promise<PhaseFigures> {
  return timed(options, async (store) => {
    let records = 0;
    for (const id of INTEL_SOURCES) {
      const source = getFeedSource(id);
      if (!source) throw new Error(`no feed source ${id}`);
      records += (await syncSource(store, source, { offlineDir: DATA_DIR, now: BENCH_NOW })).records;
    }
    return { records };
  });
}

/**
 * What a real store holds besides findings, so that every post-match step has work: a VEX statement
 * (not_affected) about the most common vulnerability's package, and exceptions — one with a
 * compensating control, one per package, one per asset, and one that lapsed (an audit event).
 */
async function runStatementsPhase(options: PhaseOptions): Promise<PhaseFigures> {
  return timed(options, async (store) => {
    const common = await store.db
      .selectFrom('findings as f')
      .innerJoin('finding_subjects as s', 's.id', 'f.subject_id')
      .select((eb) => [
        's.vulnerability_id',
        eb.fn.min('s.package_name').as('package'),
        eb.fn.min('f.asset_id').as('asset'),
      ])
      .groupBy('s.vulnerability_id')
      .orderBy((eb) => eb.fn.countAll(), 'desc')
      .orderBy('s.vulnerability_id')
      .limit(4)
      .execute();
    const [vexed, controlled, packaged, lapsed] = common;
    if (!vexed || !controlled || !packaged || !lapsed) throw new Error('too few findings for the bench');
    const at = BENCH_NOW.toISOString();
    await replaceVexStatements(
      store.db,
      [
        {
          vulnerability: vexed.vulnerability_id,
          products: [{ subcomponents: [String(vexed.package)] }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
          source: 'bench-vex',
        },
      ],
      at,
    );
    const base = {
      owner: 'bench',
      reason: 'bench',
      approver: 'bench',
      createdAt: '2026-02-01T00:00:00.000Z',
    };
    const until = '2026-04-01T00:00:00.000Z';
    const exceptions = [
      {
        ...base,
        id: 'EXC-BENCH-1',
        scope: 'vulnerability' as const,
        vulnerabilityId: controlled.vulnerability_id,
        compensatingControl: 'WAF rule',
        expiresAt: until,
      },
      {
        ...base,
        id: 'EXC-BENCH-2',
        scope: 'package' as const,
        packageName: String(packaged.package),
        expiresAt: until,
      },
      { ...base, id: 'EXC-BENCH-3', scope: 'asset' as const, assetId: String(vexed.asset), expiresAt: until },
      {
        ...base,
        id: 'EXC-BENCH-4',
        scope: 'vulnerability' as const,
        vulnerabilityId: lapsed.vulnerability_id,
        expiresAt: '2026-02-15T00:00:00.000Z',
      },
    ];
    for (const e of exceptions) await insertException(store.db, e);
    return { vex: 1, exceptions: exceptions.length };
  });
}

async function runVexPhase(options: BenchOptions): Promise<PhaseFigures> {
  return timed(options, (store) =>
    store.db.transaction().execute((db) => applyStoredVex(db, getBatching(options))),
  );
}

/** Scoring as `updateFindings` runs it: every finding's risk written, the top 10 open ones kept. */
async function runScorePhase(options: BenchOptions): Promise<PhaseFigures> {
  const config = loadConfig(undefined, {});
  return timed(options, async (store) => {
    const top = await scoreAndRank(store, { now: BENCH_NOW, config, ...getBatching(options) });
    return { kept: top.length };
  });
}

async function runPoliciesPhase(options: BenchOptions): Promise<PhaseFigures> {
  const config = loadConfig(undefined, {});
  return timed(options, async (store) => {
    const policy = await store.db
      .transaction()
      .execute((db) => applyPolicies(db, BENCH_NOW, config.policies, getBatching(options)));
    return { sla: policy.sla, recorded: policy.history.recorded };
  });
}

/**
 * The policies on the next days (issue #18's daily growth): day 2 with nothing changed, then day 3
 * after 1% of the findings (those whose subject id is 7 mod 100) moved their risk to another band.
 * Reports each day's seconds and the history rows it wrote.
 */
async function runPoliciesNextPhase(options: BenchOptions): Promise<PhaseFigures> {
  const config = loadConfig(undefined, {});
  const policies = (store: Store, day: number) =>
    store.db
      .transaction()
      .execute((db) =>
        applyPolicies(
          db,
          new Date(BENCH_NOW.getTime() + day * DAY_MS),
          config.policies,
          getBatching(options),
        ),
      );
  return timed(options, async (store) => {
    let started = performance.now();
    const unchanged = await policies(store, 1);
    const unchangedSeconds = (performance.now() - started) / 1000;
    const moved = await sql`update findings set risk = case when risk >= 0.4 then 0.05 else 0.5 end
      where subject_id % 100 = 7 and status in ('open', 'excepted', 'suppressed')`.execute(store.db);
    started = performance.now();
    const changed = await policies(store, 2);
    return {
      unchanged: { seconds: Number(unchangedSeconds.toFixed(1)), recorded: unchanged.history.recorded },
      changed: {
        findings: Number(moved.numAffectedRows ?? 0),
        seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
        recorded: changed.history.recorded,
      },
    };
  });
}

const getBatching = (o: BenchOptions) => (o.batchAssets === undefined ? {} : { batchAssets: o.batchAssets });

/** Runs one phase in a fresh process; its last stdout line is the figures as JSON. */
function runPhase(phase: Phase, location: string, args: Args): PhaseFigures {
  return runFleetPhase(
    fileURLToPath(import.meta.url),
    phase,
    location,
    args,
    args.batchAssets === undefined ? [] : ['--batch-assets', String(args.batchAssets)],
  );
}

const fmt = (n: number) => n.toLocaleString('en');
const rate = (n: number, s: number) => (s > 0 ? fmt(Math.round(n / s)) : '-');

/** One phase's line, printed as soon as it ends (a long run keeps what it measured). */
function printPhase(phase: Phase, figures: PhaseFigures, findings: number): void {
  const { seconds, maxRssMiB: rss, first, ...shown } = figures;
  const perSecond = POST_MATCH.includes(phase) ? `${rate(findings, seconds).padStart(10)} findings/s` : '';
  console.log(
    `${phase.padEnd(11)} ${seconds.toFixed(1).padStart(7)} s ${perSecond.padEnd(22)} peak RSS ` +
      `${rss.toFixed(0).padStart(5)} MiB  ${JSON.stringify(first ? { findings } : shown)}`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.phase && args.location) {
    const options: BenchOptions = {
      location: toLocation(args.location),
      hosts: args.hosts,
      seed: args.seed,
      rematch: false,
      ...(args.batchAssets === undefined ? {} : { batchAssets: args.batchAssets }),
    };
    console.log(JSON.stringify(await PHASES[args.phase](options)));
    return;
  }
  const batch = `${args.batchAssets ?? FINDING_BATCH_ASSETS} assets a batch`;
  console.log(`pipeline-scale bench: ${fmt(args.hosts)} hosts, seed ${args.seed}, ${args.backend}, ${batch}`);
  const summary = await withBackend(
    args.backend,
    (location) => {
      let findings = 0;
      let post = 0;
      const seconds: Partial<Record<Phase, number>> = {};
      let peak = 0;
      for (const phase of Object.keys(PHASES) as Phase[]) {
        const figures = runPhase(phase, location, args);
        if (phase === 'match') findings = Number((figures.first as { findings?: number }).findings ?? 0);
        if (POST_MATCH.includes(phase)) post += figures.seconds;
        seconds[phase] = figures.seconds;
        peak = Math.max(peak, figures.maxRssMiB);
        printPhase(phase, figures, findings);
      }
      console.log(
        `post-match  ${post.toFixed(1).padStart(7)} s ${rate(findings, post).padStart(10)} findings/s`,
      );
      return {
        hosts: args.hosts,
        backend: args.backend,
        findings,
        matchSeconds: round(seconds.match ?? 0),
        afterMatchSeconds: round(post),
        incrementalSeconds: round(seconds.incremental ?? 0),
        peakRssMiB: Math.round(peak),
      };
    },
    { keep: args.keep },
  );
  console.log(JSON.stringify(summary));
}

const round = (n: number) => Math.round(n * 10) / 10;

await main();
