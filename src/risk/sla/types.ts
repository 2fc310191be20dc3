import type { ParsedConfig } from '../../config/index.js';

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
