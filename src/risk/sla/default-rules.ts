import type { SlaRule } from './types.js';

/**
 * The rules used when patchcast.yaml configures none: CISA's KEV due dates, then the day counts of
 * CISA BOD 19-02 for critical (15) and high (30) severity, 90 days for medium and 180 for the rest.
 */
export const DEFAULT_SLA_RULES: readonly SlaRule[] = [
  {
    id: 'kev',
    description: "CISA KEV listings: CISA's number of days, counted from first detection",
    when: { kev: true },
    due: 'kev-due-date',
  },
  { id: 'critical', when: { severity: ['critical'] }, due: 15 },
  { id: 'high', when: { severity: ['high'] }, due: 30 },
  { id: 'medium', when: { severity: ['medium'] }, due: 90 },
  { id: 'default', description: 'everything else', when: {}, due: 180, warnDays: 14 },
];

/** The configured rules, or the defaults when there are none. */
export function getSlaRules(configured: readonly SlaRule[]): readonly SlaRule[] {
  return configured.length > 0 ? configured : DEFAULT_SLA_RULES;
}
