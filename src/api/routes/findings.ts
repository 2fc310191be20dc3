import { z } from 'zod';
import { PatchcastError } from '../../core/errors.js';
import { toPatchJson } from '../../matching/patches.js';
import { explainFinding } from '../../services/findings/explain-finding.js';
import { loadFindingPage, PAGE_SORTS } from '../../services/findings/load-finding-page.js';
import { loadPatch, loadPatchSelection } from '../../services/patches/patch-selection.js';
import { defineRoute } from '../route.js';
import { findingExplanationSchema, findingSchema, idParam, limitParam } from '../schemas.js';

const STATUSES = ['open', 'suppressed', 'excepted', 'fixed', 'retired'] as const;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'] as const;

/** `a,b` → ['a','b'], each checked against `values`. */
const csvOf = <T extends string>(values: readonly T[]) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(values as unknown as [T, ...T[]])).min(1));

const findingsQuery = z.strictObject({
  asset: z.string().min(1).optional().describe('only this asset'),
  package: z.string().min(1).optional().describe('only this package'),
  vulnerability: z.string().min(1).optional().describe('only this vulnerability'),
  status: csvOf(STATUSES).default(['open', 'suppressed', 'excepted']).describe('comma-separated statuses'),
  severity: csvOf(SEVERITIES).optional().describe('comma-separated severities'),
  fixable: z.enum(['true', 'false']).optional().describe('only findings with a fix available'),
  sort: z.enum(PAGE_SORTS).default('risk'),
  limit: limitParam(100),
  cursor: z.string().max(2000).optional().describe("the previous page's nextCursor"),
  total: z
    .enum(['true', 'false'])
    .optional()
    .describe('count the matching findings (default: on the first page only; a count scans them all)'),
});

/** A patch as `patchcast patches --json` prints it (src/matching/patches.ts `Patch`). */
const patchSchema = z
  .looseObject({
    id: z.string().describe('`<asset>/<ecosystem base, lower case>/<package>`'),
    asset: z.string(),
    ecosystem: z.string(),
    package: z.string().describe('the source package (distributions) or the package itself'),
    installedVersion: z.string(),
    targetVersion: z.string().nullable(),
    binaries: z.array(z.string()),
    vulnerabilities: z.array(z.string()),
    findings: z.number().int().describe('how many open findings it closes'),
    riskRemoved: z.number().describe('Σ risk of those findings'),
    due: z.string().nullable().describe('earliest due date of its findings'),
  })
  .meta({ id: 'Patch', description: 'A patch as `patchcast patches --json` prints it' });

export const FINDING_ROUTES = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/findings',
    tag: 'findings',
    summary: 'Findings, filtered as `patchcast findings`, sorted by risk or due date, keyset-paginated',
    access: 'read',
    query: findingsQuery,
    response: z
      .object({
        total: z
          .number()
          .int()
          .nullable()
          .describe(
            'how many findings match: on the first page (no cursor) unless total=false, on later pages only with total=true, else null',
          ),
        sort: z.enum(PAGE_SORTS),
        findings: z.array(findingSchema),
        nextCursor: z.string().nullable(),
      })
      .meta({ id: 'FindingPage' }),
    handler: async ({ deps, query }) =>
      loadFindingPage(deps, {
        status: query.status,
        sort: query.sort,
        limit: query.limit,
        ...(query.asset ? { assetId: query.asset } : {}),
        ...(query.package ? { packageName: query.package } : {}),
        ...(query.vulnerability ? { vulnerabilityId: query.vulnerability } : {}),
        ...(query.fixable === 'true' ? { fixable: true } : {}),
        ...(query.severity ? { severity: query.severity.join(',') } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
        ...(query.total ? { total: query.total === 'true' } : {}),
      }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/findings/:id/explanation',
    tag: 'findings',
    summary:
      "A finding's risk explained (as `patchcast explain <finding-id> --json`): contributions adding up to the risk, the exploit forecast with EPSS beside it, SSVC, due date",
    access: 'read',
    params: idParam,
    response: z
      .object({
        asOf: z.object({ day: z.string(), instant: z.string(), dataThrough: z.string().nullable() }),
        findings: z.array(findingExplanationSchema),
      })
      .meta({ id: 'FindingExplanations' }),
    handler: async ({ deps, params }) => {
      const { asOf, findings } = await explainFinding(deps, { target: params.id });
      return { asOf: { ...asOf, instant: asOf.instant.toISOString() }, findings };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/patches',
    tag: 'findings',
    summary: 'Open findings grouped into patches, highest risk removed first (as `patchcast patches`)',
    access: 'read',
    query: z.strictObject({ asset: z.string().min(1).optional(), limit: limitParam(50) }),
    response: z.object({ total: z.number().int(), patches: z.array(patchSchema) }),
    handler: async ({ deps, query }) => {
      const { total, patches } = await loadPatchSelection(deps.store.db, {
        limit: query.limit,
        ...(query.asset ? { assetId: query.asset } : {}),
      });
      return { total, patches: patches.map(toPatchJson) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/patches/*',
    tag: 'findings',
    summary: 'One patch (`<asset>/<ecosystem>/<package>`) and the findings it closes',
    access: 'read',
    params: z.strictObject({ '*': z.string().min(1).max(1000) }),
    response: patchSchema,
    handler: async ({ deps, params }) => {
      const patch = await loadPatch(deps.store.db, params['*']);
      if (!patch)
        throw new PatchcastError('STORE_NOT_FOUND', `no open patch ${params['*']}`, {
          hint: 'GET /api/v1/patches lists the open patches and their ids.',
        });
      return patch;
    },
  }),
];
