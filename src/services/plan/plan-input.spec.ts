import { describe, expect, it } from 'vitest';
import { readConfig } from '../../config/index.js';
import { makePlan } from '../../planning/plan.js';
import type { PlanInput } from '../../planning/problem.js';
import { getPlanOptions, getServiceLimits } from './plan-input.js';

const NOW = new Date('2026-05-04T00:00:00Z'); // a Monday

const windows = `windows:
  - { id: weekday-morning, groups: [default], cron: "0 10 * * 1-5", duration: 4h }
  - { id: saturday-night, groups: [default], cron: "0 2 * * 6", duration: 4h }
`;

function makeInput(config: ReturnType<typeof readConfig>): PlanInput {
  return {
    now: NOW,
    horizonDays: 14,
    assets: [{ id: 'app-1', tags: [], services: [] }],
    findings: [{ id: 'f1', assetId: 'app-1', packageName: 'linux-image-amd64', risk: 0.5 }],
    windows: config.windows,
    freezes: [],
    rings: [],
  };
}

describe('planning config', () => {
  it('objective weights and the per-occurrence cap from patchcast.yaml change the plan', async () => {
    // One 12-minute job fits an occurrence; the riskier job goes first unless an SLA breach costs more.
    const yaml = (slaBreach: number) =>
      `windows:\n  - { id: nightly, groups: [default], cron: "0 2 * * *", duration: 1h }\nplanning:\n  maxJobMinutesPerOccurrence: 12\n  weights: { slaBreach: ${slaBreach} }\n`;
    const input = (config: ReturnType<typeof readConfig>): PlanInput => ({
      ...makeInput(config),
      assets: [
        { id: 'risky', tags: [], services: [] },
        { id: 'due-soon', tags: [], services: [] },
      ],
      findings: [
        { id: 'f1', assetId: 'risky', packageName: 'curl', risk: 5 },
        { id: 'f2', assetId: 'due-soon', packageName: 'curl', risk: 1, dueDate: '2026-05-05' },
      ],
    });
    const order = async (slaBreach: number) => {
      const config = readConfig(yaml(slaBreach), '/p/patchcast.yaml', {});
      const plan = await makePlan(input(config), getPlanOptions(config));
      return plan.assignments.map((a) => `${a.assetId} ${a.start.slice(0, 10)}`);
    };
    expect(await order(0)).toEqual(['risky 2026-05-04', 'due-soon 2026-05-05']);
    expect(await order(1000)).toEqual(['due-soon 2026-05-04', 'risky 2026-05-05']);
  });

  it('job minutes come from the config', async () => {
    const config = readConfig(
      `${windows}planning:\n  jobMinutes: { base: 30, perPackage: 5, reboot: 15 }\n`,
      '/p/patchcast.yaml',
      {},
    );
    const plan = await makePlan(makeInput(config), { ...getPlanOptions(config), method: 'greedy' });
    const [job] = plan.assignments;
    expect(Date.parse(job?.end ?? '') - Date.parse(job?.start ?? '')).toBe(50 * 60_000);
  });

  it('availability: a count or a percent per service, else the default', () => {
    const config = readConfig(
      'planning:\n  availability:\n    default: { maxDownPercent: 50 }\n    services:\n      db: { maxDown: 1 }\n      web: { maxDownPercent: 25 }\n',
      '/p/patchcast.yaml',
      {},
    );
    const assets = [
      ...Array.from({ length: 8 }, () => ({ services: ['web'] })),
      ...Array.from({ length: 3 }, () => ({ services: ['db', 'cache'] })),
    ];
    expect(getServiceLimits(config, assets)).toEqual({ web: 2, db: 1 });
    expect(getPlanOptions(config).serviceDownFraction).toBe(0.5); // cache: ⌊3 × 50 %⌋ by the planner
    const counted = readConfig(
      'planning:\n  availability:\n    default: { maxDown: 2 }\n',
      '/p/patchcast.yaml',
      {},
    );
    expect(getServiceLimits(counted, assets)).toEqual({ web: 2, db: 2, cache: 2 });
  });

  it('rejects an availability that gives both or neither of maxDown and maxDownPercent', () => {
    expect(() =>
      readConfig(
        'planning:\n  availability:\n    default: {}\n    services:\n      web: { maxDown: 1, maxDownPercent: 10 }\n',
        '/p/patchcast.yaml',
        {},
      ),
    ).toThrow(
      /planning\.availability\.default: give exactly one of maxDown \(a count\) or maxDownPercent; planning\.availability\.services\.web: give exactly one/,
    );
    expect(() => readConfig('planning:\n  weights: { slaBreech: 5 }\n', '/p/patchcast.yaml', {})).toThrow(
      /planning\.weights\.slaBreech/,
    );
  });
});
