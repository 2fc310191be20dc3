/**
 * What risk scoring reads from a CVSS vector (v2, v3.x, v4.0): attack vector, complexity, privileges,
 * user interaction and the impact on the vulnerable system, each on one letter scale.
 */

/** The metrics scoring uses, as the letters of a v3 vector (v2 and v4 are mapped onto them). */
export interface CvssMetrics {
  /** N network, A adjacent, L local, P physical. */
  av?: string;
  /** L low, H high. */
  ac?: string;
  /** v4 attack requirements: N none, P present. */
  at?: string;
  /** N none, L low, H high (v2: Au N → N, S → L, M → H). */
  pr?: string;
  /** N none, otherwise required (v4 P/A, v3 R). */
  ui?: string;
  /** Impact on the vulnerable system: H high, L low, N none (v2: C → H, P → L). */
  c?: string;
  i?: string;
  a?: string;
}

const V2_AU: Record<string, string> = { N: 'N', S: 'L', M: 'H' };
const V2_IMPACT: Record<string, string> = { C: 'H', P: 'L', N: 'N' };

/** Parses a CVSS vector of any version; unknown parts are left out. */
export function parseCvssMetrics(vector: string): CvssMetrics {
  const parts = new Map<string, string>();
  for (const part of vector.split('/')) {
    const [key, value] = part.split(':');
    if (key && value) parts.set(key, value);
  }
  const v4 = vector.startsWith('CVSS:4');
  const v2 = !vector.startsWith('CVSS:') && parts.has('Au');
  const out: CvssMetrics = {};
  const set = (key: keyof CvssMetrics, value: string | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('av', parts.get('AV'));
  set('ac', parts.get('AC'));
  set('at', parts.get('AT'));
  set('pr', v2 ? V2_AU[parts.get('Au') ?? ''] : parts.get('PR'));
  set('ui', parts.get('UI'));
  const impact = (v2Key: string, v4Key: string) => {
    const raw = parts.get(v4 ? v4Key : v2Key);
    return v2 ? V2_IMPACT[raw ?? ''] : raw;
  };
  set('c', impact('C', 'VC'));
  set('i', impact('I', 'VI'));
  set('a', impact('A', 'VA'));
  return out;
}

/**
 * SSVC Automatable from a vector: "yes" when the first four steps of the kill chain (reconnaissance,
 * weaponization, delivery, exploitation) need no human: network attack vector, low complexity, no
 * privileges, no user interaction (and, in v4, no attack requirements).
 */
export function isAutomatable(m: CvssMetrics): boolean {
  return m.av === 'N' && m.ac === 'L' && m.pr === 'N' && m.ui === 'N' && (m.at ?? 'N') === 'N';
}

/**
 * SSVC Technical Impact from a vector, following CERT/CC's mapping (CERTCC/SSVC
 * `data/csv/ssvc/cvssv4_to_technical_impact_1_0_0.csv`): total when confidentiality and integrity
 * impact are both high, or when no privileges are needed and one is high while the other is at least
 * low; partial otherwise.
 */
export function isTotalTechnicalImpact(m: CvssMetrics): boolean {
  const c = m.c ?? 'N';
  const i = m.i ?? 'N';
  if (c === 'H' && i === 'H') return true;
  if (m.pr !== 'N') return false;
  return (c === 'H' && i !== 'N') || (i === 'H' && c !== 'N');
}
