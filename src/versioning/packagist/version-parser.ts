/**
 * composer/semver `VersionParser::normalize` and `parseStability`: `1.0` -> `1.0.0.0`,
 * `1.0-b2` -> `1.0.0.0-beta2`, `2.x-dev` -> `2.9999999.9999999.9999999-dev`, `dev-main` stays a branch.
 */

export const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?';
const STABILITIES = 'stable|RC|beta|alpha|dev';

const ALIAS_RE = /^([^,\s]+) +as +([^,\s]+)$/;
const STABILITY_FLAG_RE = new RegExp(`@(?:${STABILITIES})$`, 'i');
const BUILD_RE = /^([^,\s+]+)\+[^\s]+$/;
const CLASSICAL_RE = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}$`, 'i');
const DATE_RE = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3})?)${MODIFIER}$`, 'i');
const DEV_BRANCH_RE = /^(.*?)[.-]?dev$/i;
const BRANCH_RE = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/i;
const STABILITY_RE = new RegExp(`${MODIFIER}(?:\\+.*)?$`, 'i');

/** PHP's empty(): undefined, '' and '0' are empty. */
export function isEmpty(value: string | undefined): boolean {
  return value === undefined || value === '' || value === '0';
}

function expandStability(stability: string): string {
  const s = stability.toLowerCase();
  if (s === 'a') return 'alpha';
  if (s === 'b') return 'beta';
  if (s === 'p' || s === 'pl') return 'patch';
  return s === 'rc' ? 'RC' : s;
}

/** `VersionParser::normalizeBranch`. */
export function normalizeBranch(name: string): string {
  const trimmed = name.trim();
  const m = BRANCH_RE.exec(trimmed);
  if (!m) return `dev-${trimmed}`;
  let version = '';
  for (let i = 1; i < 5; i++) version += m[i] === undefined ? '.x' : m[i]!.replace(/[*X]/g, 'x');
  return `${version.replaceAll('x', '9999999')}-dev`;
}

function withModifiers(version: string, m: RegExpExecArray, index: number): string {
  const stability = m[index];
  let out = version;
  if (!isEmpty(stability)) {
    if (stability === 'stable') return out;
    const number = m[index + 1];
    out += `-${expandStability(stability!)}${number ? number.replace(/^[.-]+/, '') : ''}`;
  }
  if (!isEmpty(m[index + 2])) out += '-dev';
  return out;
}

/** Normalises a version; undefined where composer throws "Invalid version string". */
export function normalizeComposer(input: string): string | undefined {
  let version = input.trim();
  const alias = ALIAS_RE.exec(version);
  if (alias) version = alias[1]!;
  const flag = STABILITY_FLAG_RE.exec(version);
  if (flag) version = version.slice(0, version.length - flag[0].length);
  if (version === 'master' || version === 'trunk' || version === 'default') version = `dev-${version}`;
  if (version.toLowerCase().startsWith('dev-')) return `dev-${version.slice(4)}`;
  const build = BUILD_RE.exec(version);
  if (build) version = build[1]!;
  const classical = CLASSICAL_RE.exec(version);
  if (classical) {
    const [, major, minor, patch, extra] = classical;
    return withModifiers(`${major}${minor || '.0'}${patch || '.0'}${extra || '.0'}`, classical, 5);
  }
  const date = DATE_RE.exec(version);
  if (date) return withModifiers(date[1]!.replace(/\D/g, '.'), date, 2);
  const devBranch = DEV_BRANCH_RE.exec(version);
  if (devBranch) {
    const normalized = normalizeBranch(devBranch[1]!);
    if (!normalized.includes('dev-')) return normalized;
  }
  return undefined;
}

export type Stability = 'stable' | 'RC' | 'beta' | 'alpha' | 'dev';

/** `VersionParser::parseStability`. */
export function parseStability(input: string): Stability {
  const version = input.replace(/#.+$/, '');
  if (version.startsWith('dev-') || version.endsWith('-dev')) return 'dev';
  const m = STABILITY_RE.exec(version.toLowerCase());
  if (!isEmpty(m?.[3])) return 'dev';
  const label = m?.[1];
  if (label === 'beta' || label === 'b') return 'beta';
  if (label === 'alpha' || label === 'a') return 'alpha';
  return label === 'rc' ? 'RC' : 'stable';
}
