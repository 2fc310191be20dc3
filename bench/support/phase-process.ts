import { spawnSync } from 'node:child_process';
import type { PhaseFigures } from './fleet-store.js';

/** The value after `flag` in `argv` (`--hosts 1000`), if the flag is there. */
export function getFlagValue(argv: readonly string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i === -1 ? undefined : argv[i + 1];
}

/**
 * Runs `script` with `args` in a fresh Node process (so each phase's peak RSS is its own) and
 * returns the figures it prints as JSON on its last stdout line; its stderr goes to ours.
 */
export function runPhaseProcess(script: string, args: readonly string[]): PhaseFigures {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const phase = getFlagValue(args, '--phase') ?? script;
  if (result.status !== 0) throw new Error(`phase ${phase} failed (exit ${result.status})`);
  const last = result.stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(last) as PhaseFigures;
}

/**
 * Runs one phase of a fleet bench (`script`) in a fresh process on the store at `location`:
 * `--phase P --location L --hosts N --seed S`, then `extra`. Returns the phase's figures.
 */
export function runFleetPhase(
  script: string,
  phase: string,
  location: string,
  fleet: { hosts: number; seed: number },
  extra: readonly string[] = [],
): PhaseFigures {
  const argv = [
    '--phase',
    phase,
    '--location',
    location,
    '--hosts',
    String(fleet.hosts),
    '--seed',
    String(fleet.seed),
  ];
  return runPhaseProcess(script, [...argv, ...extra]);
}
