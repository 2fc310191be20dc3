/**
 * `npm run bench:fuzz [-- --runs N] [--seed S] [--only id,id] [--skip id,id] [--jobs J] [--until 05:15]
 *  [--budget-ms 1000] [--max-old-space 256] [--max-rss-delta 256] [--crash-dir fuzz-crashes]`
 *
 * Fuzzes every parser an upload reaches (test/fuzz/targets.ts: each inventory format, VEX, STIX,
 * STIX in zip archives) with N structure-aware mutated real files each (default 1,000,000), J parsers
 * at a time (default 1), each in a child process that runs its inputs in process, whose heap is capped
 * (--max-old-space-size), whose working directory and TMPDIR are fresh empty directories, and which a
 * watchdog kills when it reports no progress for --hang-ms. With --until (UTC time or ISO date) every
 * parser gets an equal share of the time left and stops at the end of it, so a run that cannot do N
 * inputs each still ends on time with every parser's exact count. Prints per parser: inputs, 4xx
 * rejections, crashes, inputs over the per-input budget (CPU time; the longest wall time is shown
 * too), the slowest input, RSS before and at peak,
 * files left behind; crashing, slow and each parser's slowest input are saved under --crash-dir
 * (replay one with `npx tsx bench/fuzz/replay.ts FILE.bin`).
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeFuzzTargets } from '../../test/fuzz/targets.js';
import type { WorkerMessage, WorkerSummary } from './worker.js';

/** How often a worker reports progress (inputs): a worker that dies did so within the next this many. */
const PROGRESS_EVERY = 200;

interface Options {
  runs: number;
  seed: number;
  only: string[];
  skip: string[];
  budgetMs: number;
  maxOldSpace: number;
  hangMs: number;
  crashDir: string;
  jobs: number;
  /** Epoch ms at which the whole run ends, or undefined for no end. */
  until?: number;
  maxRssDeltaMib: number;
}

/** `05:15` (today, UTC; tomorrow if past) or an ISO date. */
function parseUntil(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const hm = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!hm) return Date.parse(text);
  const at = new Date();
  at.setUTCHours(Number(hm[1]), Number(hm[2]), 0, 0);
  if (at.getTime() < Date.now()) at.setUTCDate(at.getUTCDate() + 1);
  return at.getTime();
}

function parseOptions(args: readonly string[]): Options {
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i === -1 ? undefined : args[i + 1];
  };
  return {
    runs: Number(value('--runs') ?? 1_000_000),
    seed: Number(value('--seed') ?? 20261207),
    only: (value('--only') ?? '').split(',').filter(Boolean),
    skip: (value('--skip') ?? '').split(',').filter(Boolean),
    budgetMs: Number(value('--budget-ms') ?? 1000),
    maxOldSpace: Number(value('--max-old-space') ?? 256),
    hangMs: Number(value('--hang-ms') ?? 60_000),
    crashDir: resolve(value('--crash-dir') ?? 'fuzz-crashes'),
    jobs: Math.max(1, Number(value('--jobs') ?? 1)),
    until: parseUntil(value('--until')),
    maxRssDeltaMib: Number(value('--max-rss-delta') ?? 256),
  };
}

interface Result {
  summary?: WorkerSummary;
  /** How the child ended when it did not finish: killed by the watchdog, out of memory, exit code. */
  death?: string;
  /** The summary of the inputs run so far, sent with each progress report. */
  partial?: WorkerSummary;
  done: number;
  filesLeft: number;
  seconds: number;
}

function runOne(id: string, options: Options, stopAt: number | undefined): Promise<Result> {
  const sandbox = mkdtempSync(join(tmpdir(), 'patchcast-fuzz-bench-'));
  const cwd = join(sandbox, 'cwd');
  const temp = join(sandbox, 'tmp');
  mkdirSync(cwd);
  mkdirSync(temp);
  const started = Date.now();
  const result: Result = { done: 0, filesLeft: 0, seconds: 0 };
  return new Promise((done) => {
    const child = fork(
      fileURLToPath(new URL('./worker.ts', import.meta.url)),
      [id, String(options.runs), String(options.seed), ...(stopAt === undefined ? [] : [String(stopAt)])],
      {
        cwd,
        env: {
          ...process.env,
          TMPDIR: temp,
          FUZZ_BUDGET_MS: String(options.budgetMs),
          FUZZ_CRASH_DIR: options.crashDir,
        },
        // Resolved here: the child's working directory is outside the repository.
        execArgv: ['--import', import.meta.resolve('tsx'), `--max-old-space-size=${options.maxOldSpace}`],
        stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    let last = Date.now();
    const watchdog = setInterval(() => {
      if (Date.now() - last < options.hangMs) return;
      result.death = `no progress for ${options.hangMs} ms after input ${result.done} (killed)`;
      child.kill('SIGKILL');
    }, 1000);
    child.on('message', (message: WorkerMessage) => {
      last = Date.now();
      if (message.type === 'progress') {
        result.done = message.done;
        result.partial = message.summary;
      } else result.summary = message.summary;
    });
    child.on('exit', (code, signal) => {
      clearInterval(watchdog);
      if (!result.summary && !result.death) {
        const oom = /heap out of memory|Allocation failed/.test(stderr) ? 'out of memory, ' : '';
        result.death = `${oom}exited ${signal ?? code} after input ${result.done}: ${stderr.split('\n').filter(Boolean).slice(-3).join(' | ')}`;
      }
      // Whatever a parser wrote to its working directory or the temporary directory and left there.
      // (tsx keeps its compile cache in the temporary directory: that one is the harness's own.)
      const left = [...readdirSync(cwd), ...readdirSync(temp).filter((f) => !f.startsWith('tsx-'))];
      result.filesLeft = left.length;
      if (left.length > 0) console.log(`  ${id} left behind: ${left.join(', ')}`);
      result.seconds = (Date.now() - started) / 1000;
      rmSync(sandbox, { recursive: true, force: true });
      done(result);
    });
  });
}

/** `inventory/pubspec-lock` is named by itself or by `pubspec-lock`. */
function isNamed(id: string, name: string): boolean {
  return id === name || id.endsWith(`/${name}`);
}

function pad(value: string | number, width: number): string {
  return String(value).padStart(width);
}

const HEADER = `${'parser'.padEnd(28)}${pad('inputs', 9)}${pad('4xx', 9)}${pad('crashes', 8)}${pad('>budget', 8)}${pad('max CPU ms', 11)}${pad('(bytes)', 9)}${pad('max wall ms', 12)}${pad('RSS base', 9)}${pad('RSS peak', 9)}${pad('Δ RSS', 7)}${pad('files', 6)}${pad('µs/input', 9)}${pad('wall s', 8)}`;

/** One parser's row; `*` after the inputs marks a run stopped by --until before --runs inputs. */
function formatRow(id: string, s: WorkerSummary, r: Result): string {
  const inputs = `${s.inputs}${s.stopped ? '*' : ''}`;
  const perInput = ((s.fuzzSeconds * 1e6) / Math.max(1, s.inputs)).toFixed(0);
  return `${id.padEnd(28)}${pad(inputs, 9)}${pad(s.rejected, 9)}${pad(s.crashes, 8)}${pad(s.overBudget, 8)}${pad(s.slowestMs.toFixed(1), 11)}${pad(s.slowestBytes, 9)}${pad(s.slowestWallMs.toFixed(0), 12)}${pad(s.baselineRssMib, 9)}${pad(s.peakRssMib, 9)}${pad(s.peakRssMib - s.baselineRssMib, 7)}${pad(r.filesLeft, 6)}${pad(perInput, 9)}${pad(r.seconds.toFixed(0), 8)}`;
}

/** When the parser starting now stops: an equal share of the time left among the parsers not yet run. */
function getStopAt(options: Options, notStarted: number): number | undefined {
  if (options.until === undefined) return undefined;
  const rounds = Math.ceil(notStarted / options.jobs);
  return Date.now() + Math.max(0, options.until - Date.now()) / Math.max(1, rounds);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const ids = makeFuzzTargets()
    .map((t) => t.id)
    .filter((id) => options.only.length === 0 || options.only.some((o) => isNamed(id, o)))
    .filter((id) => !options.skip.some((o) => isNamed(id, o)));
  const until = options.until === undefined ? '' : `, until ${new Date(options.until).toISOString()}`;
  console.log(
    `fuzz: ${ids.length} parsers × ${options.runs} inputs, seed ${options.seed}, ${options.jobs} at a time${until}, heap ≤ ${options.maxOldSpace} MiB, RSS growth ≤ ${options.maxRssDeltaMib} MiB, budget ${options.budgetMs} CPU ms/input (${new Date().toISOString()})`,
  );
  console.log(HEADER);
  let failed = 0;
  let inputs = 0;
  let fuzzSeconds = 0;
  const started = Date.now();
  const queue = [...ids];
  const lane = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const r = await runOne(id, options, getStopAt(options, queue.length + 1));
      const s = r.summary;
      if (!s) {
        failed++;
        const so = r.partial ? ` (so far: ${formatRow(id, r.partial, r).slice(28).trim()})` : '';
        console.log(`${id.padEnd(28)} DIED: ${r.death}${so}`);
        const next = `${r.done + 1}-${r.done + PROGRESS_EVERY}`;
        console.log(
          `  find the input: npx tsx bench/fuzz/replay.ts --target ${id} --index ${next} --save died.bin`,
        );
        continue;
      }
      inputs += s.inputs;
      fuzzSeconds += s.fuzzSeconds;
      const grew = s.peakRssMib - s.baselineRssMib > options.maxRssDeltaMib;
      if (s.crashes > 0 || s.overBudget > 0 || r.filesLeft > 0 || grew) failed++;
      console.log(formatRow(id, s, r));
      if (s.firstCrash) console.log(`  first crash: ${s.firstCrash} (inputs saved in ${options.crashDir})`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.jobs, ids.length) }, lane));
  const perInput = fuzzSeconds / Math.max(1, inputs);
  console.log(
    `total: ${inputs} inputs in ${((Date.now() - started) / 1000).toFixed(0)} s wall (${(perInput * 1e6).toFixed(0)} µs/input fuzzing); ${options.runs} per parser would take ≈ ${((perInput * options.runs * ids.length) / 3600 / options.jobs).toFixed(1)} h at ${options.jobs} at a time`,
  );
  console.log(
    failed === 0
      ? 'result: 0 crashes, 0 over budget, nothing written, memory bounded'
      : `result: ${failed} parsers FAILED`,
  );
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
