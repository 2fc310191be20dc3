/**
 * One parser's fuzz run, in a process of its own started by `bench/fuzz/run.ts` (heap capped with
 * --max-old-space-size): `node --import tsx bench/fuzz/worker.ts TARGET RUNS SEED [STOP_AT]`. Feeds
 * the target RUNS mutated real files (test/fuzz/mutate.ts) in process, or as many as it gets through
 * before STOP_AT (epoch ms), times each, writes each crashing or slow input and the slowest of all to
 * FUZZ_CRASH_DIR, reports progress (with the summary so far) to the parent over IPC and a summary at
 * the end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { applyCase, BENCH_LIMITS, type FuzzCase, fuzzCaseArb } from '../../test/fuzz/mutate.js';
import { describeCrash, makeFuzzTargets, runTarget } from '../../test/fuzz/targets.js';

export interface WorkerSummary {
  target: string;
  inputs: number;
  parsed: number;
  rejected: number;
  crashes: number;
  /** Inputs whose parse took more CPU time than the per-input budget. */
  overBudget: number;
  /**
   * The most CPU time one input took (the process's user + system time, GC threads included) and its
   * size. The budget is checked on CPU time: on a machine shared with other work, wall time also
   * counts the time spent waiting for a core.
   */
  slowestMs: number;
  slowestBytes: number;
  /** The longest wall time one input took (waiting for a core included). */
  slowestWallMs: number;
  /** Resident set size after loading, before the first input, and the peak over the run (MiB). */
  baselineRssMib: number;
  peakRssMib: number;
  /** Time from the first input to the last (the process's start-up left out). */
  fuzzSeconds: number;
  firstCrash?: string;
  /** Whether the run stopped at STOP_AT before RUNS inputs. */
  stopped: boolean;
}

export type WorkerMessage =
  | { type: 'progress'; done: number; summary: WorkerSummary }
  | { type: 'summary'; summary: WorkerSummary };

/** Keep equal to `PROGRESS_EVERY` in run.ts (the runner names the inputs after the last report). */
const PROGRESS_EVERY = 200;
const MAX_SAVED_CRASHES = 20;

/** Inserted bytes in a saved case as their length and first bytes (the .bin beside it has them all). */
function shortBytes(_key: string, value: unknown): unknown {
  if (!(value instanceof Uint8Array)) return value;
  return { length: value.length, head: Buffer.from(value.subarray(0, 48)).toString('latin1') };
}

async function main(): Promise<void> {
  const [id, runsArg, seedArg, stopAtArg] = process.argv.slice(2);
  const runs = Number(runsArg);
  const stopAt = stopAtArg ? Number(stopAtArg) : undefined;
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
    slowestWallMs: 0,
    baselineRssMib: rss(),
    peakRssMib: 0,
    fuzzSeconds: 0,
    stopped: false,
  };
  let slowest: { c: FuzzCase; content: Buffer; what: string } | undefined;
  const fuzzStarted = performance.now();
  const save = (kind: string, c: FuzzCase, content: Buffer, what: string) => {
    if (!crashDir) return;
    mkdirSync(crashDir, { recursive: true });
    const which = kind === 'slowest' ? '' : `-${summary.inputs}`;
    const base = join(crashDir, `${kind}-${target.id.replace('/', '-')}${which}`);
    const name = target.seeds[c.seed % target.seeds.length]?.name ?? 'upload';
    writeFileSync(`${base}.bin`, content);
    writeFileSync(
      `${base}.txt`,
      `${what}\ntarget: ${target.id}\nname: ${name}\ncase: ${JSON.stringify(c, shortBytes)}\n`,
    );
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
      const cpuStarted = process.cpuUsage();
      const outcome = await runTarget(target, content, name);
      const cpu = process.cpuUsage(cpuStarted);
      const ms = (cpu.user + cpu.system) / 1000;
      const wallMs = performance.now() - started;
      summary.inputs++;
      summary.slowestWallMs = Math.max(summary.slowestWallMs, wallMs);
      if (ms > summary.slowestMs) {
        summary.slowestMs = ms;
        summary.slowestBytes = content.length;
        slowest = {
          c,
          content,
          what: `${ms.toFixed(1)} ms CPU, ${wallMs.toFixed(1)} ms wall (${outcome.kind})`,
        };
      }
      if (ms > budgetMs && ++summary.overBudget <= MAX_SAVED_CRASHES)
        save('slow', c, content, `${ms.toFixed(0)} ms CPU, ${wallMs.toFixed(0)} ms wall (${outcome.kind})`);
      if (outcome.kind === 'parsed') summary.parsed++;
      else if (outcome.kind === 'rejected') summary.rejected++;
      else {
        summary.crashes++;
        saveCrash(c, content, outcome.error);
      }
      if (summary.inputs % PROGRESS_EVERY === 0) {
        summary.peakRssMib = rss();
        summary.fuzzSeconds = (performance.now() - fuzzStarted) / 1000;
        send({ type: 'progress', done: summary.inputs, summary });
      }
    }),
    {
      numRuns: runs,
      seed,
      // Stops between two inputs at STOP_AT; the inputs run so far count, the stop is no failure.
      ...(stopAt === undefined
        ? {}
        : { interruptAfterTimeLimit: Math.max(1, stopAt - Date.now()), markInterruptAsFailure: false }),
    },
  );
  summary.peakRssMib = rss();
  summary.fuzzSeconds = (performance.now() - fuzzStarted) / 1000;
  summary.stopped = summary.inputs < runs;
  // The slowest input of the run, for `bench/fuzz/replay.ts`.
  if (slowest) save('slowest', slowest.c, slowest.content, slowest.what);
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
