/**
 * `npm run drill -- rollout --hosts N --faults K --seed S [--seeds M] [--keep]`: the rollout
 * fault-injection drill (bench/drill/readme.md). Needs root (overlay test hosts) and the test
 * PostgreSQL. Prints each seed's faults and host verdicts, and as its last line one JSON object:
 * {"hosts","patched","rolledBack","doubleApplies","lostResults","faults", …} summed over the seeds.
 */
import { parseArgs } from 'node:util';
import { type DrillResult, runRolloutDrill } from './rollout-drill.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    hosts: { type: 'string', default: '6' },
    faults: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    seeds: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
if (positionals[0] !== 'rollout') {
  console.error('usage: npm run drill -- rollout --hosts N --faults K --seed S [--seeds M] [--keep]');
  process.exit(2);
}
if (process.getuid?.() !== 0) {
  console.error('the drill needs root: its test hosts are overlay mounts in their own namespaces');
  process.exit(2);
}
const [hosts, faults, seed, seeds] = [values.hosts, values.faults, values.seed, values.seeds].map(Number) as [
  number,
  number,
  number,
  number,
];
const results: DrillResult[] = [];
for (let s = seed; s < seed + seeds; s++) {
  const result = await runRolloutDrill({
    hosts,
    faults,
    seed: s,
    keep: values.keep,
    log: (l) => console.log(l),
  });
  for (const v of result.verdicts)
    console.log(
      `  ${v.hostname}: ${v.status}, at ${v.installed ?? 'absent'}, target installed ${v.targetInstalls}x${v.why.length ? ` — ${v.why.join('; ')}` : ''}`,
    );
  for (const v of result.verdicts)
    for (const line of v.trail ?? []) console.log(`    ${v.hostname}: ${line}`);
  const { verdicts, faultLog, ...figures } = result;
  console.log(`seed ${s}: ${JSON.stringify(figures)}`);
  results.push(result);
}
const sum = (key: keyof DrillResult) => results.reduce((n, r) => n + Number(r[key]), 0);
console.log(
  JSON.stringify({
    hosts: sum('hosts'),
    patched: sum('patched'),
    rolledBack: sum('rolledBack'),
    doubleApplies: sum('doubleApplies'),
    lostResults: sum('lostResults'),
    faults: sum('faults'),
    neither: sum('neither'),
    staleWrites: sum('staleWrites'),
    takeovers: sum('takeovers'),
    unexpected: sum('unexpected'),
    seeds: results.map((r) => r.seed),
    unfinished: results.filter((r) => r.rollout === 'running').length,
  }),
);
