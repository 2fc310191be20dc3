import { z } from 'zod';
import type { ExploitSighting } from '../../core/types.js';
import { FeedError, parseFeedJson } from '../errors.js';
import { listTreeFiles, type TreeFile } from '../file-tree.js';
import { readLocation } from '../resource.js';
import { makeSightingBatcher, toSeenAt } from '../sighting-batches.js';
import type { FeedRead, FeedSource, SyncContext } from '../types.js';

/** The feed's id; its sightings use the store's common name for GitHub PoC repositories. */
const ID = 'poc-in-github';
const SOURCE = 'github-poc';
const CVE_FILE = /(?:^|\/)(CVE-\d{4}-\d{4,})\.json$/i;
const IN_YEAR_DIR = /(?:^|\/)\d{4}\/CVE-\d{4}-\d{4,}\.json$/i;

const repoSchema = z.object({
  html_url: z.string().regex(/^https:\/\/github\.com\/[^/]+\/[^/]+$/, 'expected a GitHub repository URL'),
  created_at: z.iso.datetime({ offset: true, message: 'expected an ISO date-time' }),
  full_name: z.string().optional(),
  description: z.string().nullish(),
  fork: z.boolean().optional(),
  stargazers_count: z.number().int().nonnegative().optional(),
});
const fileSchema = z.array(z.unknown());

/**
 * nomi-sec/PoC-in-GitHub: `<year>/CVE-….json`, each an array of GitHub repositories (GitHub API
 * objects) said to hold a PoC. Read from a clone, the repository's zip archive, or one such file.
 */
export const pocInGithubSource: FeedSource = {
  id: ID,
  description: 'PoC-in-GitHub (nomi-sec): GitHub PoC repositories per CVE, dated by repository creation',
  defaultUrl: 'https://github.com/nomi-sec/PoC-in-GitHub/archive/refs/heads/master.zip',
  mirrorNames: ['PoC-in-GitHub', 'PoC-in-GitHub-master.zip', 'PoC-in-GitHub.zip'],
  read: (ctx) => readLocation(ctx, ID, (path) => readTree(ctx, path)),
};

async function* readTree(ctx: SyncContext, path: string): FeedRead {
  const batcher = makeSightingBatcher([SOURCE]);
  let files = 0;
  for await (const file of listTreeFiles(ID, path, (name) => IN_YEAR_DIR.test(name), ctx.maxBytes)) {
    const cveId = CVE_FILE.exec(file.name)?.[1]?.toUpperCase();
    if (!cveId) throw new FeedError(ID, file.where, undefined, 'expected a file named CVE-YYYY-NNNN.json');
    for (const sighting of await readRepos(ctx, file, cveId)) {
      const full = batcher.add(sighting);
      if (full) yield full;
    }
    files++;
  }
  if (files === 0)
    throw new FeedError(
      ID,
      path,
      undefined,
      'no <year>/CVE-….json files found',
      'Point --from at a PoC-in-GitHub clone or its zip archive.',
    );
  yield batcher.drain();
  return batcher.newest ? { newest: batcher.newest } : {};
}

async function readRepos(ctx: SyncContext, file: TreeFile, cveId: string): Promise<ExploitSighting[]> {
  const text = await file.text();
  ctx.progress.advance(text.length);
  const document = parseFeedJson(ID, file.where, undefined, text);
  const list = fileSchema.safeParse(document);
  if (!list.success) throw new FeedError(ID, file.where, undefined, 'expected an array of repositories');
  return list.data.map((raw, i) => toSighting(file.where, cveId, raw, i));
}

function toSighting(where: string, cveId: string, raw: unknown, index: number): ExploitSighting {
  const parsed = repoSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FeedError(
      ID,
      where,
      `[${index}]`,
      `${issue?.path.join('.') || 'repository'}: ${issue?.message}`,
    );
  }
  const repo = parsed.data;
  const data: Record<string, unknown> = {};
  if (repo.full_name) data.fullName = repo.full_name;
  if (repo.description) data.description = repo.description;
  if (repo.fork) data.fork = true;
  // Stars are counted when the file was written, not at created_at: never a feature "as of" an earlier date.
  if (repo.stargazers_count !== undefined) data.starsAtSync = repo.stargazers_count;
  const seenAt = toSeenAt(repo.created_at) ?? repo.created_at;
  return { cveId, source: SOURCE, url: repo.html_url, seenAt, maturity: 'poc', data };
}
