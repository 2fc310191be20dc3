import { describe, expect, it } from 'vitest';
import { type BodTimeline, getBodTimeline } from './bod-26-04.js';

/**
 * BOD 26-04 Table 1 as CERT/CC publishes it (SSVC data/csv/cisa/cisa_bod_26_04_1_0_0.csv):
 * in KEV, asset exposure, automatable, technical impact → remediation timeline.
 */
const TABLE_1: Array<[string, string, string, string, BodTimeline]> = [
  ['no', 'no', 'no', 'partial', 'next-upgrade'],
  ['yes', 'no', 'no', 'partial', '14-days'],
  ['no', 'yes', 'no', 'partial', '60-days'],
  ['no', 'no', 'yes', 'partial', '60-days'],
  ['no', 'no', 'no', 'total', 'next-upgrade'],
  ['yes', 'yes', 'no', 'partial', '14-days'],
  ['yes', 'no', 'yes', 'partial', '14-days'],
  ['no', 'yes', 'yes', 'partial', '14-days'],
  ['yes', 'no', 'no', 'total', '14-days'],
  ['no', 'yes', 'no', 'total', '14-days'],
  ['no', 'no', 'yes', 'total', '60-days'],
  ['yes', 'yes', 'yes', 'partial', '3-days'],
  ['yes', 'yes', 'no', 'total', '3-days-forensic'],
  ['yes', 'no', 'yes', 'total', '3-days-forensic'],
  ['no', 'yes', 'yes', 'total', '3-days'],
  ['yes', 'yes', 'yes', 'total', '3-days-forensic'],
];

describe('BOD 26-04 Table 1', () => {
  it.each(TABLE_1)(
    'KEV %s, exposed %s, automatable %s, impact %s → %s',
    (kev, exposed, automatable, impact, timeline) => {
      expect(
        getBodTimeline({
          kev: kev === 'yes',
          publiclyExposed: exposed === 'yes',
          automatable: automatable === 'yes',
          totalImpact: impact === 'total',
        }),
      ).toBe(timeline);
    },
  );
});
