import { stat } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ExploitSighting } from '../../core/types.js';
import { FeedError, parseFeedJson } from '../errors.js';
import { isZipFile, listTreeFiles } from '../file-tree.js';
import { readLines, readLocation } from '../resource.js';
import { makeSightingBatcher, type SightingBatcher, toCveId } from '../sighting-batches.js';
import type { FeedBatch, FeedRead, FeedSource, SyncContext } from '../types.js';

const SOURCE = 'nuclei';
const REPOSITORY = 'https://github.com/projectdiscovery/nuclei-templates/blob/main';
/** The top folder of a GitHub archive or a clone (`nuclei-templates-main/`), dropped from paths. */
const TOP_FOLDER = /^nuclei-templates[^/]*\//;

/** Batches of sightings, then how many templates or index lines were read. */
type Sightings = AsyncGenerator<FeedBatch, number, undefined>;

const templateSchema = z.object({
  id: z.string().min(1),
  info: z
    .object({
      name: z.string().optional(),
      severity: z.string().optional(),
      classification: z.object({ 'cve-id': z.union([z.string(), z.array(z.string())]).nullish() }).nullish(),
    })
    .optional(),
});
const indexLineSchema = z.object({
  ID: z.string(),
  Info: z.object({ Name: z.string().optional(), Severity: z.string().optional() }).optional(),
  file_path: z.string().min(1),
});

/**
 * ProjectDiscovery's nuclei templates: a templates tree (clone or zip archive; YAML templates whose
 * `info.classification.cve-id` names CVEs) or its `cves.json` index (one JSON object a line). A
 * working detection template is a weaponized sighting. Templates carry no date: see the readme.
 */
export const nucleiSource: FeedSource = {
  id: SOURCE,
  description: 'nuclei templates (a templates tree or cves.json): weaponized detections per CVE',
  defaultUrl: 'https://raw.githubusercontent.com/projectdiscovery/nuclei-templates/main/cves.json',
  mirrorNames: ['nuclei-templates', 'nuclei-templates-main.zip', 'cves.json'],
  read: (ctx) =>
    readLocation(ctx, SOURCE, (path, isDirectory) => readTemplatesOrIndex(ctx, path, isDirectory)),
};

async function* readTemplatesOrIndex(ctx: SyncContext, path: string, isDirectory: boolean): FeedRead {
  const batcher = makeSightingBatcher([SOURCE]);
  const tree = isDirectory || ((await stat(path)).isFile() && (await isZipFile(path)));
  const found = tree ? yield* readTemplates(ctx, batcher, path) : yield* readIndex(ctx, batcher, path);
  if (found === 0)
    throw new FeedError(
      SOURCE,
      path,
      undefined,
      'no templates or index lines found',
      'Point --from at a nuclei-templates tree or its cves.json.',
    );
  yield batcher.drain();
  return batcher.newest ? { newest: batcher.newest } : {};
}

async function* readTemplates(ctx: SyncContext, batcher: SightingBatcher, path: string): Sightings {
  let files = 0;
  for await (const file of listTreeFiles(SOURCE, path, (name) => /\.ya?ml$/i.test(name), ctx.maxBytes)) {
    const text = await file.text();
    ctx.progress.advance(text.length);
    files++;
    let document: unknown;
    try {
      document = parseYaml(text);
    } catch (error) {
      throw new FeedError(
        SOURCE,
        file.where,
        undefined,
        `not valid YAML (${(error as Error).message.split('\n')[0]})`,
      );
    }
    const template = templateSchema.safeParse(document);
    // Workflows, profiles and other YAML without a template id are not templates.
    if (!template.success) continue;
    const info = template.data.info;
    const cves = splitCves(info?.classification?.['cve-id'] ?? template.data.id);
    const name = file.name.replace(TOP_FOLDER, '');
    for (const cveId of cves) {
      const full = batcher.add(toSighting(ctx, cveId, name, template.data.id, info?.severity, info?.name));
      if (full) yield full;
    }
  }
  return files;
}

async function* readIndex(ctx: SyncContext, batcher: SightingBatcher, path: string): Sightings {
  let lines = 0;
  for await (const [line, n] of readLines(SOURCE, path, (bytes) => ctx.progress.advance(bytes))) {
    if (line.trim() === '') continue;
    lines++;
    const entry = indexLineSchema.safeParse(parseFeedJson(SOURCE, path, `line ${n}`, line));
    if (!entry.success) {
      const issue = entry.error.issues[0];
      throw new FeedError(SOURCE, path, `line ${n}`, `${issue?.path.join('.') || 'line'}: ${issue?.message}`);
    }
    const { ID, Info, file_path } = entry.data;
    const cveId = toCveId(ID);
    if (!cveId) throw new FeedError(SOURCE, path, `line ${n}`, `ID: ${JSON.stringify(ID)} is not a CVE id`);
    const full = batcher.add(toSighting(ctx, cveId, file_path, ID, Info?.Severity, Info?.Name));
    if (full) yield full;
  }
  return lines;
}

/** `cve-id` holds one id, a list, or (in older templates) several ids separated by commas. */
function splitCves(value: string | string[]): string[] {
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(/[,\s]+/));
  return [...new Set(parts.map(toCveId).filter((id): id is string => id !== undefined))];
}

function toSighting(
  ctx: SyncContext,
  cveId: string,
  path: string,
  templateId: string,
  severity?: string,
  name?: string,
): ExploitSighting {
  const data: Record<string, unknown> = { templateId };
  if (severity) data.severity = severity.toLowerCase();
  if (name) data.name = name;
  // Templates state no date: the sync that first sees one dates it (kept on later syncs), never earlier.
  return {
    cveId,
    source: SOURCE,
    url: `${REPOSITORY}/${path}`,
    seenAt: ctx.now.toISOString(),
    maturity: 'weaponized',
    data,
  };
}
