/**
 * Figure 2 of src/risk/readme.md: on the demo fleet (bundled snapshot), the top 50 by risk next to
 * the top 50 by CVSS, with the explanation of every difference. Prints markdown.
 *
 *   npx tsx scripts/risk-vs-cvss.ts [--top 50] [--now 2026-03-01]
 *
 * Runs `patchcast run`'s pipeline on a fresh temporary SQLite store, and scores as it does (the store's exploit
 * forecast or EPSS, whichever is higher; EPSS for KEV-listed CVEs, which the model does not score). Findings of one vulnerability on
 * one asset (the binary packages of one source package: exim4, exim4-base, …) share their score and
 * their fix, so they are listed once, as one (asset, vulnerability) row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/index.js';
import { formatContribution } from '../src/risk/score/index.js';
import { silentLogger } from '../src/services/deps.js';
import { makeForecastLoader } from '../src/services/model/exploit-forecast.js';
import { runPipeline } from '../src/services/pipeline/run-pipeline.js';
import { type ScoredFinding, scoreFindings } from '../src/services/risk/score-findings.js';
import { openStore } from '../src/store/index.js';

const { values: args } = parseArgs({
  options: { top: { type: 'string', default: '50' }, now: { type: 'string', default: '2026-03-01' } },
});
const TOP = Number(args.top);
const now = new Date(`${args.now}T00:00:00Z`);
const home = mkdtempSync(join(tmpdir(), 'patchcast-risk-vs-cvss-'));
const store = await openStore({ home });
const config = loadConfig(undefined, {});
const actor = { kind: 'system', id: 'script:risk-vs-cvss', role: 'admin' } as const;
await runPipeline({ store, config, clock: { now: () => now }, actor, logger: silentLogger }, { demo: true });
const scored = (
  await scoreFindings(store, {
    asOf: now,
    weights: config.risk.weights,
    model: makeForecastLoader(store, { now }),
  })
).filter((s) => s.context.finding.status === 'open');
await store.close();
rmSync(home, { recursive: true, force: true });

/** One (asset, vulnerability) row with its packages. */
interface Row {
  key: string;
  s: ScoredFinding;
  packages: string[];
}
const rows = new Map<string, Row>();
for (const s of scored) {
  const f = s.context.finding;
  const key = `${f.assetId} ${s.context.vulnerability.cve ?? f.vulnerabilityId}`;
  const row = rows.get(key) ?? { key, s, packages: [] };
  row.packages.push(f.packageName);
  rows.set(key, row);
}
const all = [...rows.values()];
const cvss = (r: Row) => r.s.context.vulnerability.cvssScore ?? -1;
const tie = (a: Row, b: Row) => a.key.localeCompare(b.key);
const byRisk = [...all].sort((a, b) => b.s.score.risk - a.s.score.risk || tie(a, b));
const byCvss = [...all].sort((a, b) => cvss(b) - cvss(a) || tie(a, b));
const riskRank = new Map(byRisk.map((r, k) => [r.key, k + 1]));
const cvssRank = new Map(byCvss.map((r, k) => [r.key, k + 1]));

const name = (r: Row) =>
  `${r.key.replace(' ', ' · ')} (${r.packages[0]}${r.packages.length > 1 ? ` +${r.packages.length - 1}` : ''})`;
const evidence = (r: Row) => {
  const v = r.s.context.vulnerability;
  const parts = [
    v.kev ? `KEV${v.kev.ransomware ? '+ransomware' : ''}` : 'not KEV',
    `maturity ${v.exploitMaturity}`,
  ];
  parts.push(
    v.modelProbability !== undefined
      ? `model ${(v.modelProbability * 100).toFixed(2)}%`
      : v.epss
        ? `EPSS ${v.epss.score.toFixed(3)}`
        : 'CVSS prior',
  );
  return parts.join(', ');
};
const reasons = (r: Row, n = 3) =>
  r.s.score.contributions
    .slice(0, n)
    .map((c) => formatContribution(c, 3))
    .join('; ');

console.log(
  `| # | by risk: asset · vulnerability | risk | SSVC | CVSS rank | by CVSS: asset · vulnerability | CVSS | risk rank |`,
);
console.log(`|---|---|---|---|---|---|---|---|`);
for (let k = 0; k < TOP; k++) {
  const a = byRisk[k];
  const b = byCvss[k];
  if (!a || !b) break;
  console.log(
    `| ${k + 1} | ${name(a)} | ${a.s.score.risk.toFixed(3)} | ${a.s.score.ssvc.decision} | ${cvssRank.get(a.key)} | ${name(b)} | ${cvss(b) < 0 ? '-' : cvss(b)} | ${riskRank.get(b.key)} |`,
  );
}
const inRisk = new Set(byRisk.slice(0, TOP).map((r) => r.key));
const inCvss = new Set(byCvss.slice(0, TOP).map((r) => r.key));
console.log(
  `\n**In the top ${TOP} by risk, not by CVSS** (${byRisk.slice(0, TOP).filter((r) => !inCvss.has(r.key)).length}):\n`,
);
for (const r of byRisk.slice(0, TOP).filter((x) => !inCvss.has(x.key)))
  console.log(
    `- ${name(r)} — risk #${riskRank.get(r.key)}, CVSS #${cvssRank.get(r.key)} (CVSS ${cvss(r) < 0 ? 'none' : cvss(r)}; ${evidence(r)}): ${reasons(r)}`,
  );
console.log(
  `\n**In the top ${TOP} by CVSS, not by risk** (${byCvss.slice(0, TOP).filter((r) => !inRisk.has(r.key)).length}):\n`,
);
for (const r of byCvss.slice(0, TOP).filter((x) => !inRisk.has(x.key)))
  console.log(
    `- ${name(r)} — CVSS #${cvssRank.get(r.key)} (CVSS ${cvss(r)}), risk #${riskRank.get(r.key)} (risk ${r.s.score.risk.toFixed(4)}; ${evidence(r)}): ${reasons(r)}`,
  );
console.log(
  `\n${all.length} (asset, vulnerability) pairs from ${scored.length} open findings; as of ${args.now}; default weights.`,
);
