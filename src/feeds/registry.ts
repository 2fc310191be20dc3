import { cveSource } from './cve/index.js';
import { debianAdvisoriesSource } from './debian-advisories/index.js';
import { epssSource } from './epss/index.js';
import { exploitdbSource } from './exploitdb/index.js';
import { exploitsSource } from './exploits/index.js';
import { kevSource } from './kev/index.js';
import { metasploitSource } from './metasploit/index.js';
import { nucleiSource } from './nuclei/index.js';
import { nvdSource } from './nvd/index.js';
import { osvSource } from './osv/index.js';
import { pocInGithubSource } from './poc-in-github/index.js';
import { stixSource } from './stix/index.js';
import type { FeedSource } from './types.js';
import { vulnrichmentSource } from './vulnrichment/index.js';

/** Every feed source, one line each (id → implementation), in the order `patchcast sync` runs them. */
export const FEED_SOURCES: readonly FeedSource[] = [
  kevSource,
  epssSource,
  osvSource,
  cveSource,
  nvdSource,
  vulnrichmentSource,
  exploitdbSource,
  metasploitSource,
  nucleiSource,
  pocInGithubSource,
  exploitsSource,
  stixSource,
  debianAdvisoriesSource,
];

/** The source with this id, or undefined. */
export function getFeedSource(id: string): FeedSource | undefined {
  return FEED_SOURCES.find((s) => s.id === id);
}
