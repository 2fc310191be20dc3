/**
 * The exit code a command asks for when it finished without an error but must not end in 0 (scan's
 * --fail-on found something). runCli reads it once per run, so in-process runs do not leak it.
 */
let requested = 0;

/** Ends the current run with `code` (the highest requested wins) unless an error ends it first. */
export function requestExitCode(code: number): void {
  requested = Math.max(requested, code);
}

/** The code requested during this run (0 if none), cleared for the next run. */
export function takeRequestedExitCode(): number {
  const code = requested;
  requested = 0;
  return code;
}
