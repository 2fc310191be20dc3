/**
 * Test support: Trivy's expected output for the lockfile cases in ../shared/testdata/e2e/trivy,
 * read as (name, version) lists so a format's spec can compare its packages with Trivy's.
 */
import { readFileSync } from 'node:fs';
import { findSharedData } from './shared-data.js';

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

/** Where a Trivy case lives under ../shared (for `itWithShared`). */
export const getTrivyCasePath = (name: string) => `testdata/e2e/trivy/${name}/expected.json`;

/** Loads a case, or undefined when ../shared is not there (tests then skip; in CI this throws). */
export function loadTrivyCase(name: string): TrivyCase | undefined {
  const expected = findSharedData(getTrivyCasePath(name));
  if (!expected) return undefined;
  const dir = expected.slice(0, -'expected.json'.length);
  const report = JSON.parse(readFileSync(expected, 'utf8')) as TrivyReport;
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

/** Reads a file of ../shared/testdata, or undefined when absent (in CI this throws). */
export function loadSharedFile(relative: string): Buffer | undefined {
  const path = findSharedData(`testdata/${relative}`);
  return path ? readFileSync(path) : undefined;
}
