/**
 * CISA BOD 26-04 "Prioritizing Security Updates Based on Risk" (10 June 2026), Table 1: four yes/no
 * decision points — in KEV, asset publicly exposed, Automatable, Technical Impact total — give one of
 * five remediation timelines. Encoded as the 16-row lookup CERT/CC publishes for it
 * (SSVC data/csv/cisa/cisa_bod_26_04_1_0_0.csv), so it cannot drift the way nested conditions can.
 */

export type BodTimeline = '3-days-forensic' | '3-days' | '14-days' | '60-days' | 'next-upgrade';

export interface BodInputs {
  kev: boolean;
  publiclyExposed: boolean;
  automatable: boolean;
  totalImpact: boolean;
}

/** Key: KEV, exposed, automatable, total impact as y/n. */
const TABLE: Readonly<Record<string, BodTimeline>> = {
  nnnn: 'next-upgrade',
  ynnn: '14-days',
  nynn: '60-days',
  nnyn: '60-days',
  nnny: 'next-upgrade',
  yynn: '14-days',
  ynyn: '14-days',
  nyyn: '14-days',
  ynny: '14-days',
  nyny: '14-days',
  nnyy: '60-days',
  yyyn: '3-days',
  yyny: '3-days-forensic',
  ynyy: '3-days-forensic',
  nyyy: '3-days',
  yyyy: '3-days-forensic',
};

/** Days each timeline allows; `null` means "at the next system upgrade" (no calendar date). */
export const BOD_TIMELINE_DAYS: Readonly<Record<BodTimeline, number | null>> = {
  '3-days-forensic': 3,
  '3-days': 3,
  '14-days': 14,
  '60-days': 60,
  'next-upgrade': null,
};

/** The BOD 26-04 Table 1 timeline for the four decision points. */
export function getBodTimeline(inputs: BodInputs): BodTimeline {
  const yn = (b: boolean) => (b ? 'y' : 'n');
  const key = `${yn(inputs.kev)}${yn(inputs.publiclyExposed)}${yn(inputs.automatable)}${yn(inputs.totalImpact)}`;
  return TABLE[key] ?? 'next-upgrade';
}
