/**
 * Start-up cost of the `patchcast` command as a user runs it: `patchcast --version` and
 * `patchcast findings --limit 20` on the demo store (prepared once with `run --demo`), median of N
 * runs each, wall time and the child's CPU time (steadier on a shared machine). Measures the built CLI
 * (dist/, what `npm ci` builds through `prepare`) and, for comparison, the sources through tsx.
 * Targets (issue 15): --version ≤ 0.3 s, findings ≤ 1 s, built.
 * Run: npm run bench startup -- [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getFlagValue } from './support/phase-process.js';

const BIN = fileURLToPath(new URL('../bin/patchcast.js', import.meta.url));
const DIST_MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const RUNS = Number(getFlagValue(process.argv, '--runs') ?? 7);

interface Figure {
  wall: number;
  cpu: number;
}

/** CPU seconds used by this process's waited-for children so far (Linux /proc, 10 ms ticks). */
function getChildrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  // After "pid (comm) ", cutime and cstime are the 14th and 15th fields (proc(5): fields 16 and 17).
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function runOnce(args: string[], env: NodeJS.ProcessEnv): Figure {
  const cpuBefore = getChildrenCpuSeconds();
  const started = performance.now();
  const result = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
  const wall = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`patchcast ${args.join(' ')} failed: ${result.stderr}`);
  return { wall, cpu: getChildrenCpuSeconds() - cpuBefore };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function measure(label: string, args: string[], env: NodeJS.ProcessEnv): void {
  runOnce(args, env); // warm the page cache
  const figures = Array.from({ length: RUNS }, () => runOnce(args, env));
  const wall = median(figures.map((f) => f.wall));
  const cpu = median(figures.map((f) => f.cpu));
  console.log(`${label.padEnd(44)} median wall ${wall.toFixed(3)} s, CPU ${cpu.toFixed(2)} s (${RUNS} runs)`);
}

const home = mkdtempSync(join(tmpdir(), 'patchcast-bench-startup-'));
const base: NodeJS.ProcessEnv = {
  ...process.env,
  PATCHCAST_HOME: home,
  PATCHCAST_DATABASE_URL: '',
  PATCHCAST_CONFIG: '',
};
try {
  const source = { ...base, PATCHCAST_FROM_SOURCE: '1' };
  console.log(`startup bench: preparing the demo store in ${home} (patchcast run --demo)`);
  runOnce(['run', '--demo'], source);
  if (existsSync(DIST_MAIN)) {
    console.log(
      `built CLI: dist/ of ${statSync(DIST_MAIN).mtime.toISOString()} (npm run build to refresh it)`,
    );
    measure('dist: patchcast --version', ['--version'], base);
    measure('dist: patchcast findings --limit 20', ['findings', '--limit', '20'], base);
  } else console.log('no dist/: run `npm run build` to measure the built CLI');
  measure('source (tsx): patchcast --version', ['--version'], source);
  measure('source (tsx): patchcast findings --limit 20', ['findings', '--limit', '20'], source);
} finally {
  rmSync(home, { recursive: true, force: true });
}
