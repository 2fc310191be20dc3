import { CVSS_COMPONENTS } from './types.js';

/**
 * CVSS vectors (v2, v3.x, v4.0) mapped onto one numeric scale per component, higher = easier to
 * exploit or worse impact: AV N=3 A=2 L=1 P=0; AC L=1 H=0; PR N=2 L=1 H=0 (v2 Au N/S/M);
 * UI N=1 (v4 P=0.5) R/A=0; S C=1 U=0 (v4: any subsequent-system impact); C/I/A H=2 L=1 N=0
 * (v2 C/P/N; v4 VC/VI/VA).
 */
const SCALES: Record<string, Record<string, number>> = {
  AV: { N: 3, A: 2, L: 1, P: 0 },
  AC: { L: 1, H: 0 },
  PR: { N: 2, L: 1, H: 0 },
  Au: { N: 2, S: 1, M: 0 },
  UI: { N: 1, P: 0.5, R: 0, A: 0 },
  S: { C: 1, U: 0 },
  CIA: { H: 2, L: 1, N: 0, C: 2, P: 1 },
};

/** Which vector key feeds which component, per version family. */
const KEY_MAP: Record<2 | 3 | 4, Record<string, [component: string, scale: string]>> = {
  2: {
    AV: ['AV', 'AV'],
    AC: ['AC', 'AC'],
    Au: ['PR', 'Au'],
    C: ['C', 'CIA'],
    I: ['I', 'CIA'],
    A: ['A', 'CIA'],
  },
  3: {
    AV: ['AV', 'AV'],
    AC: ['AC', 'AC'],
    PR: ['PR', 'PR'],
    UI: ['UI', 'UI'],
    S: ['S', 'S'],
    C: ['C', 'CIA'],
    I: ['I', 'CIA'],
    A: ['A', 'CIA'],
  },
  4: {
    AV: ['AV', 'AV'],
    AC: ['AC', 'AC'],
    PR: ['PR', 'PR'],
    UI: ['UI', 'UI'],
    VC: ['C', 'CIA'],
    VI: ['I', 'CIA'],
    VA: ['A', 'CIA'],
  },
};

/** The version family of a CVSS version string ("2.0", "3.1", "3.x", "4.0"), or null. */
export function getCvssFamily(version: string): 2 | 3 | 4 | null {
  if (version.startsWith('2')) return 2;
  if (version.startsWith('3')) return 3;
  if (version.startsWith('4')) return 4;
  return null;
}

/** Parses a vector into components (CVSS_COMPONENTS order, NaN where absent). */
export function parseCvssVector(vector: string, family: 2 | 3 | 4): Float32Array {
  const out = new Float32Array(CVSS_COMPONENTS.length).fill(Number.NaN);
  const map = KEY_MAP[family];
  let subsequent = false;
  for (const part of vector.split('/')) {
    const [key, value] = part.split(':');
    if (!key || value === undefined) continue;
    if (family === 4 && (key === 'SC' || key === 'SI' || key === 'SA') && value !== 'N') subsequent = true;
    const target = map[key];
    if (!target) continue;
    const score = SCALES[target[1]]?.[value];
    const index = CVSS_COMPONENTS.indexOf(target[0] as (typeof CVSS_COMPONENTS)[number]);
    if (score !== undefined && index >= 0) out[index] = score;
  }
  if (family === 4) out[CVSS_COMPONENTS.indexOf('S')] = subsequent ? 1 : 0;
  return out;
}
