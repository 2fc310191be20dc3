import { epssSource } from './epss/index.js';
import { kevSource } from './kev/index.js';
import type { FeedSource } from './types.js';

/** Every feed source, one line each (id → implementation), in the order `patchcast sync` runs them. */
export const FEED_SOURCES: readonly FeedSource[] = [kevSource, epssSource];

/** The source with this id, or undefined. */
export function getFeedSource(id: string): FeedSource | undefined {
  return FEED_SOURCES.find((s) => s.id === id);
}
