/**
 * The one place that decides what a test does when the real public data in `../shared` (beside the
 * repository: `data/`, `testdata/`) is missing. Off CI the test skips with a message naming the path
 * looked in; in CI (`CI` set and not `false`/`0`) it throws, so the run fails: CI always has
 * `../shared`, and its absence there is a broken checkout, not dozens of quietly skipped tests.
 * Every spec that reads `../shared` takes its paths and its decision from here (a test checks).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, type TestFunction } from 'vitest';

/** `../shared/` beside the repository (PATCHCAST_SHARED_DIR overrides it, e.g. to check a skip). */
export const SHARED_DIR =
  process.env.PATCHCAST_SHARED_DIR || fileURLToPath(new URL('../../../shared/', import.meta.url));

/** Whether `env` is a CI run (`CI=true`, as GitHub Actions, GitLab and most CI services set it). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** Thrown in CI when `../shared` (or a file of it) is missing. */
export class SharedDataMissingError extends Error {
  constructor(path: string) {
    super(
      `${path} is missing and CI is set: CI runs need ../shared (the real public test data) beside the repository; check it out there, or unset CI to skip these tests locally`,
    );
    this.name = 'SharedDataMissingError';
  }
}

/**
 * The absolute path of `relative` under `../shared` when it exists; undefined off CI when it does not
 * (the caller skips, naming `getSharedSkipReason(relative)`); throws `SharedDataMissingError` in CI.
 */
export function findSharedData(
  relative: string,
  options: { env?: NodeJS.ProcessEnv; root?: string } = {},
): string | undefined {
  const path = join(options.root ?? SHARED_DIR, relative);
  if (existsSync(path)) return path;
  if (isCi(options.env)) throw new SharedDataMissingError(path);
  return undefined;
}

/** Whether `relative` under `../shared` exists (see `findSharedData`: throws in CI when it does not). */
export function hasSharedData(relative: string): boolean {
  return findSharedData(relative) !== undefined;
}

/** The reason a test names when it skips because `relative` under `../shared` is absent. */
export function getSharedSkipReason(relative: string): string {
  return `skipped: ${join(SHARED_DIR, relative)} not found (clone the shared test data next to the repository)`;
}

/**
 * `it` when `present` (the shared data the test needs was found), else `it.skip` with the reason in
 * its name: a skipped test is reported as skipped, never as a pass without assertions.
 */
export function itWithShared(
  present: unknown,
  relative: string,
  name: string,
  fn: TestFunction,
  timeout?: number,
): void {
  if (present) it(name, fn, timeout);
  else it.skip(`${name} (${getSharedSkipReason(relative)})`, fn);
}

/** `describe` when `present`, else `describe.skip` with the reason in its name. */
export function describeWithShared(present: unknown, relative: string, name: string, fn: () => void): void {
  if (present) describe(name, fn);
  else describe.skip(`${name} (${getSharedSkipReason(relative)})`, fn);
}
