import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RiskException } from '../types.js';
import { makeContext, makeException, rule } from './__fixtures__/contexts.js';
import { computeSla } from './compute-sla.js';
import { getDay } from './dates.js';

const DAY = 86_400_000;
const T0 = Date.parse('2025-01-01T00:00:00Z');
const instant = fc.integer({ min: 0, max: 800 * DAY }).map((ms) => new Date(T0 + ms));

/** Random exceptions on the finding's vulnerability, some revoked; each created before it expires. */
const exceptions = fc.array(
  fc.record({
    created: instant,
    length: fc.integer({ min: 1, max: 120 * DAY }),
    revokedAfter: fc.option(fc.integer({ min: 0, max: 120 * DAY })),
  }),
  { maxLength: 5 },
);

function toExceptions(
  raw: Array<{ created: Date; length: number; revokedAfter: number | null }>,
): RiskException[] {
  return raw.map((r, i) =>
    makeException({
      id: `EXC-${i}`,
      createdAt: r.created.toISOString(),
      expiresAt: new Date(r.created.getTime() + r.length).toISOString(),
      ...(r.revokedAfter === null
        ? {}
        : { revokedAt: new Date(r.created.getTime() + r.revokedAfter).toISOString() }),
    }),
  );
}

describe('SLA invariants', () => {
  it('a day-count rule never sets a due date before first detection, whatever the exceptions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3650 }),
        instant,
        instant,
        exceptions,
        fc.boolean(),
        (days, firstSeen, now, raw, pauses) => {
          const ctx = makeContext({ finding: { firstSeen: firstSeen.toISOString() } });
          const policy = { maxDays: 90, requireApprover: true, pausesSla: pauses };
          const result = computeSla(ctx, [rule({ id: 'n', due: days })], toExceptions(raw), policy, now);
          expect(result.dueDate).not.toBeNull();
          expect((result.dueDate as string) >= getDay(ctx.finding.firstSeen)).toBe(true);
        },
      ),
    );
  });

  it('an expired or revoked exception never hides a finding: no pause, no exception named', () => {
    fc.assert(
      fc.property(instant, exceptions, fc.integer({ min: 0, max: 200 * DAY }), (firstSeen, raw, after) => {
        const ended = toExceptions(raw);
        const latestEnd = Math.max(
          0,
          ...ended.map((e) =>
            Math.min(
              Date.parse(e.expiresAt),
              e.revokedAt ? Date.parse(e.revokedAt) : Number.POSITIVE_INFINITY,
            ),
          ),
        );
        const now = new Date(latestEnd + after);
        const ctx = makeContext({ finding: { firstSeen: firstSeen.toISOString() } });
        const result = computeSla(
          ctx,
          [rule({ id: 'thirty', due: 30 })],
          ended,
          { maxDays: 90, requireApprover: true, pausesSla: true },
          now,
        );
        expect(result.state).not.toBe('paused');
        expect(result.exceptionId).toBeUndefined();
      }),
    );
  });

  it('pausing never brings a due date forward', () => {
    fc.assert(
      fc.property(instant, instant, exceptions, (firstSeen, now, raw) => {
        const ctx = makeContext({ finding: { firstSeen: firstSeen.toISOString() } });
        const rules = [rule({ id: 'thirty', due: 30 })];
        const on = computeSla(
          ctx,
          rules,
          toExceptions(raw),
          { maxDays: 90, requireApprover: true, pausesSla: true },
          now,
        );
        const off = computeSla(ctx, rules, [], { maxDays: 90, requireApprover: true, pausesSla: true }, now);
        expect((on.dueDate as string) >= (off.dueDate as string)).toBe(true);
      }),
    );
  });
});
