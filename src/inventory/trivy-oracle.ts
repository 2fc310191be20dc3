/**
 * Test support: Trivy's expected output for the lockfile cases in ../shared/testdata/e2e/trivy,
 * read as (name, version) lists so a format's spec can compare its packages with Trivy's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared test data directory, resolved relative to the repository (…/shared beside it). */
export const SHARED_TESTDATA = fileURLToPath(new URL('../../../shared/testdata/', import.meta.url));

/** One Trivy case: its input files and what Trivy reported for them. */
export interface TrivyCase {
  /** Absolute path of an input file of the case. */
  inputPath(relative: string): string;
  /** `name@version` of `Results[].Packages[]` for the target (sorted), empty when Trivy listed none. */
  packages(target: string): string[];
  /** `PkgName@InstalledVersion` of every vulnerability for the target (sorted, unique). */
  vulnerable(target: string): string[];
}

interface TrivyReport {
  Results?: {
    Target: string;
    Packages?: { Name: string; Version: string }[];
    Vulnerabilities?: { PkgName: string; InstalledVersion: string }[];
  }[];
}

/** Loads a case, or returns undefined when ../shared is not there (tests then skip). */
export function loadTrivyCase(name: string): TrivyCase | undefined {
  const dir = `${SHARED_TESTDATA}e2e/trivy/${name}/`;
  if (!existsSync(`${dir}expected.json`)) return undefined;
  const report = JSON.parse(readFileSync(`${dir}expected.json`, 'utf8')) as TrivyReport;
  const result = (target: string) => report.Results?.find((r) => r.Target === target);
  return {
    inputPath: (relative) => `${dir}input/${relative}`,
    packages: (target) => (result(target)?.Packages ?? []).map((p) => `${p.Name}@${p.Version}`).sort(),
    vulnerable: (target) =>
      [
        ...new Set((result(target)?.Vulnerabilities ?? []).map((v) => `${v.PkgName}@${v.InstalledVersion}`)),
      ].sort(),
  };
}

/** Message used as the name of the skipped test when ../shared is absent. */
export function sharedAbsentMessage(what: string): string {
  return `${what}: skipped, ../shared/testdata is absent`;
}

/** Reads a file of ../shared/testdata, or undefined when absent. */
export function loadSharedFile(relative: string): Buffer | undefined {
  const path = `${SHARED_TESTDATA}${relative}`;
  return existsSync(path) ? readFileSync(path) : undefined;
}
