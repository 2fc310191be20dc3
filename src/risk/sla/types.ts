import type { ParsedConfig } from '../../config/index.js';
import type { FindingContext, SlaResult } from '../types.js';

/** One ordered SLA rule of `policies.sla` in patchcast.yaml. */
export type SlaRule = ParsedConfig['policies']['sla'][number];

/** `policies.exceptions`: how long a risk acceptance may last, whether it needs an approver, whether it stops the clock. */
export type ExceptionPolicy = ParsedConfig['policies']['exceptions'];

/** What `due` of a rule may say. */
export type SlaDue = SlaRule['due'];

/** Severity as SLA rules name it. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'none';

/** Days before the due date a finding counts as due soon when the rule gives no `warnDays`. */
export const DEFAULT_WARN_DAYS = 7;

/** The policy used when none is given: patchcast.yaml's defaults. */
export const DEFAULT_EXCEPTION_POLICY: ExceptionPolicy = {
  maxDays: 90,
  requireApprover: true,
  pausesSla: true,
};

/** A finding's context with its SLA result (`applySla`, the SLA report). */
export interface SlaEntry {
  context: FindingContext;
  sla: SlaResult;
}
