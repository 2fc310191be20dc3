/**
 * `npm run bench:fuzz [-- --runs N] [--seed S] [--only id,id] [--budget-ms 1000] [--max-old-space 256]`
 *
 * Fuzzes every parser an upload reaches (test/fuzz/targets.ts: each inventory format, VEX, STIX,
 * STIX in zip archives) with N structure-aware mutated real files each (default 1,000,000), one
 * parser at a time, each in a child process whose heap is capped (--max-old-space-size), whose working
 * directory and TMPDIR are fresh empty directories, and which a watchdog kills when it reports no
 * progress for --hang-ms. Prints per parser: inputs, crashes, inputs over the per-input budget, the
 * slowest input, peak RSS, files left behind; crashing inputs are saved under --crash-dir.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeFuzzTargets } from '../../test/fuzz/targets.js';
import type { WorkerMessage, WorkerSummary } from './worker.js';

interface Options {
  runs: number;
  seed: number;
  only: string[];
  budgetMs: number;
  maxOldSpace: number;
  hangMs: number;
  crashDir: string;
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
    budgetMs: Number(value('--budget-ms') ?? 1000),
    maxOldSpace: Number(value('--max-old-space') ?? 256),
    hangMs: Number(value('--hang-ms') ?? 60_000),
    crashDir: resolve(value('--crash-dir') ?? 'fuzz-crashes'),
  };
}

interface Result {
  summary?: WorkerSummary;
  /** How the child ended when it did not finish: killed by the watchdog, out of memory, exit code. */
  death?: string;
  done: number;
  filesLeft: number;
  seconds: number;
}

function runOne(id: string, options: Options): Promise<Result> {
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
      [id, String(options.runs), String(options.seed)],
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
      if (message.type === 'progress') result.done = message.done;
      else result.summary = message.summary;
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

function pad(value: string | number, width: number): string {
  return String(value).padStart(width);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const ids = makeFuzzTargets()
    .map((t) => t.id)
    .filter((id) => options.only.length === 0 || options.only.some((o) => id === o || id.endsWith(`/${o}`)));
  console.log(
    `fuzz: ${ids.length} parsers × ${options.runs} inputs, seed ${options.seed}, heap ≤ ${options.maxOldSpace} MiB, budget ${options.budgetMs} ms/input`,
  );
  console.log(
    `${'parser'.padEnd(28)}${pad('inputs', 9)}${pad('rejected', 9)}${pad('crashes', 8)}${pad('>budget', 8)}${pad('slowest ms', 11)}${pad('(bytes)', 9)}${pad('RSS base', 9)}${pad('RSS peak', 9)}${pad('files', 6)}${pad('µs/input', 9)}${pad('wall s', 8)}`,
  );
  let failed = 0;
  let inputs = 0;
  let seconds = 0;
  let fuzzSeconds = 0;
  for (const id of ids) {
    const r = await runOne(id, options);
    const s = r.summary;
    seconds += r.seconds;
    if (!s) {
      failed++;
      console.log(`${id.padEnd(28)} DIED: ${r.death}`);
      continue;
    }
    inputs += s.inputs;
    fuzzSeconds += s.fuzzSeconds;
    if (s.crashes > 0 || s.overBudget > 0 || r.filesLeft > 0) failed++;
    console.log(
      `${id.padEnd(28)}${pad(s.inputs, 9)}${pad(s.rejected, 9)}${pad(s.crashes, 8)}${pad(s.overBudget, 8)}${pad(s.slowestMs.toFixed(1), 11)}${pad(s.slowestBytes, 9)}${pad(s.baselineRssMib, 9)}${pad(s.peakRssMib, 9)}${pad(r.filesLeft, 6)}${pad(((s.fuzzSeconds * 1e6) / Math.max(1, s.inputs)).toFixed(0), 9)}${pad(r.seconds.toFixed(0), 8)}`,
    );
    if (s.firstCrash) console.log(`  first crash: ${s.firstCrash} (inputs saved in ${options.crashDir})`);
  }
  const perInput = fuzzSeconds / Math.max(1, inputs);
  console.log(
    `total: ${inputs} inputs in ${seconds.toFixed(0)} s wall (${(perInput * 1e6).toFixed(0)} µs/input fuzzing); 1,000,000 per parser would take ≈ ${((perInput * 1e6 * ids.length) / 3600).toFixed(1)} h on this machine`,
  );
  console.log(
    failed === 0 ? 'result: 0 crashes, 0 over budget, nothing written' : `result: ${failed} parsers FAILED`,
  );
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
