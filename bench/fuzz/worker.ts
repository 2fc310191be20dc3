/**
 * One parser's fuzz run, in a process of its own started by `bench/fuzz/run.ts` (heap capped with
 * --max-old-space-size): `node --import tsx bench/fuzz/worker.ts TARGET RUNS SEED`. Feeds the target
 * RUNS mutated real files (test/fuzz/mutate.ts), times each, writes each crashing input to
 * FUZZ_CRASH_DIR, reports progress to the parent over IPC and a summary at the end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { applyCase, type FuzzCase, fuzzCaseArb, type MutationLimits } from '../../test/fuzz/mutate.js';
import { describeCrash, makeFuzzTargets, runTarget } from '../../test/fuzz/targets.js';

export interface WorkerSummary {
  target: string;
  inputs: number;
  parsed: number;
  rejected: number;
  crashes: number;
  /** Inputs that took longer than the per-input budget. */
  overBudget: number;
  slowestMs: number;
  slowestBytes: number;
  /** Resident set size after loading, before the first input, and the peak over the run (MiB). */
  baselineRssMib: number;
  peakRssMib: number;
  /** Time from the first input to the last (the process's start-up left out). */
  fuzzSeconds: number;
  firstCrash?: string;
}

export type WorkerMessage = { type: 'progress'; done: number } | { type: 'summary'; summary: WorkerSummary };

/** Deeper and longer than the CI spec's cases: the bench has the time. */
const BENCH_LIMITS: MutationLimits = { maxDepth: 20_000, maxString: 1_000_000 };
const PROGRESS_EVERY = 200;
const MAX_SAVED_CRASHES = 20;

/** Inserted bytes in a saved case as their length and first bytes (the .bin beside it has them all). */
function shortBytes(_key: string, value: unknown): unknown {
  if (!(value instanceof Uint8Array)) return value;
  return { length: value.length, head: Buffer.from(value.subarray(0, 48)).toString('latin1') };
}

async function main(): Promise<void> {
  const [id, runsArg, seedArg] = process.argv.slice(2);
  const runs = Number(runsArg);
  const seed = Number(seedArg);
  const budgetMs = Number(process.env.FUZZ_BUDGET_MS ?? 1000);
  const crashDir = process.env.FUZZ_CRASH_DIR;
  const target = makeFuzzTargets().find((t) => t.id === id);
  if (!target) throw new Error(`no fuzz target ${id}`);
  const seeds = target.seeds.map((s) => s.content);
  const send = (message: WorkerMessage) => process.send?.(message);
  const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);
  const summary: WorkerSummary = {
    target: target.id,
    inputs: 0,
    parsed: 0,
    rejected: 0,
    crashes: 0,
    overBudget: 0,
    slowestMs: 0,
    slowestBytes: 0,
    baselineRssMib: rss(),
    peakRssMib: 0,
    fuzzSeconds: 0,
  };
  const fuzzStarted = performance.now();
  const save = (kind: string, c: FuzzCase, content: Buffer, what: string) => {
    if (!crashDir) return;
    mkdirSync(crashDir, { recursive: true });
    const base = join(crashDir, `${kind}-${target.id.replace('/', '-')}-${summary.inputs}`);
    writeFileSync(`${base}.bin`, content);
    writeFileSync(`${base}.txt`, `${what}\ncase: ${JSON.stringify(c, shortBytes)}\n`);
  };
  const saveCrash = (c: FuzzCase, content: Buffer, error: unknown) => {
    summary.firstCrash ??= describeCrash(error);
    if (summary.crashes <= MAX_SAVED_CRASHES) save('crash', c, content, describeCrash(error));
  };
  await fc.assert(
    fc.asyncProperty(fuzzCaseArb(BENCH_LIMITS), async (c) => {
      const content = applyCase(seeds, c);
      const name = target.seeds[c.seed % target.seeds.length]?.name ?? 'upload';
      const started = performance.now();
      const outcome = await runTarget(target, content, name);
      const ms = performance.now() - started;
      summary.inputs++;
      if (ms > summary.slowestMs) {
        summary.slowestMs = ms;
        summary.slowestBytes = content.length;
      }
      if (ms > budgetMs && ++summary.overBudget <= MAX_SAVED_CRASHES)
        save('slow', c, content, `${ms.toFixed(0)} ms (${outcome.kind})`);
      if (outcome.kind === 'parsed') summary.parsed++;
      else if (outcome.kind === 'rejected') summary.rejected++;
      else {
        summary.crashes++;
        saveCrash(c, content, outcome.error);
      }
      if (summary.inputs % PROGRESS_EVERY === 0) send({ type: 'progress', done: summary.inputs });
    }),
    { numRuns: runs, seed },
  );
  summary.peakRssMib = rss();
  summary.fuzzSeconds = (performance.now() - fuzzStarted) / 1000;
  send({ type: 'summary', summary });
}

main().then(
  () => process.disconnect?.(),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
    process.disconnect?.();
  },
);
