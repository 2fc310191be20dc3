import { describe, expect, it } from 'vitest';
import { EXIM_KEV, makeContext, makeException, rule } from './__fixtures__/contexts.js';
import { computeSla } from './compute-sla.js';
import { DEFAULT_SLA_RULES } from './default-rules.js';
import type { ExceptionPolicy, SlaRule } from './types.js';

const POLICY: ExceptionPolicy = { maxDays: 90, requireApprover: true, pausesSla: true };
const NOW = new Date('2026-01-10T12:00:00Z');
const RULES: SlaRule[] = [
  rule({ id: 'kev', when: { kev: true }, due: 'kev-due-date' }),
  rule({ id: 'critical-internet', when: { severity: ['critical'], internetExposed: true }, due: 7 }),
  rule({ id: 'pci-critical', when: { severity: ['critical'], tags: ['pci'] }, due: 'pci-dss-6.3.3' }),
  rule({ id: 'staging', when: { environment: ['staging'] }, due: 180 }),
  rule({ id: 'crown-jewels', when: { criticality: ['critical'], severity: ['high', 'medium'] }, due: 14 }),
  rule({ id: 'default', due: 90, warnDays: 14 }),
];
const sla = (ctx: ReturnType<typeof makeContext>, rules: readonly SlaRule[] = RULES, now = NOW) =>
  computeSla(ctx, rules, [], POLICY, now);

describe('SLA rules, first match wins', () => {
  it('a KEV finding first seen today is not overdue by default: CISA’s window counts from first detection', () => {
    const today = makeContext({ vulnerability: { kev: EXIM_KEV, cvssScore: 9.8 } });
    const result = sla(today);
    // CISA allowed 181 days (2021-11-03 → 2022-05-03); the finding was first seen on 2026-01-10.
    expect(result).toMatchObject({ rule: 'kev', dueDate: '2026-07-10', state: 'on-track' });
    expect(result.reason).toContain(
      "listed in CISA KEV: 181 days (CISA's KEV window) from first detection on 2026-01-10",
    );
  });

  it('a policy whose KEV rule says clockStart: kev-listed is due by CISA’s date: detected after it, it is late', () => {
    const kevListed = [
      rule({ id: 'kev', when: { kev: true }, due: 'kev-due-date', clockStart: 'kev-listed' }),
    ];
    const result = sla(makeContext({ vulnerability: { kev: EXIM_KEV, cvssScore: 9.8 } }), kevListed);
    expect(result).toMatchObject({ rule: 'kev', dueDate: '2022-05-03', state: 'breached' });
    expect(result.reason).toContain('listed in CISA KEV: CISA KEV due date (listed 2021-11-03)');
  });

  it('a day-count rule with clockStart: kev-listed counts from the listing for KEV findings only', () => {
    const fromListing = [rule({ id: 'd30', due: 30, clockStart: 'kev-listed' })];
    expect(sla(makeContext({ vulnerability: { kev: EXIM_KEV } }), fromListing)).toMatchObject({
      dueDate: '2021-12-03',
      state: 'breached',
    });
    expect(sla(makeContext(), fromListing)).toMatchObject({ dueDate: '2026-02-09', state: 'on-track' });
  });

  it('a KEV entry without a due date gets 14 days from its listing when listed after first detection', () => {
    const kev = { dateAdded: '2026-01-12', ransomware: false };
    const result = sla(makeContext({ vulnerability: { kev } }), RULES, new Date('2026-01-13T00:00:00Z'));
    expect(result).toMatchObject({ rule: 'kev', dueDate: '2026-01-26', state: 'on-track' });
    expect(result.reason).toContain('14 days (no CISA due date) from the KEV listing on 2026-01-12');
  });

  it('a kev-due-date rule never applies outside KEV: the finding falls through to the next rule', () => {
    const result = sla(makeContext({ vulnerability: { cvssScore: 9.8 }, asset: { internetExposed: true } }));
    expect(result).toMatchObject({ rule: 'critical-internet', dueDate: '2026-01-17', state: 'due-soon' });
  });

  it('order decides: a catch-all first takes everything', () => {
    const rules = [rule({ id: 'all', due: 30 }), ...RULES];
    expect(sla(makeContext({ vulnerability: { kev: EXIM_KEV } }), rules).rule).toBe('all');
  });

  it('custom rules by environment, criticality and severity (published, or from the CVSS score)', () => {
    expect(
      sla(makeContext({ asset: { environment: 'staging', tags: [] }, vulnerability: { severity: 'LOW' } }))
        .rule,
    ).toBe('staging');
    const high = sla(makeContext({ asset: { tags: [] }, vulnerability: { severity: 'moderate' } }));
    expect(high).toMatchObject({ rule: 'crown-jewels', dueDate: '2026-01-24' });
    expect(high.reason).toContain('severity medium, asset criticality critical');
    expect(
      sla(makeContext({ asset: { criticality: 'low', tags: [] }, vulnerability: { cvssScore: 5 } })).rule,
    ).toBe('default');
  });

  it('no rule matching leaves the finding without a due date, and says so', () => {
    expect(sla(makeContext(), [rule({ id: 'kev', when: { kev: true }, due: 'kev-due-date' })])).toEqual({
      dueDate: null,
      state: 'on-track',
      rule: 'none',
      reason: 'no SLA rule matches',
    });
  });

  it('the built-in rules apply KEV dates first, then BOD 19-02 day counts', () => {
    expect(sla(makeContext({ vulnerability: { kev: EXIM_KEV } }), DEFAULT_SLA_RULES).rule).toBe('kev');
    expect(sla(makeContext({ vulnerability: { cvssScore: 9.1 } }), DEFAULT_SLA_RULES)).toMatchObject({
      rule: 'critical',
      dueDate: '2026-01-25',
    });
  });
});

describe('PCI DSS v4 6.3.3: critical within one month of the fix’s release', () => {
  const pci = [rule({ id: 'pci', when: { severity: ['critical'], tags: ['pci'] }, due: 'pci-dss-6.3.3' })];

  it('counts one calendar month from the advisory’s publication', () => {
    const result = sla(
      makeContext({ vulnerability: { cvssScore: 9.8, published: '2026-01-31T10:00:00Z' } }),
      pci,
    );
    expect(result).toMatchObject({ rule: 'pci', dueDate: '2026-02-28' });
    expect(result.reason).toContain('tag pci');
  });

  it('counts from first detection when the publication date is unknown, and only on PCI assets', () => {
    expect(sla(makeContext({ vulnerability: { cvssScore: 9.8 } }), pci).dueDate).toBe('2026-02-10');
    expect(sla(makeContext({ asset: { tags: [] }, vulnerability: { cvssScore: 9.8 } }), pci).rule).toBe(
      'none',
    );
  });
});

describe('BOD 26-04 timelines', () => {
  const bod = [rule({ id: 'bod', due: 'bod-26-04' })];
  const ssvc = (automatable: 'yes' | 'no', technicalImpact: 'partial' | 'total') => ({
    automatable,
    technicalImpact,
  });

  it('KEV on an internet-facing asset with total impact: 3 days and forensic triage, from the KEV listing', () => {
    const kev = { dateAdded: '2026-01-12', dueDate: '2026-02-02', ransomware: false };
    const result = sla(
      makeContext({ asset: { internetExposed: true }, vulnerability: { kev, ssvc: ssvc('no', 'total') } }),
      bod,
      new Date('2026-01-13T00:00:00Z'),
    );
    expect(result).toMatchObject({ rule: 'bod', dueDate: '2026-01-15', state: 'due-soon' });
    expect(result.reason).toContain('3 days & forensic triage');
  });

  it('KEV on an internal asset, partial impact: 14 days from first detection when listed earlier', () => {
    const result = sla(makeContext({ vulnerability: { kev: EXIM_KEV, ssvc: ssvc('no', 'partial') } }), bod);
    expect(result).toMatchObject({ dueDate: '2026-01-24' });
  });

  it('exposed but neither KEV nor automatable, partial: 60 days; internal and quiet: next upgrade', () => {
    expect(
      sla(
        makeContext({ asset: { internetExposed: true }, vulnerability: { ssvc: ssvc('no', 'partial') } }),
        bod,
      ).dueDate,
    ).toBe('2026-03-11');
    const quiet = sla(makeContext({ vulnerability: { ssvc: ssvc('no', 'total') } }), bod);
    expect(quiet).toMatchObject({ dueDate: null, state: 'on-track' });
    expect(quiet.reason).toContain('next upgrade');
  });

  it('without Vulnrichment, automatable and total impact are assumed, and the reason says so', () => {
    const result = sla(makeContext(), bod);
    expect(result.dueDate).toBe('2026-03-11');
    expect(result.reason).toContain('assumed: automatable, technical impact total');
  });

  it('a rule can select a timeline and set its own deadline', () => {
    const rules = [
      rule({ id: 'war-room', when: { bodTimeline: ['3-days-forensic', '3-days'] }, due: 1 }),
      ...bod,
    ];
    const ctx = makeContext({
      asset: { internetExposed: true },
      vulnerability: { kev: EXIM_KEV, ssvc: ssvc('yes', 'partial') },
    });
    expect(sla(ctx, rules)).toMatchObject({ rule: 'war-room', dueDate: '2026-01-11' });
  });
});

describe('SLA states', () => {
  const thirty = [rule({ id: 'thirty', due: 30, warnDays: 7 })];
  const at = (iso: string) => sla(makeContext(), thirty, new Date(iso)).state;

  it('on track, due soon within warnDays, breached once the due day has passed', () => {
    expect(sla(makeContext(), thirty).dueDate).toBe('2026-02-09');
    expect(at('2026-02-01T12:00:00Z')).toBe('on-track');
    expect(at('2026-02-02T00:00:00Z')).toBe('due-soon');
    expect(at('2026-02-09T23:59:00Z')).toBe('due-soon');
    expect(at('2026-02-10T00:00:00Z')).toBe('breached');
  });

  it('a fixed finding is closed, and so is one VEX says is not affected', () => {
    expect(sla(makeContext({ finding: { status: 'fixed' } }), thirty).state).toBe('closed');
    const vex = {
      status: 'suppressed' as const,
      suppression: { kind: 'vex' as const, justification: 'component_not_present' },
    };
    expect(sla(makeContext({ finding: vex }), thirty).state).toBe('closed');
  });
});

describe('exceptions and the SLA clock', () => {
  const thirty = [rule({ id: 'thirty', due: 30, warnDays: 7 })];
  const exception = makeException(); // 2026-01-15 … end of 2026-01-24

  it('an active exception pauses the clock; the due date moves by the time paused so far', () => {
    const result = computeSla(makeContext(), thirty, [exception], POLICY, new Date('2026-01-20T00:00:00Z'));
    expect(result).toMatchObject({ state: 'paused', exceptionId: 'EXC-1', dueDate: '2026-02-14' });
  });

  it('when it ends, the paused time (10 days) extends the due date and the clock runs again', () => {
    const judgeAt = (iso: string) => computeSla(makeContext(), thirty, [exception], POLICY, new Date(iso));
    expect(judgeAt('2026-02-15T00:00:00Z')).toMatchObject({ state: 'due-soon', dueDate: '2026-02-19' });
    expect(judgeAt('2026-02-20T00:00:00Z').state).toBe('breached');
    expect(judgeAt('2026-02-20T00:00:00Z').exceptionId).toBeUndefined();
  });

  it('a revoked exception paused only until its revocation', () => {
    const revoked = { ...exception, revokedAt: '2026-01-17T00:00:00.000Z' };
    const result = computeSla(makeContext(), thirty, [revoked], POLICY, new Date('2026-01-20T00:00:00Z'));
    expect(result).toMatchObject({ state: 'on-track', dueDate: '2026-02-11' });
  });

  it('an exception taken after the deadline pauses nothing once it ends', () => {
    const ctx = makeContext({ vulnerability: { kev: EXIM_KEV } });
    const kevListed = [
      rule({ id: 'kev', when: { kev: true }, due: 'kev-due-date', clockStart: 'kev-listed' }),
    ];
    const during = computeSla(ctx, kevListed, [exception], POLICY, new Date('2026-01-20T00:00:00Z'));
    expect(during).toMatchObject({ state: 'paused', dueDate: '2022-05-03' });
    const after = computeSla(ctx, kevListed, [exception], POLICY, new Date('2026-01-25T00:00:00Z'));
    expect(after).toMatchObject({ state: 'breached', dueDate: '2022-05-03' });
  });

  it('with pausesSla off, the exception is named but the clock keeps running', () => {
    const result = computeSla(
      makeContext(),
      thirty,
      [exception],
      { ...POLICY, pausesSla: false },
      new Date('2026-01-20T00:00:00Z'),
    );
    expect(result).toMatchObject({ state: 'on-track', dueDate: '2026-02-09', exceptionId: 'EXC-1' });
  });
});
