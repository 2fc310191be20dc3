/**
 * What a fixed Debian version says about the kind of update: a patch backported onto the version
 * already in the release, or a new upstream version imported into it (Debian Policy §5.6.12 for
 * the version syntax; the Debian Developer's Reference §5.5.2 for security-upload naming such as
 * `+deb11u3` and `~deb11u1`).
 */
import { parseDpkgVersion } from '../../versioning/dpkg/index.js';

/** Facts read from one version string alone. NaN where the version cannot be parsed. */
export interface RevisionFacts {
  /** `~debNuM` / `~bpo`: a newer version rebuilt for the release (typical of a new upstream). */
  tildeDeb: number;
  /** `+debNuM`: a security patch on top of the release's version. */
  plusDeb: number;
  /** Debian revision `0…` (e.g. `-0+deb10u1`): an upstream release packaged for the release only. */
  zeroRevision: number;
  /** M in `debNuM`: how many stable updates the package has had in this release. */
  uploadNumber: number;
  /** `+really`: a version rolled back under a higher number. */
  really: number;
  /** No Debian revision: a native package. */
  native: number;
}

/** True for a real version (not `<not-affected>`, `<unfixed>`, `<end-of-life>`, …). */
export function isRealVersion(version: string): boolean {
  return /^[0-9]/.test(version) || /^\d+:/.test(version);
}

/** The upstream part of a Debian version, without repack markers (`+dfsg1`, `~ds`, …). */
export function getUpstream(version: string): string | undefined {
  if (!isRealVersion(version)) return undefined;
  try {
    return parseDpkgVersion(version).upstream.replace(/[+~.](dfsg|ds|repack)\d*$/i, '');
  } catch {
    return undefined;
  }
}

/** Reads the revision patterns of one version; every field NaN when it is not a real version. */
export function getRevisionFacts(version: string): RevisionFacts {
  if (!isRealVersion(version)) {
    const nan = Number.NaN;
    return { tildeDeb: nan, plusDeb: nan, zeroRevision: nan, uploadNumber: nan, really: nan, native: nan };
  }
  let revision = '';
  try {
    revision = parseDpkgVersion(version).revision;
  } catch {
    revision = version.includes('-') ? version.slice(version.lastIndexOf('-') + 1) : '';
  }
  const upload = /deb\d+u(\d+)/.exec(version);
  return {
    tildeDeb: /~(deb\d|bpo)/.test(version) ? 1 : 0,
    plusDeb: /\+deb\d+u\d+/.test(version) ? 1 : 0,
    zeroRevision: /^0([.+~]|$)/.test(revision) ? 1 : 0,
    uploadNumber: upload ? Number(upload[1]) : Number.NaN,
    really: /really/i.test(version) ? 1 : 0,
    native: revision === '' ? 1 : 0,
  };
}

/** How an upstream version moved from the previous fix in the same release. */
export interface UpstreamChange {
  /** 1 when the upstream part differs at all. */
  changed: number;
  /** 1 when the first numeric component differs (e.g. 2.x → 3.x). */
  major: number;
  /** 1 when the first or second numeric component differs. */
  minor: number;
}

/** Compares two upstream versions; NaN fields when either is unknown. */
export function compareUpstream(previous: string | undefined, current: string | undefined): UpstreamChange {
  if (previous === undefined || current === undefined) {
    return { changed: Number.NaN, major: Number.NaN, minor: Number.NaN };
  }
  const a = numericParts(previous);
  const b = numericParts(current);
  return {
    changed: previous === current ? 0 : 1,
    major: a[0] === b[0] ? 0 : 1,
    minor: a[0] === b[0] && a[1] === b[1] ? 0 : 1,
  };
}

function numericParts(upstream: string): string[] {
  return upstream.split(/[^0-9]+/).filter((part) => part !== '');
}
