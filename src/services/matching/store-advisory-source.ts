import type { AdvisorySource, VulnerabilityDetails } from '../../matching/advisory-source.js';
import {
  type Db,
  loadAdvisoryEcosystems,
  loadAdvisoryEntries,
  loadAliasesFor,
  loadVulnerabilityScores,
} from '../../store/index.js';

/** Advisories from the store (what `patchcast sync` brought in), for the matcher and the exports. */
export function makeStoreAdvisorySource(db: Db): AdvisorySource {
  return {
    loadEntries: (packages) => loadAdvisoryEntries(db, packages),
    loadEcosystems: () => loadAdvisoryEcosystems(db),
    async loadDetails(ids) {
      const aliases = await loadAliasesFor(db, ids);
      const out = await loadDetails(db, ids, aliases);
      // Distribution advisories (DSA, ALPINE-CVE-…) carry no score: take the CVE record's, when synced.
      const unscored = ids.filter(
        (id) => out.get(id)?.severity === undefined && out.get(id)?.cvssScore === undefined,
      );
      const cves = new Map(
        unscored.flatMap((id) =>
          (out.get(id)?.aliases ?? []).filter((a) => a.startsWith('CVE-')).map((cve) => [cve, id] as const),
        ),
      );
      const scored = await loadDetails(db, [...cves.keys()], new Map());
      for (const [cve, id] of cves) {
        const from = scored.get(cve);
        const to = out.get(id);
        if (!from || !to || to.severity !== undefined) continue;
        if (from.severity) to.severity = from.severity;
        if (from.cvssScore !== undefined) to.cvssScore = from.cvssScore;
      }
      return out;
    },
  };
}

async function loadDetails(
  db: Db,
  ids: readonly string[],
  aliases: Map<string, string[]>,
): Promise<Map<string, VulnerabilityDetails>> {
  const scores = await loadVulnerabilityScores(db, ids);
  return new Map([...scores].map(([id, score]) => [id, { aliases: aliases.get(id) ?? [], ...score }]));
}
