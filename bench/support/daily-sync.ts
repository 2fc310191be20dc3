/**
 * A typical daily sync on a bench store (issue #18), and the incremental run `patchcast sync` does
 * after it: the day after `BENCH_NOW`, 50 advisories of vulnerabilities the fleet has are re-published
 * (their CVSS score moves by 0.1; their packages become pending for the re-match, as a feed's write
 * makes them) and 300 of the fleet's CVEs get a new EPSS score. The sync's writes are one phase
 * (untimed for the target); the run after it (`runMatchAfterSync`: the pending re-match, then VEX, risk
 * and policies) is the timed one.
 */
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/index.js';
import { runMatchAfterSync } from '../../src/services/matching/match-after-sync.js';
import { insertEpssScores, loadVulnerability, upsertVulnerabilities } from '../../src/store/index.js';
import { BENCH_NOW, maxRssMiB, type PhaseFigures, type PhaseOptions, withStore } from './fleet-store.js';

const CHANGED_ADVISORIES = 50;
const CHANGED_EPSS = 300;
/** The day of the daily sync: the day after the bench's first run. */
export const SYNC_NOW = new Date(BENCH_NOW.getTime() + 86_400_000);
const SYNC_DAY = SYNC_NOW.toISOString().slice(0, 10);

export async function runDailySyncPhase(options: PhaseOptions): Promise<PhaseFigures> {
  return withStore(options, async (store) => {
    const started = performance.now();
    // Vulnerabilities on the fleet whose affected entries all come from their own source, so that
    // writing the record back replaces exactly what it had.
    const picked = await sql<{ id: string }>`
      select v.id from vulnerabilities v
      where exists (select 1 from finding_subjects s where s.vulnerability_id = v.id)
        and not exists (select 1 from affected_packages a where a.vulnerability_id = v.id and a.source <> v.source)
      order by v.id limit ${CHANGED_ADVISORIES}`.execute(store.db);
    const cves = await sql<{ cve: string; score: number }>`
      select e.cve_id as cve, e.score from epss_scores e
      where e.cve_id in (
          select a.alias from vulnerability_aliases a
          join finding_subjects s on s.vulnerability_id = a.vulnerability_id
          where a.alias like 'CVE-%')
        and e.score_date = (select max(p.score_date) from epss_scores p where p.cve_id = e.cve_id and p.score_date <= ${SYNC_DAY})
      order by e.cve_id limit ${CHANGED_EPSS}`.execute(store.db);
    await store.db.transaction().execute(async (db) => {
      const records = [];
      for (const { id } of picked.rows) {
        const v = await loadVulnerability(db, id);
        if (!v) continue;
        records.push({
          ...v,
          modified: SYNC_NOW.toISOString(),
          cvssScore: v.cvssScore === undefined ? 5 : Math.min(10, Math.round((v.cvssScore + 0.1) * 10) / 10),
        });
      }
      await upsertVulnerabilities(db, records);
      await insertEpssScores(
        db,
        cves.rows.map((r) => ({
          cveId: r.cve,
          scoreDate: SYNC_DAY,
          score: Math.min(1, r.score * 1.5 + 0.01),
        })),
      );
    });
    return {
      seconds: (performance.now() - started) / 1000,
      maxRssMiB: maxRssMiB(),
      advisories: picked.rows.length,
      epss: cves.rows.length,
    };
  });
}

/** What `patchcast sync` runs once its sources synced: the pending re-match, then VEX, risk, policies. */
export async function runIncrementalPhase(options: PhaseOptions): Promise<PhaseFigures> {
  const config = loadConfig(undefined, {});
  return withStore(options, async (store) => {
    const started = performance.now();
    const report = await runMatchAfterSync(store, { config, now: SYNC_NOW });
    return { seconds: (performance.now() - started) / 1000, maxRssMiB: maxRssMiB(), ...report };
  });
}
