import { type Db, listFindings } from '../../store/index.js';

/** Excepted findings per exception id. */
export async function loadCoveredCounts(db: Db): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const f of await listFindings(db, { status: ['excepted'] })) {
    const ref = f.suppression?.ref;
    if (ref) counts.set(ref, (counts.get(ref) ?? 0) + 1);
  }
  return counts;
}
