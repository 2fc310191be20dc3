import { writeSync } from 'node:fs';

/**
 * A hook for the rollout fault-injection drill (bench/drill/), never set in production: when
 * PATCHCAST_DRILL_KILL_AT=n is set, the process SIGKILLs itself at the n-th job step boundary it
 * passes (counted over every job it runs). A boundary is either side of each store write a job makes:
 * after a step ran on the host but before its report, and after the store accepted it. Killing before
 * the report is the "lost acknowledgement" case: the host changed and the store does not know yet.
 * Without the variable it returns at once.
 */
let passed = 0;

export function passDrillBoundary(where: string): void {
  const at = Number(process.env.PATCHCAST_DRILL_KILL_AT);
  if (!Number.isInteger(at) || at <= 0) return;
  passed++;
  if (passed !== at) return;
  // Synchronous: an asynchronous write to a pipe would die with the process.
  writeSync(2, `patchcast-drill: SIGKILL at boundary ${passed} (${where})\n`);
  process.kill(process.pid, 'SIGKILL');
}
