import type { SlaFacts } from './facts.js';
import type { SlaRule } from './types.js';

export interface RuleMatch {
  rule: SlaRule;
  /** The conditions that held, in words: "listed in CISA KEV", "tag pci". */
  reasons: string[];
}

/**
 * The first rule, in config order, whose every condition holds. A `kev-due-date` rule applies only
 * to KEV-listed findings (there is no date otherwise), so a finding outside KEV falls through to the
 * next rule. An unknown fact (no Vulnrichment, no severity) never satisfies a condition on it.
 */
export function matchSlaRule(facts: SlaFacts, rules: readonly SlaRule[]): RuleMatch | undefined {
  for (const rule of rules) {
    if (rule.due === 'kev-due-date' && !facts.kev) continue;
    const reasons = getRuleReasons(facts, rule);
    if (reasons) return { rule, reasons };
  }
  return undefined;
}

/** The reasons a rule matches, or undefined when one condition fails. */
function getRuleReasons(facts: SlaFacts, rule: SlaRule): string[] | undefined {
  const w = rule.when;
  const reasons: string[] = [];
  const check = (given: unknown, holds: boolean, text: string): boolean => {
    if (given === undefined) return true;
    if (holds) reasons.push(text);
    return holds;
  };
  /** A yes/no condition: holds when the fact equals the rule's value, worded for either answer. */
  const checkFlag = (
    key: 'kev' | 'ransomware' | 'internetExposed' | 'automatable',
    yes: string,
    no: string,
  ) => check(w[key], facts[key] === w[key], w[key] ? yes : no);
  const ok =
    checkFlag('kev', 'listed in CISA KEV', 'not in CISA KEV') &&
    checkFlag('ransomware', 'known ransomware use', 'no known ransomware use') &&
    checkFlag('internetExposed', 'internet-facing', 'not internet-facing') &&
    checkFlag('automatable', 'automatable', 'not automatable') &&
    check(
      w.technicalImpact,
      facts.technicalImpact === w.technicalImpact,
      `technical impact ${w.technicalImpact}`,
    ) &&
    check(w.severity, isIn(facts.severity, w.severity), `severity ${facts.severity}`) &&
    check(w.criticality, isIn(facts.criticality, w.criticality), `asset criticality ${facts.criticality}`) &&
    check(w.environment, isIn(facts.environment, w.environment), `environment ${facts.environment}`) &&
    check(
      w.tags,
      (w.tags ?? []).some((t) => facts.tags.includes(t)),
      `tag ${(w.tags ?? []).filter((t) => facts.tags.includes(t)).join(',')}`,
    ) &&
    check(w.bodTimeline, isIn(facts.bod.timeline, w.bodTimeline), `BOD 26-04 timeline ${facts.bod.timeline}`);
  if (!ok) return undefined;
  if (reasons.length === 0) reasons.push('every finding');
  return reasons;
}

function isIn(value: string | undefined, list: readonly string[] | undefined): boolean {
  return value !== undefined && (list ?? []).includes(value);
}
