import { type AsOf, getAsOf } from '../../risk/as-of.js';
import { type Db, loadNewestDataDay } from '../../store/index.js';

/** `getAsOf` with the store's newest data day (one query). */
export async function loadAsOf(db: Db, now: Date = new Date()): Promise<AsOf> {
  return getAsOf(now, await loadNewestDataDay(db));
}
