import { makeSyntheticFleet } from '../src/planning/__fixtures__/fleet.js';
import { makePlan } from '../src/planning/plan.js';

// Synthetic seeded fleets: 6 window groups × 10 windows = 60 windows over 30 days, 6 rings, a
// year-end freeze, service groups. Prints solve time, objective, bound, gap and the expected exposure
// against the anchors' rule ("each job into the first free window, in SLA order").
const quick = process.argv.includes('--quick');
const sizes = quick ? [1000] : [1000, 10_000];
for (const hosts of sizes) {
  const input = makeSyntheticFleet({ hosts, seed: 42, groups: 6, windowsPerGroup: 10 });
  const plan = await makePlan(input, { timeLimitSeconds: 20 });
  console.log(
    [
      `hosts ${hosts}`,
      `jobs ${plan.assignments.length + plan.unscheduled.length}`,
      `method ${plan.method}`,
      `solve ${plan.solveSeconds.toFixed(2)} s`,
      `objective ${plan.objective.toFixed(0)}`,
      `bound ${plan.bound.toFixed(0)}`,
      `gap ${(plan.gap * 100).toFixed(2)}%`,
      `exposure vs anchors' rule ${(plan.exposure / plan.anchorExposure).toFixed(3)}`,
      `unscheduled ${plan.unscheduled.length}`,
    ].join(' · '),
  );
  for (const note of plan.notes.slice(0, 4)) console.log(`  note: ${note}`);
}
