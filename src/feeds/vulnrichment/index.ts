import { z } from 'zod';
import type { SsvcDecision } from '../../core/types.js';
import { FeedError, parseFeedJson } from '../errors.js';
import { listTreeFiles, type TreeFile } from '../file-tree.js';
import { readLocation } from '../resource.js';
import type { FeedOutcome, FeedRead, FeedSource, SyncContext } from '../types.js';

const SOURCE = 'vulnrichment';
const BATCH = 5000;
const CVE_FILE = /(?:^|\/)CVE-\d{4}-\d{4,}\.json$/i;

const issueText = (issue: z.core.$ZodIssue | undefined) =>
  `${issue?.path.join('.') || 'record'}: ${issue?.message}`;
const recordSchema = z.object({
  cveMetadata: z.object({ cveId: z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'expected a CVE id') }),
  containers: z.object({
    adp: z
      .array(
        z.object({
          providerMetadata: z.object({ shortName: z.string().optional() }).optional(),
          metrics: z
            .array(z.object({ other: z.object({ type: z.string(), content: z.unknown() }).optional() }))
            .optional(),
        }),
      )
      .optional(),
  }),
});
const ssvcSchema = z.object({
  timestamp: z.iso.datetime({ offset: true, message: 'expected an ISO date-time' }),
  options: z.array(z.record(z.string(), z.string())),
});
const VALUES = {
  exploitation: ['none', 'poc', 'active'],
  automatable: ['yes', 'no'],
  technicalImpact: ['partial', 'total'],
} as const;
const OPTION_NAMES: Readonly<Record<string, keyof typeof VALUES>> = {
  exploitation: 'exploitation',
  automatable: 'automatable',
  'technical impact': 'technicalImpact',
};

/**
 * CISA Vulnrichment (cisagov/vulnrichment: `<year>/<Nxxx>/CVE-….json`, CVE JSON 5 records): the
 * CISA-ADP container's SSVC decision points, each kept under the date CISA stamped on the decision.
 */
export const vulnrichmentSource: FeedSource = {
  id: SOURCE,
  description: 'CISA Vulnrichment SSVC decisions (Exploitation, Automatable, Technical Impact), dated',
  defaultUrl: 'https://github.com/cisagov/vulnrichment/archive/refs/heads/develop.zip',
  mirrorNames: ['vulnrichment', 'vulnrichment-develop.zip', 'vulnrichment.zip'],
  read: (ctx) => readLocation(ctx, SOURCE, (path) => readTree(ctx, path)),
};

async function* readTree(ctx: SyncContext, path: string): FeedRead {
  let batch: SsvcDecision[] = [];
  let files = 0;
  let newest: string | undefined;
  for await (const file of listTreeFiles(SOURCE, path, (name) => CVE_FILE.test(name), ctx.maxBytes)) {
    files++;
    for (const decision of await readDecisions(ctx, file)) {
      if (newest === undefined || decision.decidedAt > newest) newest = decision.decidedAt;
      batch.push(decision);
    }
    if (batch.length >= BATCH) {
      yield { kind: 'ssvc', records: batch };
      batch = [];
    }
  }
  if (files === 0)
    throw new FeedError(
      SOURCE,
      path,
      undefined,
      'no CVE-….json records found',
      'Point --from at a vulnrichment clone, its zip archive or a CVE JSON 5 file.',
    );
  // Always a last batch, even empty: the sync counts the decisions held before and after.
  yield { kind: 'ssvc', records: batch };
  const outcome: FeedOutcome = {};
  if (newest) outcome.newest = newest;
  return outcome;
}

async function readDecisions(ctx: SyncContext, file: TreeFile): Promise<SsvcDecision[]> {
  const text = await file.text();
  ctx.progress.advance(text.length);
  const document = parseFeedJson(SOURCE, file.where, undefined, text);
  const record = recordSchema.safeParse(document);
  if (!record.success)
    throw new FeedError(
      SOURCE,
      file.where,
      undefined,
      `not a CVE JSON 5 record: ${issueText(record.error.issues[0])}`,
    );
  const cveId = record.data.cveMetadata.cveId;
  const decisions: SsvcDecision[] = [];
  record.data.containers.adp?.forEach((adp, a) => {
    if (adp.providerMetadata?.shortName !== 'CISA-ADP') return;
    adp.metrics?.forEach((metric, m) => {
      if (metric.other?.type !== 'ssvc') return;
      decisions.push(
        toDecision(
          file.where,
          `${cveId} containers.adp[${a}].metrics[${m}].other.content`,
          cveId,
          metric.other.content,
        ),
      );
    });
  });
  return decisions;
}

function toDecision(where: string, record: string, cveId: string, content: unknown): SsvcDecision {
  const parsed = ssvcSchema.safeParse(content);
  if (!parsed.success) throw new FeedError(SOURCE, where, record, issueText(parsed.error.issues[0]));
  const decision: SsvcDecision = {
    cveId,
    decidedAt: new Date(parsed.data.timestamp).toISOString(),
    source: SOURCE,
  };
  parsed.data.options.forEach((option, i) => {
    for (const [name, raw] of Object.entries(option)) {
      const field = OPTION_NAMES[name.toLowerCase()];
      if (!field) continue;
      const value = raw.trim().toLowerCase();
      const allowed: readonly string[] = VALUES[field];
      if (!allowed.includes(value))
        throw new FeedError(
          SOURCE,
          where,
          record,
          `options.${i}.${name}: "${raw}" is not one of ${allowed.join(', ')}`,
        );
      Object.assign(decision, { [field]: value });
    }
  });
  return decision;
}
