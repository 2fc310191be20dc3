export { BOD_TIMELINE_DAYS, type BodInputs, type BodTimeline, getBodTimeline } from './bod-26-04.js';
export { computeSla, getBaseDue } from './compute-sla.js';
export { addDays, addMonths, diffDays, getDay, getDayOf } from './dates.js';
export { DEFAULT_SLA_RULES, getSlaRules } from './default-rules.js';
export { getSeverity, getSlaFacts, type SlaFacts } from './facts.js';
export { matchSlaRule, type RuleMatch } from './match-rule.js';
export { getPausedDays } from './pause.js';
export {
  getSlaReport,
  makeSlaReportBuilder,
  type SlaReport,
  type SlaReportBuilder,
  type SlaReportItem,
  type SlaReportOptions,
} from './sla-report.js';
export {
  DEFAULT_EXCEPTION_POLICY,
  DEFAULT_WARN_DAYS,
  type ExceptionPolicy,
  type Severity,
  type SlaDue,
  type SlaEntry,
  type SlaRule,
} from './types.js';
