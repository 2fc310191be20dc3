import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import type { KevEntry } from '../../core/types.js';
import type { KevRemoval } from '../../store/index.js';
import { FeedError, parseFeedJson } from '../errors.js';
import { readLocation } from '../resource.js';
import type { FeedOutcome, FeedRead, FeedSource, SyncContext } from '../types.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const entrySchema = z.object({
  cveID: z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'expected a CVE id'),
  vendorProject: z.string().optional(),
  product: z.string().optional(),
  vulnerabilityName: z.string().optional(),
  dateAdded: day,
  dueDate: day.optional(),
  requiredAction: z.string().optional(),
  knownRansomwareCampaignUse: z.string().optional(),
  notes: z.string().optional(),
});
const catalogSchema = z.object({
  catalogVersion: z.string().optional(),
  dateReleased: z.string().optional(),
  vulnerabilities: z.array(z.unknown()),
});
const removedSchema = z.array(z.object({ cve: z.string(), dateAdded: day.optional(), removed_by: day }));

/** CISA's catalog of Known Exploited Vulnerabilities (JSON feed), and the list of removed entries. */
export const kevSource: FeedSource = {
  id: 'kev',
  description: 'CISA Known Exploited Vulnerabilities catalog (dateAdded, dueDate, ransomware use)',
  defaultUrl: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
  mirrorNames: ['known_exploited_vulnerabilities.json', 'kev.json', 'kev_removed.json'],
  read: (ctx) =>
    readLocation(ctx, 'kev', async function* (path) {
      const document = parseFeedJson('kev', path, undefined, await readFile(path, 'utf8'));
      return Array.isArray(document)
        ? yield* readRemovals(path, document)
        : yield* readCatalog(ctx, path, document);
    }),
};

async function* readCatalog(ctx: SyncContext, file: string, document: unknown): FeedRead {
  const catalog = catalogSchema.safeParse(document);
  if (!catalog.success)
    throw new FeedError('kev', file, undefined, `not a KEV catalog: ${catalog.error.issues[0]?.message}`);
  const released = catalog.data.dateReleased;
  // The cursor is the catalog's release time: a mirror serving an older catalog than we hold is stale.
  if (released && ctx.state?.cursor && released < ctx.state.cursor) {
    throw new FeedError(
      'kev',
      file,
      undefined,
      `the catalog released ${released} is older than the one already synced (${ctx.state.cursor}): the feed went backwards in time`,
      'Point --from at a current copy of the catalog.',
    );
  }
  const entries = catalog.data.vulnerabilities.map((raw, i) => toEntry(file, raw, i));
  // Always one batch, even an empty catalog: the sync counts what the store holds after it.
  yield { kind: 'kev', records: entries };
  const newest = entries.reduce<string | undefined>(
    (max, e) => (max === undefined || e.dateAdded > max ? e.dateAdded : max),
    undefined,
  );
  const outcome: FeedOutcome = {};
  if (newest) outcome.newest = newest;
  if (released) outcome.cursor = released;
  return outcome;
}

function toEntry(file: string, raw: unknown, index: number): KevEntry {
  const parsed = entrySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const id = (raw as { cveID?: unknown })?.cveID;
    throw new FeedError(
      'kev',
      file,
      `vulnerabilities[${index}]${typeof id === 'string' ? ` ${id}` : ''}`,
      `${issue?.path.join('.') || 'entry'}: ${issue?.message}`,
    );
  }
  const e = parsed.data;
  const entry: KevEntry = {
    cveId: e.cveID,
    dateAdded: e.dateAdded,
    ransomware: e.knownRansomwareCampaignUse?.toLowerCase() === 'known',
  };
  if (e.vendorProject) entry.vendor = e.vendorProject;
  if (e.product) entry.product = e.product;
  if (e.vulnerabilityName) entry.name = e.vulnerabilityName;
  if (e.dueDate) entry.dueDate = e.dueDate;
  if (e.requiredAction) entry.requiredAction = e.requiredAction;
  if (e.notes) entry.notes = e.notes;
  return entry;
}

/** `kev_removed.json`: entries CISA took off the catalog, with the date; kept, marked removed. */
async function* readRemovals(file: string, document: unknown): FeedRead {
  const parsed = removedSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FeedError(
      'kev',
      file,
      `[${issue?.path.join('.')}]`,
      `not a list of removed KEV entries: ${issue?.message}`,
    );
  }
  const removals = parsed.data.map((removal): KevRemoval => {
    const out: KevRemoval = { cveId: removal.cve, removedAt: removal.removed_by };
    if (removal.dateAdded)
      out.entry = {
        cveId: removal.cve,
        dateAdded: removal.dateAdded,
        ransomware: false,
        removedAt: removal.removed_by,
        notes: `removed from the catalog (${basename(file)})`,
      };
    return out;
  });
  yield { kind: 'kev-removals', records: removals };
  return {};
}
