import streamObject from 'stream-json/streamers/stream-object.js';
import { z } from 'zod';
import type { ExploitSighting } from '../../core/types.js';
import { FeedError } from '../errors.js';
import { openTextStream, readLocation } from '../resource.js';
import { makeSightingBatcher, toCveId, toSeenAt } from '../sighting-batches.js';
import type { FeedRead, FeedSource, SyncContext } from '../types.js';

const SOURCE = 'metasploit';
const REPOSITORY = 'https://github.com/rapid7/metasploit-framework/blob/master';
/** Metasploit's numeric ranks (`Msf::Module::Ranking`), named as the framework names them. */
const RANKS: Readonly<Record<number, string>> = {
  0: 'ManualRanking',
  100: 'LowRanking',
  200: 'AverageRanking',
  300: 'NormalRanking',
  400: 'GoodRanking',
  500: 'GreatRanking',
  600: 'ExcellentRanking',
};

const moduleSchema = z.object({
  fullname: z.string().min(1),
  type: z.string().min(1),
  name: z.string().optional(),
  references: z.array(z.string()).nullish(),
  disclosure_date: z.string().nullish(),
  mod_time: z.string().nullish(),
  rank: z.union([z.number(), z.string()]).nullish(),
  path: z.string().nullish(),
});
type ModuleEntry = z.infer<typeof moduleSchema>;

/**
 * Metasploit's module cache (`db/modules_metadata_base.json`, an object keyed by module), streamed:
 * every module referencing a CVE is a weaponized sighting of that CVE, dated by the module's
 * `mod_time` (see readme: never by `disclosure_date`, which predates the module).
 */
export const metasploitSource: FeedSource = {
  id: SOURCE,
  description: 'Metasploit modules (modules_metadata_base.json): weaponized exploits per CVE',
  defaultUrl:
    'https://raw.githubusercontent.com/rapid7/metasploit-framework/master/db/modules_metadata_base.json',
  mirrorNames: ['modules_metadata_base.json', 'modules_metadata_base.json.gz'],
  read: (ctx) => readLocation(ctx, SOURCE, (path) => readModules(ctx, path)),
};

async function* readModules(ctx: SyncContext, file: string): FeedRead {
  const batcher = makeSightingBatcher([SOURCE]);
  const stream = await openTextStream(file, (n) => ctx.progress.advance(n));
  const modules = streamObject.withParserAsStream();
  stream.on('error', (error) => modules.destroy(error));
  stream.pipe(modules);
  let last: string | undefined;
  let count = 0;
  try {
    for await (const { key, value } of modules as AsyncIterable<{ key: string; value: unknown }>) {
      for (const sighting of toSightings(ctx, file, key, value)) {
        const full = batcher.add(sighting);
        if (full) yield full;
      }
      last = key;
      count++;
    }
  } catch (error) {
    if (error instanceof FeedError) throw error;
    const where = last === undefined ? 'at the start' : `after module ${last}`;
    throw new FeedError(
      SOURCE,
      file,
      where,
      `not a readable module cache (${(error as Error).message}); the file may be truncated`,
    );
  }
  if (count === 0) throw new FeedError(SOURCE, file, undefined, 'the file holds no modules');
  yield batcher.drain();
  return batcher.newest ? { newest: batcher.newest } : {};
}

function toSightings(ctx: SyncContext, file: string, key: string, value: unknown): ExploitSighting[] {
  const parsed = moduleSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FeedError(
      SOURCE,
      file,
      `module ${key}`,
      `${issue?.path.join('.') || 'module'}: ${issue?.message}`,
    );
  }
  const entry = parsed.data;
  const cves = new Set((entry.references ?? []).map(toCveId).filter((id): id is string => id !== undefined));
  if (cves.size === 0) return [];
  // mod_time is when the cache last saw the file change: never before the module existed, so no leak.
  const seenAt = toSeenAt(entry.mod_time) ?? ctx.now.toISOString();
  const url = moduleUrl(entry);
  const data = moduleData(entry);
  return [...cves].map((cveId) => ({ cveId, source: SOURCE, url, seenAt, maturity: 'weaponized', data }));
}

/** The module's source on GitHub, in the form the shared exploit data uses (no `.rb`). */
function moduleUrl(entry: ModuleEntry): string {
  const path = entry.path?.startsWith('/modules/')
    ? entry.path
    : `/modules/${entry.type}s/${entry.fullname.split('/').slice(1).join('/')}`;
  return `${REPOSITORY}${path.replace(/\.rb$/, '')}`;
}

function moduleData(entry: ModuleEntry): Record<string, unknown> {
  const data: Record<string, unknown> = { module: entry.fullname, moduleType: entry.type };
  if (entry.name) data.name = entry.name;
  if (entry.disclosure_date) data.disclosureDate = entry.disclosure_date;
  if (entry.mod_time) data.modTime = entry.mod_time;
  const rank = typeof entry.rank === 'number' ? RANKS[entry.rank] : entry.rank;
  if (rank) data.rank = rank;
  return data;
}
