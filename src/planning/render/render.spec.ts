import { describe, expect, it } from 'vitest';
import { parseIcsEvents } from '../ics.js';
import type { Plan, PlanAssignment } from '../plan.js';
import { getPlanDiff } from '../replan.js';
import { getPlanChanges, renderPlanDiffText } from './diff.js';
import { getJobExplanation, renderJobExplanation } from './explain.js';
import { renderPlanHtml } from './html.js';
import { escapeIcsText, foldIcsLine, renderPlanIcs } from './ics.js';
import { renderPlanText, summarizePackages } from './text.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-05-04T00:00:00Z'); // a Monday

/** A plan of `n` jobs over daily 02:00–06:00 UTC occurrences: canary first, then broad. */
function makeTestPlan(n: number, perOccurrence = 4): Plan {
  const days = Math.ceil(n / perOccurrence);
  const occurrences = Array.from({ length: days + 1 }, (_, d) => {
    const start = new Date(T0 + d * 24 * HOUR + 2 * HOUR).toISOString();
    return {
      id: `nightly@${start}`,
      windowId: 'nightly',
      groups: ['default'],
      start,
      end: new Date(Date.parse(start) + 4 * HOUR).toISOString(),
      lastStart: new Date(Date.parse(start) + 3.5 * HOUR).toISOString(),
      capacity: 25,
      timezone: 'UTC',
    };
  });
  const assignments: PlanAssignment[] = Array.from({ length: n }, (_, i) => {
    const o = occurrences[Math.floor(i / perOccurrence)] ?? occurrences[0];
    const start = new Date(Date.parse(o?.start ?? '') + (i % perOccurrence) * 20 * 60_000).toISOString();
    return {
      jobId: `job:host-${i}`,
      assetId: `host-${i}`,
      slotId: o?.id ?? '',
      windowId: 'nightly',
      start,
      end: new Date(Date.parse(start) + 15 * 60_000).toISOString(),
      ring: i === 0 ? 'canary' : 'broad',
      packages: ['openssl@3.0.2', 'curl@8.1'],
      reasons: [
        `window nightly (${o?.start.slice(0, 10)} 02:00 UTC) — serves group default`,
        i === 0
          ? 'the earliest window open to this group in the horizon'
          : 'ring broad: starts after ring canary ends plus its 24 h soak',
        `risk rate ${(1 + i / 10).toFixed(2)}/h over 15 min`,
      ],
    };
  });
  return {
    createdAt: new Date(T0).toISOString(),
    horizonEnd: new Date(T0 + 30 * 24 * HOUR).toISOString(),
    assignments,
    unscheduled: [{ jobId: 'job:late-1', assetId: 'late-1', ring: 'broad', reason: 'no capacity left' }],
    objective: 120.5,
    bound: 118,
    gap: 0.0207,
    solveSeconds: 0.42,
    method: 'milp',
    exposure: 10,
    anchorExposure: 12,
    notes: [],
    occurrences,
    frozen: [
      {
        windowId: 'nightly',
        start: '2026-05-10T02:00:00.000Z',
        freezeId: 'quarter-end',
        groups: ['default'],
      },
    ],
  };
}

describe('plan rendering', () => {
  it('prints a text timeline per window occurrence, by ring in rollout order', () => {
    const text = renderPlanText(makeTestPlan(6), { id: 'p1', stored: true });
    expect(text).toMatch(/^plan p1 \(milp, stored\): 6 jobs in 2 window occurrences, 1 not in the horizon/);
    expect(text).toContain('objective 120.5 risk-hours · bound 118.0 · gap 2.07%');
    expect(text).toContain(
      'nightly · Mon 2026-05-04 02:00–06:00 UTC · 4 jobs\n  ring canary\n    02:00–02:15  host-0',
    );
    expect(text.indexOf('ring canary')).toBeLessThan(text.indexOf('ring broad'));
    expect(text).toContain('not in the horizon:\n  [broad] late-1: no capacity left');
  });

  it('exports an RFC 5545 calendar: CRLF, 75-octet folds, escaped text, one event per occurrence', () => {
    const plan = makeTestPlan(6);
    const first = plan.assignments[0];
    if (first) first.packages = ['libfoo;bar,baz\\qux@1', 'ünïcödé-€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€'];
    const ics = renderPlanIcs(plan, { id: 'p1' });
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(ics).toContain('DTSTAMP:20260504T000000Z');
    const events = parseIcsEvents(ics);
    expect(events.map((e) => [e.uid, e.start.toISOString(), e.end.toISOString()])).toEqual([
      ['p1.nightly.20260504T020000Z@patchcast', '2026-05-04T02:00:00.000Z', '2026-05-04T06:00:00.000Z'],
      ['p1.nightly.20260505T020000Z@patchcast', '2026-05-05T02:00:00.000Z', '2026-05-05T06:00:00.000Z'],
    ]);
    expect(events[0]?.summary).toBe('Patching nightly: 4 job(s), rings canary, broad');
    const lines = events[0]?.description?.split('\n') ?? [];
    expect(lines[1]).toBe(
      '02:00–02:15 [canary] host-0: libfoo;bar,baz\\qux@1, ünïcödé-€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€',
    );
    expect(lines).toHaveLength(5);
  });

  it('escapes and folds ICS text by the octet', () => {
    expect(escapeIcsText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    const folded = foldIcsLine(`DESCRIPTION:${'€'.repeat(40)}`);
    expect(folded.split('\r\n ').join('')).toBe(`DESCRIPTION:${'€'.repeat(40)}`);
    expect(folded.split('\r\n').map((l) => Buffer.byteLength(l))).toEqual([75, 58]); // 12 + 21 × 3, then a space + 19 × 3
  });

  it('draws a self-contained HTML Gantt with every job and its reasons', () => {
    const html = renderPlanHtml(makeTestPlan(6), { id: 'p1', stored: true });
    for (let i = 0; i < 6; i++) expect(html).toContain(`<td>host-${i}</td>`);
    expect(html).toContain('ring broad: starts after ring canary ends plus its 24 h soak');
    expect(html).toContain('frozen by &#39;quarter-end&#39;');
    expect(html).not.toMatch(/<(link|img|script)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('keeps a 10,000-job plan compact: one overview bar per ring and occurrence', () => {
    const plan = makeTestPlan(10_000, 400);
    const html = renderPlanHtml(plan, { id: 'big' });
    const overview = html.slice(html.indexOf('aria-label="plan overview"'), html.indexOf('</svg>'));
    expect(overview.match(/class="bar"/g)).toHaveLength(26); // 25 occurrences + the canary's
    expect(html).toContain('<td>host-9999</td>');
    expect(html.match(/class="job"/g)).toBeNull(); // 400 jobs an occurrence: tables only
    expect(html.length).toBeLessThan(12_000_000);
  });

  it('diffs two plans (added, moved from → to, removed) and explains a job', () => {
    const before = makeTestPlan(5);
    const after = makeTestPlan(6, 3);
    after.assignments = after.assignments.filter((a) => a.assetId !== 'host-1');
    const diff = getPlanDiff(before, after);
    const changes = getPlanChanges(before, after, diff);
    expect(changes.find((c) => c.assetId === 'host-3')).toMatchObject({
      kind: 'moved',
      from: 'nightly 2026-05-04 02:00 UTC',
      to: 'nightly 2026-05-05 02:00 UTC',
    });
    const text = renderPlanDiffText('p1', 'p2', diff, changes);
    expect(text).toContain('p1 → p2: 1 added, 1 moved, 1 removed, 3 unchanged');
    expect(text).toContain('+ host-5 [broad]  nightly 2026-05-05 02:00 UTC');
    expect(text).toContain('- host-1 [broad]  was nightly 2026-05-04 02:00 UTC');

    const e = getJobExplanation(after, 'host-4');
    expect(e).toMatchObject({ scheduled: true, ring: 'broad', windowId: 'nightly' });
    expect(getJobExplanation(after, 'job:host-4')).toEqual(e);
    expect(getJobExplanation(after, 'late-1')).toMatchObject({
      scheduled: false,
      reasons: ['no capacity left'],
    });
    expect(getJobExplanation(after, 'nope')).toBeUndefined();
    const text2 = renderJobExplanation(after, e as NonNullable<typeof e>, 'p2');
    expect(text2).toContain('host-4 (job:host-4) in plan p2: ring broad, window nightly, 02:20–02:35 UTC');
    expect(text2).toContain('  - ring broad: starts after ring canary ends plus its 24 h soak');
  });
});

describe('package summary in the text timeline', () => {
  it('lists up to four packages, then says how many more', () => {
    expect(summarizePackages(['a@1', 'b@2'])).toBe('a@1 b@2');
    const many = ['a@1', 'b@1', 'c@1', 'd@1', 'e@1', 'f@1'];
    expect(summarizePackages(many)).toBe('a@1 b@1 c@1 d@1 … (+2 more)');
  });
});
