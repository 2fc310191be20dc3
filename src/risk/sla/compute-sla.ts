import { findCoveringException } from '../exceptions/covering.js';
import type { FindingContext, RiskException, SlaResult, SlaState } from '../types.js';
import { BOD_TIMELINE_DAYS } from './bod-26-04.js';
import { addDays, addMonths, diffDays, getDay, getDayOf, maxDay } from './dates.js';
import { getSlaFacts, type SlaFacts } from './facts.js';
import { matchSlaRule } from './match-rule.js';
import { getPausedDays } from './pause.js';
import { DEFAULT_WARN_DAYS, type ExceptionPolicy, type SlaRule } from './types.js';

/**
 * A finding's due date and SLA state at `now`: the first matching rule sets the deadline; an active
 * exception that stops the clock (policy `pausesSla`) makes it `paused` and the paused time moves the
 * deadline; a fixed finding is `closed`, and so is one VEX says is not affected. Pure.
 */
export function computeSla(
  ctx: FindingContext,
  rules: readonly SlaRule[],
  exceptions: readonly RiskException[],
  policy: ExceptionPolicy,
  now: Date,
): SlaResult {
  const facts = getSlaFacts(ctx);
  const match = matchSlaRule(facts, rules);
  if (!match)
    return {
      dueDate: null,
      state: getClosedState(ctx) ?? 'on-track',
      rule: 'none',
      reason: 'no SLA rule matches',
    };
  const base = getBaseDue(match.rule, ctx, facts);
  const options = { vulnerabilityIds: ctx.vulnerability.cve ? [ctx.vulnerability.cve] : [] };
  const reasons = [`${match.reasons.join(', ')}: ${base.reason}`];
  let dueDate = base.dueDate;
  if (dueDate !== null && policy.pausesSla) {
    const paused = getPausedDays(ctx.finding, dueDate, exceptions, now, options);
    if (paused > 0) {
      dueDate = addDays(dueDate, paused);
      reasons.push(`moved ${paused} day${paused === 1 ? '' : 's'} by exceptions that stopped the clock`);
    }
  }
  const result: SlaResult = { dueDate, state: 'on-track', rule: match.rule.id, reason: '' };
  const exception = findCoveringException(ctx.finding, exceptions, now, options);
  if (exception) {
    result.exceptionId = exception.id;
    reasons.push(
      `excepted by ${exception.id} until ${getDay(exception.expiresAt)}${policy.pausesSla ? ' (clock stopped)' : ''}`,
    );
  }
  result.state =
    getClosedState(ctx) ??
    (exception && policy.pausesSla ? 'paused' : getClockState(dueDate, match.rule, now));
  result.reason = reasons.join('; ');
  return result;
}

/** `closed` for a fixed finding or one VEX marks not affected; undefined while the SLA applies. */
function getClosedState(ctx: FindingContext): SlaState | undefined {
  const f = ctx.finding;
  if (f.status === 'fixed' || f.status === 'retired') return 'closed';
  if (f.status === 'suppressed' && f.suppression?.kind === 'vex') return 'closed';
  return undefined;
}

/** Breached once the due day has passed; due soon within `warnDays` of it. */
function getClockState(dueDate: string | null, rule: SlaRule, now: Date): SlaState {
  if (dueDate === null) return 'on-track';
  const left = diffDays(getDayOf(now), dueDate);
  if (left < 0) return 'breached';
  return left <= (rule.warnDays ?? DEFAULT_WARN_DAYS) ? 'due-soon' : 'on-track';
}

/**
 * The deadline a rule's `due` gives before any pause, and how it was reached. The clock starts when
 * the finding was first seen on this asset unless the rule's `clockStart` says `kev-listed`.
 */
export function getBaseDue(
  rule: SlaRule,
  ctx: FindingContext,
  facts: SlaFacts,
): { dueDate: string | null; reason: string } {
  const firstSeen = getDay(ctx.finding.firstSeen);
  const kev = ctx.vulnerability.kev;
  const fromKevListing = rule.clockStart === 'kev-listed' && kev !== undefined;
  if (typeof rule.due === 'number') {
    const start = fromKevListing ? getDay(kev.dateAdded) : firstSeen;
    const from = fromKevListing ? 'the KEV listing' : 'first detection';
    return { dueDate: addDays(start, rule.due), reason: `${rule.due} days from ${from} on ${start}` };
  }
  if (rule.due === 'next-upgrade') return { dueDate: null, reason: 'at the next system upgrade' };
  if (rule.due === 'kev-due-date') return getKevDue(ctx, firstSeen, fromKevListing);
  if (rule.due === 'pci-dss-6.3.3') {
    const released = ctx.vulnerability.published ? getDay(ctx.vulnerability.published) : firstSeen;
    const from = ctx.vulnerability.published
      ? `the advisory's publication on ${released}`
      : `first detection on ${released}`;
    return { dueDate: addMonths(released, 1), reason: `PCI DSS v4 6.3.3: one month from ${from}` };
  }
  return getBodDue(ctx, facts, firstSeen);
}

/**
 * A `kev-due-date` rule. From the KEV listing (`clockStart: kev-listed`), CISA's due date as is: a
 * finding detected after it is already late (BOD 22-01). From first detection (the default), the
 * days CISA allows (due date − listing; 14 without a due date) counted from when the finding was
 * first seen on this asset, or from the listing when that is later.
 */
function getKevDue(
  ctx: FindingContext,
  firstSeen: string,
  fromKevListing: boolean,
): { dueDate: string | null; reason: string } {
  const kev = ctx.vulnerability.kev;
  const added = kev ? getDay(kev.dateAdded) : firstSeen;
  const days = kev?.dueDate ? diffDays(added, kev.dueDate) : 14;
  if (fromKevListing) {
    if (kev?.dueDate) return { dueDate: kev.dueDate, reason: `CISA KEV due date (listed ${kev.dateAdded})` };
    return {
      dueDate: addDays(added, days),
      reason: `14 days from the KEV listing on ${added} (no CISA due date)`,
    };
  }
  const start = maxDay(firstSeen, added);
  const from = start === firstSeen ? `first detection on ${start}` : `the KEV listing on ${start}`;
  const allowed = kev?.dueDate ? "CISA's KEV window" : 'no CISA due date';
  return { dueDate: addDays(start, days), reason: `${days} days (${allowed}) from ${from}` };
}

/** BOD 26-04: the clock starts when the finding is known and, for KEV, when CISA lists it. */
function getBodDue(
  ctx: FindingContext,
  facts: SlaFacts,
  firstSeen: string,
): { dueDate: string | null; reason: string } {
  const { timeline, assumed } = facts.bod;
  const days = BOD_TIMELINE_DAYS[timeline];
  const kev = ctx.vulnerability.kev;
  const start = kev ? maxDay(firstSeen, getDay(kev.dateAdded)) : firstSeen;
  const yn = (b: boolean | undefined) => (b === false ? 'no' : 'yes');
  const inputs = `KEV ${yn(facts.kev)}, exposed ${yn(facts.internetExposed)}, automatable ${yn(facts.automatable)}, technical impact ${facts.technicalImpact ?? 'total'}`;
  const note = assumed.length ? `; unknown, assumed: ${assumed.join(', ')}` : '';
  const label = timeline === '3-days-forensic' ? '3 days & forensic triage' : timeline.replace('-', ' ');
  const reason = `BOD 26-04 Table 1 (${inputs}${note}) → ${label}`;
  if (days === null) return { dueDate: null, reason };
  return { dueDate: addDays(start, days), reason: `${reason} from ${start}` };
}
