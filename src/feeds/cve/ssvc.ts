import { z } from 'zod';
import type { SsvcDecision } from '../../core/types.js';
import { toIsoDate } from '../record-fields.js';

// CISA's SSVC values appear in mixed case (`Active`, `PoC`, `Yes`); they are stored lower-case.
const lower = <T extends string>(values: readonly [T, ...T[]]) =>
  z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(values));

/** The three decision points CISA ADP Vulnrichment publishes, and their timestamp. */
export const ssvcFields = {
  exploitation: lower(['none', 'poc', 'active']).nullish(),
  automatable: lower(['yes', 'no']).nullish(),
  technicalImpact: lower(['partial', 'total']).nullish(),
  timestamp: z.string().refine((s) => toIsoDate(s) !== undefined, 'expected an ISO date'),
};
export const ssvcSchema = z.object(ssvcFields);
export type SsvcInput = z.infer<typeof ssvcSchema>;

/** An SSVC decision dated by its own timestamp, from source `cisa-adp`. */
export function toSsvcDecision(cveId: string, s: SsvcInput): SsvcDecision {
  const decision: SsvcDecision = { cveId, decidedAt: toIsoDate(s.timestamp)!, source: 'cisa-adp' };
  if (s.exploitation) decision.exploitation = s.exploitation;
  if (s.automatable) decision.automatable = s.automatable;
  if (s.technicalImpact) decision.technicalImpact = s.technicalImpact;
  return decision;
}
