/** The step boundaries where a crash-safety test may stop a real `patchcast` process. */
export type CrashTestPoint = 'match' | 'vex' | 'risk-batch' | 'risk' | 'policies';

/**
 * A hook for the pipeline's crash-safety tests (test/e2e/crash-safety.spec.ts): when
 * PATCHCAST_TEST_CRASH_AFTER names this point and the process runs under vitest (VITEST is set, as
 * in the processes a test spawns), it prints `patchcast-test: paused after <point>` on stderr and
 * waits for ever, so the test can SIGKILL it exactly there. Otherwise it returns at once.
 */
export async function pauseForCrashTest(point: CrashTestPoint): Promise<void> {
  if (process.env.PATCHCAST_TEST_CRASH_AFTER !== point || !process.env.VITEST) return;
  process.stderr.write(`patchcast-test: paused after ${point}\n`);
  await new Promise<never>(() => {
    setInterval(() => undefined, 60_000);
  });
}
