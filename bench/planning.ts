import { makeBenchFleet } from '../src/planning/__fixtures__/fleet.js';
import { getLowerBound } from '../src/planning/bound.js';
import { makePlanModel } from '../src/planning/model.js';
import { makePlan } from '../src/planning/plan.js';
import { makePlanProblem, type PlanInput } from '../src/planning/problem.js';

/*
 * Planner benchmark: `npx tsx bench/planning.ts` (1,000 and 10,000 hosts; `--quick` for 1,000 only).
 *
 * How the fleet is built (src/planning/__fixtures__/fleet.ts, makeBenchFleet, seed 42) and why:
 * - 20 % dev, ~15 % staging, ~65 % prod; 6 teams, each its own window group with a 4 h night window
 *   every 3 days (10 per team, 60 over 30 days). Each window admits ⌈1.5 × team size / 10⌉ hosts, so
 *   the whole fleet fits about 1.5× over the horizon — but six rings with soak use much of it, so
 *   capacity is tight enough that which job goes first matters, as in real change calendars.
 * - Services of 3–8 replicas owned by one team (55 % of hosts), at most ⌊34 %⌋ (≥ 1) of a service
 *   down per window; 10 % of services have a database-before-application dependency.
 * - Findings per host: 1 + ⌊Exp(mean 3)⌋. Risk per finding is EPSS-like: lognormal(−4.5, 1.3)
 *   (median ≈ 0.01/h), plus 3–10 for the 1.5 % listed in CISA KEV; internet-facing prod hosts (12 %)
 *   ×3. So a few hosts carry most of the risk, as in real scans (printed below as the share of the top 5 %).
 * - SLA due dates come from CVSS severity (critical 15 d, high 30 d, medium 90 d, low 180 d) counted
 *   from when the finding was first seen (0–120 days ago), not from exploitation risk: a medium
 *   finding seen long ago can be due before a fresh KEV one, and some are already overdue.
 * - Freezes: year-end (22–23 Dec, everyone) and a release freeze for team2 (8–9 Dec).
 * - Rings: canary (tag, ~1 %) → dev → staging → prod 10 % → prod up to 90 % → the rest; soak 12–24 h.
 * The anchors' rule is the same rings and limits with each job in the first free window in SLA order.
 */
const quick = process.argv.includes('--quick');
const sizes = quick ? [1000] : [1000, 10_000];
const fmt = (n: number) => n.toFixed(0);
const NO_PENALTIES = { slaBreach: 0, unscheduled: 0, disruption: 0 };

/** A valid lower bound on the exposure of any plan keeping the rules: the bound with penalties off. */
async function getExposureFloor(input: PlanInput): Promise<number> {
  const { problem } = makePlanProblem(input, { weights: NO_PENALTIES });
  return (await getLowerBound(makePlanModel(problem), new Map(), 20)).value;
}

function getTopShare(input: PlanInput): number {
  const rates = new Map<string, number>();
  for (const f of input.findings) rates.set(f.assetId, (rates.get(f.assetId) ?? 0) + (f.risk ?? 0));
  const sorted = [...rates.values()].sort((a, b) => b - a);
  const total = sorted.reduce((a, b) => a + b, 0);
  return sorted.slice(0, Math.ceil(sorted.length * 0.05)).reduce((a, b) => a + b, 0) / total;
}

async function run(label: string, input: PlanInput): Promise<void> {
  const started = performance.now();
  const plan = await makePlan(input, { timeLimitSeconds: 20 });
  const wall = (performance.now() - started) / 1000;
  const floor = await getExposureFloor(input);
  console.log(
    [
      label,
      `jobs ${plan.assignments.length + plan.unscheduled.length}`,
      `method ${plan.method}`,
      `solve ${plan.solveSeconds.toFixed(2)} s (wall ${wall.toFixed(2)} s)`,
      `objective ${fmt(plan.objective)}`,
      `bound ${fmt(plan.bound)}`,
      `gap ${(plan.gap * 100).toFixed(2)}%`,
    ].join(' · '),
  );
  console.log(
    [
      `  exposure ${fmt(plan.exposure)} vs anchors' rule ${fmt(plan.anchorExposure)}: ratio ${(plan.exposure / plan.anchorExposure).toFixed(3)}`,
      `best any valid plan could reach ≥ ${(floor / plan.anchorExposure).toFixed(3)}`,
    ].join(' · '),
  );
  console.log(
    [
      `  unscheduled ${plan.unscheduled.length} vs ${plan.anchor?.unscheduled}`,
      `SLA breaches ${plan.slaBreaches} vs ${plan.anchor?.slaBreaches}`,
      `anchors' objective ${fmt(plan.anchor?.objective ?? 0)}`,
      `top 5% of hosts carry ${(100 * getTopShare(input)).toFixed(0)}% of risk`,
    ].join(' · '),
  );
  for (const note of plan.notes.slice(0, 3)) console.log(`  note: ${note}`);
}

for (const hosts of sizes) {
  const input = makeBenchFleet({ hosts, seed: 42 });
  await run(`hosts ${hosts}, 6 rings`, input);
}
// The same fleets with two rings (canary, then everyone): ordering, not ring soak, decides exposure.
for (const hosts of sizes) {
  const input = makeBenchFleet({ hosts, seed: 42 });
  input.rings = [input.rings[0] ?? { id: 'canary', soakMinutes: 720 }, { id: 'everyone', soakMinutes: 0 }];
  await run(`hosts ${hosts}, 2 rings`, input);
}
