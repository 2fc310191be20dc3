/**
 * `NuGetVersion` (NuGet.Versioning): up to four numeric parts, SemVer 2 release labels compared
 * case-insensitively, build metadata ignored by ordering.
 */

export type Num = number | bigint;

export interface NuGetVersion {
  /** Major, minor, patch, revision (missing parts are 0). */
  readonly parts: readonly [Num, Num, Num, Num];
  readonly labels: readonly string[];
  readonly metadata: string;
  /** False when a part exceeds Int32 (NuGet rejects it; the order still knows where it goes). */
  readonly inInt32: boolean;
}

const INT32_MAX = 2_147_483_647;

function toNum(digits: string): Num {
  const body = digits.replace(/^0+(?=.)/, '');
  return body.length <= 15 ? Number(body) : BigInt(body);
}

/** SemanticVersion.ParseSections: version, labels after the first `-`, metadata after the first `+`. */
function splitSections(value: string): { core: string; labels?: string[]; metadata?: string } {
  const dash = value.search(/[-+]/);
  if (dash < 0) return { core: value };
  const core = dash === value.length - 1 ? value : value.slice(0, dash);
  if (value[dash] === '+') return { core, metadata: value.slice(dash + 1) };
  const plus = value.indexOf('+', dash + 1);
  if (plus < 0) return { core, labels: value.slice(dash + 1).split('.') };
  return { core, labels: value.slice(dash + 1, plus).split('.'), metadata: value.slice(plus + 1) };
}

// NuGetVersion.TryGetNormalizedVersion: 1-4 dot-separated runs of ASCII digits, blanks around a run allowed.
const CORE_RE = /^\s*([0-9]+)\s*(?:\.\s*([0-9]+)\s*(?:\.\s*([0-9]+)\s*(?:\.\s*([0-9]+)\s*)?)?)?$/;
const PART_RE = /^[0-9A-Za-z-]+$/;

function isValidPart(part: string, allowLeadingZeros: boolean): boolean {
  if (!PART_RE.test(part)) return false;
  return allowLeadingZeros || part.length === 1 || part[0] !== '0' || !/^[0-9]+$/.test(part);
}

/** Parses like `NuGetVersion.TryParse`, except that parts above Int32 are kept (flagged `inInt32: false`). */
export function parseNuGet(input: string): NuGetVersion | undefined {
  const value = input.trim();
  if (value === '') return undefined;
  const { core, labels, metadata } = splitSections(value);
  const m = CORE_RE.exec(core);
  if (!m) return undefined;
  if (labels && !labels.every((label) => isValidPart(label, false))) return undefined;
  if (metadata !== undefined && !metadata.split('.').every((part) => isValidPart(part, true)))
    return undefined;
  const parts = [m[1], m[2], m[3], m[4]].map((p) => toNum(p ?? '0')) as [Num, Num, Num, Num];
  return {
    parts,
    labels: labels ?? [],
    metadata: metadata ?? '',
    inInt32: parts.every((p) => p <= INT32_MAX),
  };
}

function sign(a: Num | string, b: Num | string): -1 | 0 | 1 {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

// Int32.TryParse as NuGet's CompareRelease uses it: an optional minus sign, digits, within Int32.
function labelNumber(label: string): number | undefined {
  if (!/^-?[0-9]+$/.test(label)) return undefined;
  const n = Number(label);
  return n >= -INT32_MAX - 1 && n <= INT32_MAX ? n : undefined;
}

function compareLabel(a: string, b: string): -1 | 0 | 1 {
  const x = labelNumber(a);
  const y = labelNumber(b);
  if (x !== undefined && y !== undefined) return sign(x, y);
  if (x !== undefined) return -1;
  if (y !== undefined) return 1;
  // StringComparer.OrdinalIgnoreCase on the ASCII label alphabet
  return sign(a.toUpperCase(), b.toUpperCase());
}

/** VersionComparer.Default: numeric parts, then release before pre-release, then labels. */
export function compareNuGet(a: NuGetVersion, b: NuGetVersion): -1 | 0 | 1 {
  for (let i = 0; i < 4; i++) {
    const c = sign(a.parts[i]!, b.parts[i]!);
    if (c !== 0) return c;
  }
  const aPre = a.labels.length > 0;
  const bPre = b.labels.length > 0;
  if (aPre !== bPre) return aPre ? -1 : 1;
  const n = Math.min(a.labels.length, b.labels.length);
  for (let i = 0; i < n; i++) {
    const c = compareLabel(a.labels[i]!, b.labels[i]!);
    if (c !== 0) return c;
  }
  return sign(a.labels.length, b.labels.length);
}

/** `ToNormalizedString()`: three parts (four when the revision is set), labels, no metadata. */
export function formatNuGet(v: NuGetVersion): string {
  const [major, minor, patch, revision] = v.parts;
  let out = `${major}.${minor}.${patch}`;
  if (revision !== 0) out += `.${revision}`;
  if (v.labels.length > 0) out += `-${v.labels.join('.')}`;
  return out;
}
